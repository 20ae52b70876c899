"""Year end: the roll-forward, the digest and kcst close-year."""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from kcst_budget.books import load_books
from kcst_budget.money.yearend import roll_forward
from kcst_budget.periods import FinancialYear

from ..conftest import BUNDLED, ROOT

BIN = Path(sys.executable).parent
D = datetime.date


def test_bundled_year_ends_carry_the_pool_balance_and_their_digests_hold(bundled) -> None:
    lines = {line.fy.label: line for line in roll_forward(bundled, D(2020, 4, 30))}
    assert lines["2018/19"].opening == Decimal("30000.00")
    assert lines["2018/19"].contributions == Decimal("48000.00")
    assert lines["2018/19"].spend == Decimal("82890.00")
    assert lines["2018/19"].closing == Decimal("-4890.00")
    for label in ("2017/18", "2018/19", "2019/20"):
        assert lines[label].record is not None, label
        assert lines[label].amount_holds and lines[label].digest_holds, label
    assert list(lines) == ["2017/18", "2018/19", "2019/20"]  # none after the last movement


def _folder_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".kcst.lock")}  # the lock is no ledger file


@pytest.fixture
def ledger_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, folder, ignore=shutil.ignore_patterns(".*"))
    return folder / "main.beancount"


def kcst(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "kcst"), *args], capture_output=True, text=True)


@pytest.mark.parametrize(("fy", "message"), [
    ("2019/20", "2019/20 is already closed at"),
    ("2030/31", "2030/31 has not ended"),
    ("2016/17", "2016/17 lies in the period sealed by the 2019/20 year-end"),
    ("2019", "is not written like 2018/19"),
    ("2019/21", "21 does not follow 2019"),
])
def test_close_year_refusals_leave_every_file_byte_identical(ledger_copy, fy, message) -> None:
    before = _folder_hash(ledger_copy.parent)
    result = kcst("close-year", fy, "--ledger", str(ledger_copy))
    assert result.returncode == 2
    assert message in result.stderr
    assert _folder_hash(ledger_copy.parent) == before


def test_close_year_refuses_when_the_previous_year_is_open(ledger_copy) -> None:
    for name in ("2017-18", "2018-19", "2019-20"):  # drop the year-end records
        path = ledger_copy.parent / f"{name}.beancount"
        text = path.read_text()
        path.write_text(text[:text.index("\n20", text.index('"kcst-year-end"') - 40)] + "\n"
                        if '"kcst-year-end"' in text else text)
    before = _folder_hash(ledger_copy.parent)
    result = kcst("close-year", "2018/19", "--ledger", str(ledger_copy))
    assert result.returncode == 2, result.stdout
    assert "2017/18 is not closed yet" in result.stderr
    assert _folder_hash(ledger_copy.parent) == before
    assert kcst("close-year", "2017/18", "--ledger", str(ledger_copy)).returncode == 0
    books = load_books(ledger_copy)
    record = books.terms.year_end(FinancialYear(2017))
    assert record.amount == Decimal("30000.00")
    assert record.source.filename.endswith("2017-18.beancount")
    assert record.digest == books.seal_now(record)


def test_editing_a_sealed_entry_breaks_the_seal(ledger_copy) -> None:
    path = ledger_copy.parent / "2018-19.beancount"
    path.write_text(path.read_text().replace("5120.00 GBP", "5210.00 GBP").replace(
        "-5120.00 GBP", "-5210.00 GBP"))
    books = load_books(ledger_copy)
    line = next(x for x in roll_forward(books, D(2020, 4, 1)) if x.fy == FinancialYear(2018))
    assert line.digest_holds is False
    assert line.amount_holds is False  # the balance moved too


def test_after_a_close_editing_a_sealed_entry_is_a_period_lock_breach(ledger_copy) -> None:
    """close-year seals 2017/18; rewriting a contribution of that year breaks the seal."""
    for name in ("2017-18", "2018-19", "2019-20"):  # the books before any close
        path = ledger_copy.parent / f"{name}.beancount"
        text = path.read_text()
        if '"kcst-year-end"' in text:
            path.write_text(text[:text.index("\n20", text.index('"kcst-year-end"') - 40)] + "\n")
    assert kcst("close-year", "2017/18", "--ledger", str(ledger_copy)).returncode == 0
    sealed = kcst("check", "--ledger", str(ledger_copy))
    assert "period-lock" not in sealed.stdout + sealed.stderr

    path = ledger_copy.parent / "2017-18.beancount"
    text = path.read_text()
    assert text.count("10000.00 GBP") >= 2
    path.write_text(text.replace("-10000.00 GBP", "-10001.00 GBP", 1)
                    .replace(" 10000.00 GBP", " 10001.00 GBP", 1))
    result = kcst("check", "--ledger", str(ledger_copy))
    record = load_books(ledger_copy).terms.year_end(FinancialYear(2017))
    assert result.returncode == 1
    line = next(x for x in result.stdout.splitlines() if "[period-lock" in x)
    assert line.startswith(f"{record.source.display()}: [period-lock] the 2017/18 year-end record")


