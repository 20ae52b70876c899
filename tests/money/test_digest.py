"""The year-end digest seals a closed period: blind to layout, files and same-day order,
and changed by any edit of what an auditor reads (a date, an amount, an account, a payee,
a narration, metadata, a ``kcst-`` directive). The seals form a chain: each covers the
year-end records before it, and only the entries the plugin generates are outside."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beancount.core import data

from kcst_budget.books import load_books, load_books_string
from kcst_budget.seal import _canon, canonical, digest
from kcst_budget.periods import FinancialYear

from ..conftest import BUNDLED, HEAD

BIN = Path(sys.executable).parent
SEAL = datetime.date(2019, 3, 31)
FY_FILE = "2018-19.beancount"

#: One entry of 2018/19 as it stands in the bundled books.
FURNITURE = '''2018-06-14 * "Office Interiors Ltd" "Hot-desk furniture, Loose Road"
  ref: "KFRS-PO-180611"
  decision: "D-2018-05-1"
  Expenses:Accommodation:HotDesking          5120.00 GBP
  Assets:KFRS:KCST-Pool                     -5120.00 GBP
'''


@pytest.fixture
def books_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, folder, ignore=shutil.ignore_patterns(".*", "examples"))
    return folder / "main.beancount"


def sealed(main: Path) -> str:
    return load_books(main).digest(SEAL)


def rewrite(main: Path, name: str, old: str, new: str) -> None:
    path = main.parent / name
    text = path.read_text()
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1))


def test_the_bundled_seal_of_2018_19_is_the_digest_of_its_books(bundled) -> None:
    assert bundled.terms.year_end(FinancialYear(2018)).digest == bundled.seal_now(
        bundled.terms.year_end(FinancialYear(2018)))
    for year_end in bundled.terms.year_ends:
        assert year_end.digest == bundled.seal_now(year_end), year_end.fy


def record_of(main: Path, start_year: int):
    return load_books(main).terms.year_end(FinancialYear(start_year))


def seal_now(main: Path, start_year: int) -> str:
    books = load_books(main)
    return books.seal_now(books.terms.year_end(FinancialYear(start_year)))


def test_each_seal_covers_the_year_end_records_before_it(books_copy: Path) -> None:
    """The chain: 2017/18's record, digest and all, is an entry of the period 2018/19 seals."""
    before = {year: seal_now(books_copy, year) for year in (2017, 2018, 2019)}
    old = record_of(books_copy, 2017).digest
    rewrite(books_copy, "2017-18.beancount", old, old[:-1] + ("0" if old[-1] != "0" else "1"))
    after = {year: seal_now(books_copy, year) for year in (2017, 2018, 2019)}
    assert after[2017] == before[2017]  # a record is not in its own digest
    assert after[2018] != before[2018] and after[2019] != before[2019]


def test_a_record_is_outside_its_own_digest_and_inside_every_later_one(books_copy: Path) -> None:
    before = {year: seal_now(books_copy, year) for year in (2018, 2019)}
    rewrite(books_copy, FY_FILE, '"kcst-year-end" "2018/19" -4890.00 GBP',
            '"kcst-year-end" "2018/19" -4890.00 GBP\n  note: "signed off by the SMT"')
    assert seal_now(books_copy, 2018) == before[2018]
    assert seal_now(books_copy, 2019) != before[2019]


def test_kcst_generated_metadata_takes_nothing_out_of_the_seal(books_copy: Path) -> None:
    """Only what the plugin generated is outside, known by identity, never by metadata."""
    before = sealed(books_copy)
    rewrite(books_copy, FY_FILE, 'ref: "KFRS-PO-180611"',
            'ref: "KFRS-PO-180611"\n  kcst-generated: TRUE')
    assert sealed(books_copy) != before
    rewrite(books_copy, FY_FILE, "\n2019-03-31 custom",
            '\n2018-06-20 * "Kent Police" "Second contribution"\n  kcst-generated: TRUE\n'
            "  Assets:KFRS:KCST-Pool   16000.00 GBP\n  Income:Contributions:KP  -16000.00 GBP\n"
            "\n2019-03-31 custom")
    books = load_books(books_copy)
    assert not books.errors
    assert sealed(books_copy) != before


def test_the_entries_the_plugin_generates_are_outside_the_seal(bundled) -> None:
    """The post budgets and the dashboard line stand in no file: they are not sealed, so
    a change of the plugin's budgets never breaks a seal."""
    generated = [e for e in bundled.entries if bundled.is_generated(e) and e.date <= SEAL]
    assert len(generated) >= 4  # each post's monthly budget, the dashboard line
    assert all(type(e) is data.Custom for e in generated)
    every_entry = digest(bundled.reading.entries, SEAL)
    assert bundled.digest(SEAL) == digest(bundled.reading.in_source(bundled.entries), SEAL)
    assert bundled.digest(SEAL) != every_entry


