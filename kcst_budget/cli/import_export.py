"""``kcst import FILE [--dry-run]``: the host's finance-system export into the ledger.

The rows are read and mapped by ``kcst_budget.importer`` and written like ``kcst record``
(under the lock, the whole ledger validated, atomically). Rows already imported (same
``ref``) are skipped; a row that cannot be mapped stops the import, listed by CSV line.
It says which encoding it read the file in (UTF-8, or Windows-1252 as finance systems
export); any other is refused naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kcst_budget.books import Books
from kcst_budget.cli import app
from kcst_budget.cli.common import EXIT_BREACH, EXIT_OK, LedgerOption, fail, ledger_path
from kcst_budget.cli.record import report
from kcst_budget.ledgerio import LedgerWriteError
from kcst_budget.record import NewEntry, Refused, write_entries

if TYPE_CHECKING:  # the importer (beangulp) is loaded only when ``kcst import`` runs
    from kcst_budget.importer import Plan

MAP_FILE = "import-map.csv"


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="The KFRS ledger export (CSV), e.g. "
                                "ledger/import/kfrs-ledger-2020-04.csv."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would be added; write "
                                 "nothing."),
    mapping: Path | None = typer.Option(None, "--map", help="The mapping of cost centre and "
                                        "subjective code to accounts (default: import-map.csv "
                                        "beside the ledger).", show_default=False),
    ledger: Path | None = LedgerOption,
    strict: bool = typer.Option(False, "--strict", help="Refuse the import if it would breach "
                                "the MoU."),
) -> None:
    """Import the host's finance-system export: each new row once, nothing guessed."""
    main = ledger_path(ledger)
    map_file = mapping if mapping is not None else main.parent / MAP_FILE
    if not file.is_file():
        fail(f"FILE: no export at {file}")
    if not map_file.is_file():
        fail(f"--map: no mapping file at {map_file}")
    from kcst_budget.importer import plan, read_export_encoded, read_map

    planned: list[Plan] = []
    encodings: list[str] = []

    def build(books: Books) -> list[NewEntry]:
        rows, encoding = read_export_encoded(file)
        encodings.append(encoding)
        made = plan(rows, read_map(map_file), books)
        planned.append(made)
        return [entry for _, entry in made.new]

    try:
        written = write_entries(main, build, strict=strict, dry_run=dry_run)
    except (Refused, LedgerWriteError) as problem:
        fail(f"import {file.name}: {problem}")
    made = planned[-1]
    typer.echo(f"{file.name}: read as {encodings[-1]}")
    for row in made.skipped:
        typer.echo(f"{row.where}: {row.ref} already in the ledger, skipped")
    verb = "would add" if dry_run else "added"
    typer.echo(f"{file.name}: {verb} {len(made.new)} row(s), skipped {len(made.skipped)} "
               "already imported")
    report(written)
    raise typer.Exit(EXIT_BREACH if written.new_breaches else EXIT_OK)
