"""period-lock: a financial year closed by ``kcst close-year`` stays as it was sealed
(cl. 8.2: "the pooled fund will be rolled forward at the end of each financial year")."""

from __future__ import annotations

import datetime
from pathlib import Path

from typer.testing import CliRunner

from kcst_budget.books import load_books
from kcst_budget.cli import app
from kcst_budget.rules import judge, rule

from ..conftest import HEAD
from .conftest import contribution, line_in

BOOKS_2017_18 = (contribution("2018-02-15", "KCC", "10000.00")
                 + contribution("2018-03-20", "KP", "10000.00"))
AS_OF = datetime.date(2018, 6, 30)


def closed_2017_18(write_ledger) -> Path:
    path = write_ledger(BOOKS_2017_18)
    result = CliRunner().invoke(app, ["close-year", "2017/18", "--ledger", str(path)])
    assert result.exit_code == 0, result.output
    assert 'custom "kcst-year-end" "2017/18"' in path.read_text()
    return path


def period_lock(path: Path):
    books = load_books(path)
    assert not books.errors, [e.message for e in books.errors]
    return judge(books, AS_OF, [rule("period-lock")]).results[0]


def test_a_year_closed_by_kcst_close_year_keeps_its_seal(write_ledger) -> None:
    result = period_lock(closed_2017_18(write_ledger))
    assert result.status == "pass" and result.findings == ()


def test_entries_of_the_open_year_do_not_touch_the_seal(write_ledger) -> None:
    path = closed_2017_18(write_ledger)
    path.write_text(path.read_text() + contribution("2018-04-20", "KFRS", "16000.00"))
    assert period_lock(path).findings == ()


def test_layout_does_not_touch_the_seal(write_ledger) -> None:
    path = closed_2017_18(write_ledger)
    path.write_text(path.read_text().replace("  Assets:KFRS:KCST-Pool", "    Assets:KFRS:KCST-Pool"))
    assert period_lock(path).findings == ()


def test_changing_an_entry_of_the_closed_year_breaks_the_seal(write_ledger) -> None:
    path = closed_2017_18(write_ledger)
    text = path.read_text()
    path.write_text(text.replace('2018-03-20 * "KP" "Contribution"',
                                 '2018-03-20 * "KP" "Contribution, amended"'))
    result = period_lock(path)
    assert result.status == "fail"
    year_end = line_in(text[len(HEAD):], "kcst-year-end")
    assert [(f.severity, f.date, f.source.lineno) for f in result.findings] == [
        ("breach", datetime.date(2018, 3, 31), year_end)]
    assert result.findings[0].message.startswith(
        "the 2017/18 year-end record no longer matches the entries dated on or before "
        "31 March 2018: an entry of the closed year has been changed, added or removed since "
        "it was sealed (sealed sha256:")
    assert result.findings[0].label == "[period-lock]"


def test_an_entry_added_to_the_closed_year_breaks_the_seal(write_ledger) -> None:
    path = closed_2017_18(write_ledger)
    path.write_text(path.read_text() + contribution("2018-03-30", "KFRS", "10000.00"))
    assert [f.date for f in period_lock(path).findings] == [datetime.date(2018, 3, 31)]


def test_a_year_end_without_a_digest_seals_nothing(write_ledger) -> None:
    path = write_ledger(BOOKS_2017_18 + '2018-03-31 custom "kcst-year-end" "2017/18" 20000.00 GBP\n')
    assert period_lock(path).status == "n/a"


def test_the_bundled_books_are_sealed_and_unchanged(bundled) -> None:
    result = judge(bundled, datetime.date(2020, 4, 30), [rule("period-lock")]).results[0]
    assert result.status == "pass" and result.findings == ()
    assert len([y for y in bundled.terms.year_ends if y.digest]) == 3
