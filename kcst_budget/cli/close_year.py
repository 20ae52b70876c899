"""``kcst close-year FY``: roll the pool forward and seal the FY (cl. 8.2)."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import LedgerOption, fail, ledger_path
from kcst_budget.closing import Refused, close_year
from kcst_budget.ledgerio import LedgerWriteError
from kcst_budget.periods import parse_fy
from kcst_budget.source import Source


@app.command("close-year")
def close_year_command(
    fy: str = typer.Argument(..., help="The financial year to close, e.g. 2018/19."),
    ledger: Path | None = LedgerOption,
) -> None:
    """Write the kcst-year-end record of a finished FY: the balance carried forward and the
    digest that seals the period."""
    try:
        year = parse_fy(fy)
    except ValueError as problem:
        fail(f"FY: {problem}")
    try:
        closed = close_year(ledger_path(ledger), year)
    except (Refused, LedgerWriteError) as problem:
        fail(f"close-year {year}: {problem}; nothing was written")
    typer.echo(f"{Source(str(closed.path), 0).display().rsplit(':', 1)[0]}: closed {year}")
    typer.echo(closed.text, nl=False)
