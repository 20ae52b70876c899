"""What every ``kcst`` command shares: the ledger argument, dates, exit codes, loading."""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer

from kcst_budget import asof
from kcst_budget.books import Books, load_books
from kcst_budget.rules._common import plural
from kcst_budget.ledgerio import ledger_file_at, write_atomic
from kcst_budget.periods import FinancialYear, parse_fy
from kcst_budget.source import Source

EXIT_OK, EXIT_BREACH, EXIT_INVALID = 0, 1, 2
DEFAULT_LEDGER = "ledger/main.beancount"


def default_ledger() -> Path:
    return Path(os.environ.get("KCST_LEDGER") or DEFAULT_LEDGER)


LedgerOption = typer.Option(
    None, "--ledger", help="The ledger (default: $KCST_LEDGER or ledger/main.beancount).",
    show_default=False,
)
AsOfOption = typer.Option(None, "--as-of", show_default=False,
                          help="As of this date, YYYY-MM-DD (default: the as-of on the ledger's "
                          "plugin line, else today).")


def fail(message: str, code: int = EXIT_INVALID) -> NoReturn:
    """Print ``kcst: message`` on stderr and exit (2: bad argument or invalid ledger)."""
    typer.echo(f"kcst: {message}", err=True)
    raise typer.Exit(code)


def ledger_path(ledger: Path | None) -> Path:
    path = ledger if ledger is not None else default_ledger()
    if not path.is_file():
        fail(f"--ledger: no ledger file at {path}")
    return path


def parse_as_of(text: str | None) -> datetime.date | None:
    """The ``--as-of`` given, or None: the books then apply the one as-of rule
    (``Books.as_of``: the plugin line's as-of, else today)."""
    if text is None:
        return None
    try:
        return asof.parse_date(text, "--as-of")
    except asof.AsOfError as problem:
        fail(str(problem))


def as_of_of(books: Books, given: datetime.date | None) -> datetime.date:
    """The one as-of rule for a command (``kcst_budget.asof``)."""
    try:
        return books.as_of(given)
    except asof.AsOfError as problem:
        fail(str(problem))


def parse_fy_option(text: str | None) -> FinancialYear | None:
    if text is None:
        return None
    try:
        return parse_fy(text)
    except ValueError as problem:
        fail(f"--fy: {problem}")


def error_line(error: Any) -> str:
    """``file:line: message`` for any Beancount-shaped error."""
    return f"{Source.of(getattr(error, 'source', None))}: {error.message}"


def load_valid_books(ledger: Path | None) -> Books:
    """Load the ledger; on any error of its own, print each with file and line and exit 2.

    A judgement on an invalid ledger is never printed as if it were sound.
    """
    books = load_books(ledger_path(ledger))
    if books.errors:
        for error in books.errors:
            typer.echo(error_line(error), err=True)
        fail(f"the ledger has {plural(len(books.errors), 'error')} of its own; nothing was judged")
    refuse_without_agreement(books)
    return books


def refuse_without_agreement(books: Books) -> None:
    """Books with no ``kcst-agreement`` are not KCST books (spec section 6): exit 2."""
    if not books.terms.agreements:
        fail(f"no kcst-agreement in the books ({books.path}): write the agreement's terms "
             "first (docs/ledger-format.md, section 2); nothing was judged")


def refuse_ledger_output(output: Path | None, books: Books) -> None:
    """Exit 2 if ``--output`` names a folder or a file of the ledger (an included file, a
    symlink to one, a file in the ledger's folder): a report never overwrites the books."""
    if output is None:
        return
    if output.is_dir():
        fail(f"--output: {output} is a folder; nothing was written")
    why = ledger_file_at(output, Path(books.path or default_ledger()),
                         books.options.get("include", []))
    if why is not None:
        fail(f"--output: {why}: a report never overwrites the books; name another file; "
             "nothing was written")


def write_output(output: Path, data: str | bytes) -> None:
    """Write a report whole (``ledgerio.AtomicFile``), or exit 2 saying why it cannot."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, data)
    except OSError as problem:
        fail(f"--output: cannot write {output}: {problem.strerror or problem}; nothing was "
             "written")


def emit(text: str, output: Path | None, books: Books | None = None) -> None:
    """Print ``text`` or write it to ``output`` (refused if it is a file of ``books``)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        if books is not None:
            refuse_ledger_output(output, books)
        write_output(output, text)
        typer.echo(f"wrote {output}", err=True)


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