def test_close_year_refuses_an_invalid_ledger_naming_the_file_and_line(ledger_copy) -> None:
    path = ledger_copy.parent / "2019-20.beancount"
    text = path.read_text()  # 2019/20 reopened: only the invalid ledger stops the close
    text = text[:text.index('2020-03-31 custom "kcst-year-end"')]
    path.write_text(text + '2020-03-30 * "Broken" "Does not balance"\n'
                    "  Expenses:Staff:Admin   10.00 GBP\n  Assets:KFRS:KCST-Pool  -1.00 GBP\n")
    before = _folder_hash(ledger_copy.parent)
    result = kcst("close-year", "2019/20", "--ledger", str(ledger_copy))
    assert result.returncode == 2
    assert "the ledger has 1 error(s) of its own" in result.stderr
    assert "2019-20.beancount:" in result.stderr and "nothing was written" in result.stderr
    assert _folder_hash(ledger_copy.parent) == before


def test_canonical_fast_path_equals_the_generic_form(books_of_text) -> None:
    """Transactions take a fast path to their canonical text; it must be the same text
    the generic walk gives, or sealed digests would change."""
    from kcst_budget import seal as yearend

    books = books_of_text("""\
        2018-01-01 commodity SHARE
        2018-01-01 open Assets:KFRS:Shares SHARE
        2018-05-01 ! "KP" "Contribution" #kcst ^ref-1
          ref: "X-1"
          decision: "D-1"
          paid: 2018-05-02
          Assets:KFRS:KCST-Pool       100.0 GBP
            note: "cleared"
          ! Income:Contributions:KP  -100.00 GBP
        2018-05-02 * "Broker" "Shares at cost and price"
          Assets:KFRS:Shares          2 SHARE {10.00 GBP} @ 11.00 GBP
          Assets:KFRS:KCST-Pool     -20.00 GBP
        2018-05-03 * "Interpolated"
          Assets:KFRS:KCST-Pool      5.00 GBP
          Income:Contributions:KCC
    """)
    transactions = [e for e in books.entries if type(e).__name__ == "Transaction"]
    assert len(transactions) == 3
    for entry in books.entries:
        assert yearend.canonical(entry) == f"{type(entry).__name__}|{yearend._canon(entry._asdict())}"


def test_a_year_after_the_term_in_which_the_pool_moved_can_be_closed(ledger_copy) -> None:
    """Spec section 3: money that arrives or leaves after the term still has to be rolled
    forward. The host's April 2020 export is imported, then 2020/21 is closed and sealed."""
    csv = ROOT / "ledger" / "import" / "kfrs-ledger-2020-04.csv"
    imported = kcst("import", str(csv), "--ledger", str(ledger_copy))
    assert imported.returncode in (0, 1), imported.stderr
    result = kcst("close-year", "2020/21", "--ledger", str(ledger_copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith("2020-21.beancount: closed 2020/21")
    books = load_books(ledger_copy)
    record = books.terms.year_end(FinancialYear(2020))
    assert record.amount == books.balance_on(D(2021, 3, 31)) != Decimal("370.00")
    assert record.digest == books.seal_now(record)
    check = kcst("check", "--ledger", str(ledger_copy))
    assert "period-lock" not in check.stdout + check.stderr


def test_close_year_refuses_a_year_inside_the_sealed_period(ledger_copy) -> None:
    """Deleting 2018/19's record leaves a hole under the 2019/20 seal; closing 2018/19 again
    would change the period 2019/20 sealed, so it is refused."""
    path = ledger_copy.parent / "2018-19.beancount"
    text = path.read_text()
    path.write_text(text[:text.index('2019-03-31 custom "kcst-year-end"')])
    before = _folder_hash(ledger_copy.parent)
    result = kcst("close-year", "2018/19", "--ledger", str(ledger_copy))
    assert result.returncode == 2
    assert "2018/19 lies in the period sealed by the 2019/20 year-end at" in result.stderr
    assert "nothing was written" in result.stderr
    assert _folder_hash(ledger_copy.parent) == before


def test_close_year_refuses_a_year_not_ended_as_of_kcst_today(ledger_copy) -> None:
    path = ledger_copy.parent / "2019-20.beancount"
    text = path.read_text()
    path.write_text(text[:text.index('2020-03-31 custom "kcst-year-end"')])
    before = _folder_hash(ledger_copy.parent)
    result = subprocess.run([str(BIN / "kcst"), "close-year", "2019/20", "--ledger",
                             str(ledger_copy)], capture_output=True, text=True,
                            env={**os.environ, "KCST_TODAY": "2020-03-31"})
    assert result.returncode == 2
    assert "2019/20 has not ended: it ends on 2020-03-31" in result.stderr
    assert _folder_hash(ledger_copy.parent) == before