def test_bean_format_changes_nothing(books_copy: Path) -> None:
    before = sealed(books_copy)
    changed = 0
    for path in books_copy.parent.glob("*.beancount"):
        result = subprocess.run([str(BIN / "bean-format"), "-c", "70", str(path)],
                                capture_output=True, text=True, check=True)
        changed += result.stdout != path.read_text()
        path.write_text(result.stdout)
    assert changed >= 3  # the amounts of every FY file moved to column 70
    assert sealed(books_copy) == before


def test_moving_an_entry_to_another_included_file_changes_nothing(books_copy: Path) -> None:
    before = sealed(books_copy)
    rewrite(books_copy, FY_FILE, FURNITURE, "")
    rewrite(books_copy, "2017-18.beancount", "\n", "\n\n" + FURNITURE + "\n")
    assert sealed(books_copy) == before


def test_reordering_the_entries_of_a_day_changes_nothing(books_copy: Path) -> None:
    before = sealed(books_copy)
    # the meeting and its decision of 10 May 2018, written the other way round
    path = books_copy.parent / FY_FILE
    text = path.read_text()
    meeting_at = text.index('2018-05-10 custom "kcst-meeting"')
    decision_at = text.index('2018-05-10 custom "kcst-decision"')
    after = text.index("\n\n", decision_at) + 2
    meeting, decision = text[meeting_at:decision_at], text[decision_at:after]
    path.write_text(text[:meeting_at] + decision + meeting + text[after:])
    assert sealed(books_copy) == before


@pytest.mark.parametrize(("what", "old", "new"), [
    ("a date", "2018-06-14 *", "2018-06-15 *"),
    ("an amount", "5120.00 GBP\n  Assets:KFRS:KCST-Pool                     -5120.00",
     "5210.00 GBP\n  Assets:KFRS:KCST-Pool                     -5210.00"),
    ("an account", "Expenses:Accommodation:HotDesking          5120.00",
     "Expenses:Staff:Admin                      5120.00"),
    ("a payee", '"Office Interiors Ltd"', '"Office Interiors Limited"'),
    ("a narration", '"Hot-desk furniture, Loose Road"', '"Hot-desk furniture"'),
    ("a metadata value", 'ref: "KFRS-PO-180611"', 'ref: "KFRS-PO-180612"'),
    ("an added metadata key", 'ref: "KFRS-PO-180611"\n',
     'ref: "KFRS-PO-180611"\n  invoice: "OI-0042"\n'),
    ("a flag", '2018-06-14 * "Office', '2018-06-14 ! "Office'),
    ("a tag", '"Hot-desk furniture, Loose Road"', '"Hot-desk furniture, Loose Road" #works'),
    ("a kcst- directive's value", "limit: 8000.00 GBP", "limit: 9000.00 GBP"),
    ("a meeting's attendance", 'kp: "present"', 'kp: "deputy"'),
])
def test_any_edit_of_a_sealed_entry_changes_the_digest(books_copy: Path, what: str, old: str,
                                                       new: str) -> None:
    before = sealed(books_copy)
    rewrite(books_copy, FY_FILE, old, new)
    assert not load_books(books_copy).errors
    assert sealed(books_copy) != before, what


def test_entries_after_the_seal_are_outside_it(books_copy: Path) -> None:
    before = seal_now(books_copy, 2018)
    rewrite(books_copy, "2019-20.beancount", "20420.00 GBP", "20421.00 GBP")
    assert seal_now(books_copy, 2018) == before


def test_a_transaction_is_written_out_as_the_generic_canonical_form(bundled) -> None:
    """``canonical`` writes transactions field by field for speed; it must give exactly
    the generic form, or the bundled seals would no longer hold."""
    books = load_books_string(HEAD + '''\
2018-01-01 open Assets:Shares
2018-05-02 ! "Broker" "Odd one" #works #audit ^inv-42
  ref: "X-1"
  Assets:Shares          2 SHR {10.50 GBP} @ 11.00 GBP
    note: "posting metadata"
  ! Assets:KFRS:KCST-Pool  -21.00 GBP
2018-05-03 * "Payee only, no narration" ""
  Expenses:Staff:Other   1.0 GBP
  Assets:KFRS:KCST-Pool
''')
    entries = [*bundled.entries, *books.entries]
    assert sum(isinstance(e, data.Transaction) for e in entries) > 70
    for entry in entries:
        assert canonical(entry) == f"{type(entry).__name__}|{_canon(entry._asdict())}"
