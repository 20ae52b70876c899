"""``kcst import``: the host's finance-system export, each row once, nothing guessed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from fava.core.ingest import load_import_config

from kcst_budget.books import load_books
from kcst_budget.importer import parse_amount
from tests.entry.conftest import SAMPLE_EXPORT, folder_digest

SAMPLE_REFS = ("AR200406-0113", "JV200406-0021", "AR200417-0140", "PY2004-KC4413-0101",
               "PY2004-KC4413-0102")


def test_the_finance_systems_amounts_read_with_their_sign() -> None:
    assert parse_amount("3,750.00") == Decimal("3750.00")
    assert parse_amount("-1,234.50") == Decimal("-1234.50")
    assert parse_amount("(1,234.50)") == Decimal("-1234.50")
    assert parse_amount("737.6") == Decimal("737.60")
    for bad in ("(1,234.50", "1,23.00", "12.345", "-(5.00)", "abc", ""):
        assert parse_amount(bad) is None, bad


def test_importing_the_sample_twice_adds_its_rows_once(ledger_copy: Path, kcst) -> None:
    first = kcst("import", SAMPLE_EXPORT, "--ledger", ledger_copy)
    assert first.exit_code == 0, first.output
    assert "added 5 row(s), skipped 0" in first.stdout
    after_first = folder_digest(ledger_copy.parent)
    second = kcst("import", SAMPLE_EXPORT, "--ledger", ledger_copy)
    assert second.exit_code == 0, second.output
    assert "added 0 row(s), skipped 5 already imported" in second.stdout
    assert "kfrs-ledger-2020-04.csv:2: AR200406-0113 already in the ledger, skipped" in second.stdout
    assert folder_digest(ledger_copy.parent) == after_first
    books = load_books(ledger_copy)
    assert books.errors == ()
    refs = [m.ref for m in books.movements]
    assert all(refs.count(ref) == 1 for ref in SAMPLE_REFS)
    april = (datetime.date(2020, 4, 1), datetime.date(2020, 4, 30))
    assert books.net_contributions("KCC", *april) == Decimal("8000.00")
    assert books.net_contributions("KFRS", *april) == Decimal("8000.00")
    assert books.net_contributions("KP", *april) == Decimal("8000.00")
    # coordinator: salary 3,012.40 + on-costs 737.60 = 3,750.00 out of the pool
    assert books.balance_on(datetime.date(2020, 4, 30)) == (
        books.balance_on(datetime.date(2020, 3, 31)) + Decimal("24000.00") - Decimal("3750.00"))
    text = (ledger_copy.parent / "2020-21.beancount").read_text()
    assert ('2020-04-24 * "KFRS Payroll" "Salary KCST Coordinator Apr 2020"\n'
            '  ref: "PY2004-KC4413-0101"\n'
            '  imported: "kfrs-ledger-2020-04.csv:5"\n'
            "  Expenses:Staff:Coordinator                 3012.40 GBP\n"
            "  Assets:KFRS:KCST-Pool                     -3012.40 GBP\n") in text


def test_dry_run_prints_what_it_would_add_and_writes_nothing(ledger_copy: Path, kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", SAMPLE_EXPORT, "--dry-run", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    assert "would add 5 row(s)" in run.stdout
    assert 'ref: "PY2004-KC4413-0102"' in run.stdout
    assert "dry run: would record 5 entries; nothing was written" in run.stdout
    assert "recorded" not in run.output.replace("would record", "")
    assert folder_digest(ledger_copy.parent) == before


def test_rows_it_cannot_map_are_listed_by_line_and_nothing_is_imported(ledger_copy: Path,
                                                                       kcst, tmp_path: Path) -> None:
    export = tmp_path / "kfrs-ledger-2020-05.csv"
    export.write_text(SAMPLE_EXPORT.read_text().replace("PY2004", "PY2005").replace("/04/2020", "/05/2020")
                      .replace("AR2004", "AR2005").replace("JV2004", "JV2005")
                      + "28/05/2020,KC4413,0150,Training course KCST Coordinator,Skills Ltd,450.00,"
                        "AP200528-0077\n")
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert ("kfrs-ledger-2020-05.csv:7: cost centre KC4413 subjective 0150 (Training course KCST "
            "Coordinator) is not in the mapping file") in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_rows_in_a_closed_fy_are_refused_by_line(ledger_copy: Path, kcst, tmp_path: Path) -> None:
    export = tmp_path / "late.csv"
    export.write_text(SAMPLE_EXPORT.read_text().splitlines()[0] + "\n"
                      "31/03/2020,KC4413,0101,Late salary adjustment,KFRS Payroll,12.00,PY2003-ADJ\n")
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "late.csv:2: 2020-03-31 is in 2019/20, closed at" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_the_importer_serves_favas_import_page(ledger_copy: Path) -> None:
    """Fava loads ``ledger/import_config.py`` (option ``import-config``) and extracts the sample,
    marking as duplicates the rows whose ref the ledger holds."""
    config = load_import_config(ledger_copy.parent / "import_config.py")
    importer = config.importers["kcst.KfrsLedgerImporter"].importer
    sample = ledger_copy.parent / "import" / SAMPLE_EXPORT.name
    assert importer.identify(str(sample))
    assert not importer.identify(str(ledger_copy))
    books = load_books(ledger_copy)
    entries = importer.extract(str(sample), books.entries)
    assert [e.meta["ref"] for e in entries] == list(SAMPLE_REFS)
    importer.deduplicate(entries, books.entries)
    assert not any("__duplicate__" in e.meta for e in entries)
    importer.deduplicate(entries, [*books.entries, *entries])
    assert all("__duplicate__" in e.meta for e in entries)


def test_a_reference_already_in_the_ledger_with_another_amount_is_not_skipped_silently(
        ledger_copy: Path, kcst) -> None:
    # KCC's April receipt was entered by hand with a typing slip (£8,800.00, not £8,000.00).
    kcst("record", "contribution", "--partner", "KCC", "--amount", "8800.00", "--date",
         "2020-04-06", "--ref", "AR200406-0113", "--ledger", ledger_copy)
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", SAMPLE_EXPORT, "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert ("kfrs-ledger-2020-04.csv:2: reference AR200406-0113 is already in the ledger at "
            in run.stderr)
    assert "with another date or amount; check it with the finance system" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_iso_dates_are_read_as_well_as_the_finance_systems(ledger_copy: Path, kcst,
                                                           tmp_path: Path) -> None:
    export = tmp_path / "saved-by-excel.csv"
    lines = SAMPLE_EXPORT.read_text().splitlines()
    # a spreadsheet saved some dates in ISO form and dropped a leading zero of another
    lines[1] = lines[1].replace("06/04/2020", "2020-04-06")
    lines[4] = lines[4].replace("24/04/2020", "24/4/2020")
    export.write_text("\n".join(lines) + "\n")
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    books = load_books(ledger_copy)
    assert books.errors == ()
    dates = {m.ref: m.date for m in books.movements}
    assert dates["AR200406-0113"] == datetime.date(2020, 4, 6)
    assert dates["PY2004-KC4413-0101"] == datetime.date(2020, 4, 24)


def test_a_subjective_code_that_lost_its_leading_zero_is_named_not_added(
        ledger_copy: Path, kcst, tmp_path: Path) -> None:
    export = tmp_path / "kfrs-ledger-2020-04.csv"
    export.write_text(SAMPLE_EXPORT.read_text().replace(",0101,", ",101,"))
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert run.stderr == (
        "kcst: import kfrs-ledger-2020-04.csv: nothing imported:\n"
        "  kfrs-ledger-2020-04.csv:5: cost centre KC4413 subjective 101 (Salary KCST Coordinator "
        "Apr 2020) is not in the mapping file; did you mean 0101? spreadsheets drop leading "
        "zeros: export the file again from the finance system, or keep the Subjective column as "
        "text, rather than change the mapping\n")
    assert "add it there" not in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_a_row_dated_in_the_future_is_refused_by_line(ledger_copy: Path, kcst, tmp_path: Path,
                                                      monkeypatch) -> None:
    monkeypatch.setenv("KCST_TODAY", "2020-04-30")
    export = tmp_path / "typo.csv"
    export.write_text(SAMPLE_EXPORT.read_text().replace("24/04/2020", "24/04/2999"))
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert ("typo.csv:5: 2999-04-24 is in the future (today is 2020-04-30); the books record "
            "what has happened: check the year in the export") in run.stderr
    assert "typo.csv:6: 2999-04-24 is in the future" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_a_row_imported_then_reversed_stays_imported(ledger_copy: Path, kcst) -> None:
    assert kcst("import", SAMPLE_EXPORT, "--ledger", ledger_copy).exit_code == 0
    assert kcst("record", "reverse", "--ref", "PY2004-KC4413-0102", "--date", "2020-04-30",
                "--ledger", ledger_copy).exit_code == 0
    again = kcst("import", SAMPLE_EXPORT, "--ledger", ledger_copy)
    assert again.exit_code == 0, again.output
    assert "added 0 row(s), skipped 5 already imported" in again.stdout
