"""``kcst check``: Beancount's own validation plus every rule, one line per problem."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.books import load_books
from kcst_budget.cli import app
from kcst_budget.cli.common import (EXIT_BREACH, EXIT_INVALID, EXIT_OK, LedgerOption, error_line,
                                    ledger_path)
from kcst_budget.rules import judgement_of


@app.command()
def check(ledger: Path | None = LedgerOption) -> None:
    """Validate the ledger and judge every rule as of today: `file:line: [rule cl. X] message`."""
    books = load_books(ledger_path(ledger))
    for error in books.errors:
        typer.echo(error_line(error))
    if books.errors:
        raise typer.Exit(EXIT_INVALID)
    judgement = judgement_of(books)
    for finding in judgement.findings:
        typer.echo(finding.line())
    typer.echo(f"{len(judgement.breaches)} breach(es), {len(judgement.warnings)} warning(s)",
               err=True)
    raise typer.Exit(EXIT_BREACH if judgement.breaches else EXIT_OK)
