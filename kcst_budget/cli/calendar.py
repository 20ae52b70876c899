"""``kcst calendar``: the calendar of obligations (contract v1.1 section 9) as an
iCalendar file, for the SMT's calendars (Outlook: File > Open > Import, or subscribe to
the dashboard's ``calendar.ics``).

Without ``--output`` the file is printed (``kcst calendar > obligations.ics``); with it,
written whole or not at all.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, as_of_of, fail, load_valid_books,
                                    parse_as_of)


@app.command("calendar")
def calendar_command(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
                     output: Path | None = typer.Option(
                         None, "--output", show_default=False,
                         help="The .ics file to write (default: print it).")) -> None:
    """The obligations that follow from the books (next meeting and performance report
    due, review months, deadlines, year ends and roll-forwards, notices, the term's end),
    as an iCalendar file, each event citing its clause."""
    from kcst_budget.cli.report import write_whole
    from kcst_budget.obligations import obligations
    from kcst_budget.reports.ics import books_ics
    from kcst_budget.rules._common import plural

    given = parse_as_of(as_of)
    if output is not None and output.suffix.lower() != ".ics":
        fail(f"--output: {output} does not end in .ics")
    if output is not None and output.is_dir():
        fail(f"--output: {output} is a folder")
    books = load_valid_books(ledger)
    date = as_of_of(books, given)
    text = books_ics(books, date)
    if output is None:
        typer.echo(text.decode("utf-8"), nl=False)
        return
    write_whole(output, text, books)
    typer.echo(f"wrote {output}: {plural(len(obligations(books, date)), 'obligation')} as of {date}")
