"""The year-end digest seals a closed period: blind to layout, files and same-day order,
and changed by any edit of what an auditor reads (a date, an amount, an account, a payee,
a narration, metadata, a ``kcst-`` directive)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beancount.core import data

from kcst_budget.books import load_books, load_books_string
from kcst_budget.seal import _canon, canonical
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
    assert bundled.terms.year_end(FinancialYear(2018)).digest == bundled.digest(SEAL)


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


def test_entries_after_the_seal_and_year_end_records_are_outside_it(books_copy: Path) -> None:
    before = sealed(books_copy)
    rewrite(books_copy, "2019-20.beancount", "20420.00 GBP", "20421.00 GBP")
    rewrite(books_copy, FY_FILE, 'digest: "sha256:', 'digest: "sha256:0')
    assert sealed(books_copy) == before



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
