"""``kcst check``: Beancount's own validation plus every rule, one line per problem."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.books import load_books
from kcst_budget.cli import app
from kcst_budget.cli.common import (EXIT_BREACH, EXIT_INVALID, EXIT_OK, LedgerOption, as_of_of,
                                    error_line, ledger_path, refuse_without_agreement)
from kcst_budget.mou import standing
from kcst_budget.rules._common import plural
from kcst_budget.rules import judgement_of


@app.command()
def check(ledger: Path | None = LedgerOption) -> None:
    """Validate the ledger and judge every rule: `file:line: [rule cl. X] message`.

    As of the as-of on the ledger's plugin line, else today."""
    books = load_books(ledger_path(ledger))
    for error in books.errors:
        typer.echo(error_line(error))
    if books.errors:
        raise typer.Exit(EXIT_INVALID)
    refuse_without_agreement(books)
    as_of = as_of_of(books, None)
    judgement = judgement_of(books, as_of)
    for finding in judgement.findings:
        typer.echo(finding.line())
    typer.echo(f"{standing(books.terms, as_of).words} As of {as_of}: "
               f"{plural(len(judgement.breaches), 'breach')}, "
               f"{plural(len(judgement.warnings), 'warning')}.", err=True)
    raise typer.Exit(EXIT_BREACH if judgement.breaches else EXIT_OK)
