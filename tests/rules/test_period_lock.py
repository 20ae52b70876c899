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
    result = period_lock(path)
    assert (result.status, result.findings) == ("pass", ())


def test_books_without_a_year_end_have_nothing_to_lock(write_ledger) -> None:
    assert period_lock(write_ledger(BOOKS_2017_18)).status == "n/a"


def test_the_bundled_books_are_sealed_and_unchanged(bundled) -> None:
    result = judge(bundled, datetime.date(2020, 4, 30), [rule("period-lock")]).results[0]
    assert result.status == "pass" and result.findings == ()
    assert len([y for y in bundled.terms.year_ends if y.digest]) == 3


# ---- The chain and every condition of spec section 4 -----------------------------------

THREE_YEARS = (BOOKS_2017_18 + contribution("2018-05-02", "KCC", "16000.00")
               + contribution("2019-05-02", "KP", "16000.00"))
AFTER_THREE = datetime.date(2020, 6, 30)


def close(path: Path, *years: str) -> None:
    for fy in years:
        result = CliRunner().invoke(app, ["close-year", fy, "--ledger", str(path)])
        assert result.exit_code == 0, result.output


def closed_three_years(write_ledger) -> Path:
    path = write_ledger(THREE_YEARS)
    close(path, "2017/18", "2018/19", "2019/20")
    return path


def period_lock_on(path: Path, as_of: datetime.date = AFTER_THREE):
    books = load_books(path)
    assert not books.errors, [e.message for e in books.errors]
    return judge(books, as_of, [rule("period-lock")]).results[0]


def cut(text: str, start: str, end: str = "\n\n") -> str:
    """``text`` without the part from ``start`` to the next ``end`` (or the end)."""
    at = text.index(start)
    stop = text.find(end, at)
    return text[:at] + ("" if stop < 0 else text[stop + len(end):])


def test_three_years_closed_in_turn_hold_their_seals(write_ledger) -> None:
    path = closed_three_years(write_ledger)
    assert path.read_text().count('custom "kcst-year-end"') == 3
    result = period_lock_on(path)
    assert (result.status, result.findings) == ("pass", ())


def test_each_seal_covers_the_year_ends_before_it(write_ledger) -> None:
    """Editing 2017/18's carried-forward amount breaks the seals of the two years after it."""
    path = closed_three_years(write_ledger)
    path.write_text(path.read_text().replace('"2017/18" 20000.00 GBP', '"2017/18" 20001.00 GBP'))
    findings = period_lock_on(path).findings
    assert [(f.date.year, "no longer matches" in f.message) for f in findings] == [
        (2019, True), (2020, True)]


def test_a_digest_struck_out_while_a_later_year_is_sealed_is_a_breach(write_ledger) -> None:
    path = closed_three_years(write_ledger)
    text = path.read_text()
    record = text.index('"kcst-year-end" "2018/19"')
    digest_line = text.index("  digest:", record)
    path.write_text(text[:digest_line] + text[text.index("\n", digest_line) + 1:])
    body = path.read_text()[len(HEAD):]
    findings = period_lock_on(path).findings
    struck = [f for f in findings if "carries no digest" in f.message]
    assert [(f.severity, f.source.lineno) for f in struck] == [
        ("breach", line_in(body, '"kcst-year-end" "2018/19"'))]
    assert struck[0].message == (
        "the 2018/19 year-end record carries no digest, while the later 2019/20 year-end "
        f"({findings[-1].source}) is sealed: the seal of 2018/19 has been struck out")
    # and the 2019/20 seal, which covered the struck-out line, no longer matches
    assert any(f.date.year == 2020 and "no longer matches" in f.message for f in findings)


def test_a_year_end_deleted_between_two_sealed_years_is_a_hole(write_ledger) -> None:
    path = closed_three_years(write_ledger)
    path.write_text(cut(path.read_text(), '2019-03-31 custom "kcst-year-end"'))
    body = path.read_text()[len(HEAD):]
    findings = period_lock_on(path).findings
    hole = [f for f in findings if "hole" in f.message]
    assert [(f.severity, f.date, f.source.lineno) for f in hole] == [
        ("breach", datetime.date(2020, 3, 31), line_in(body, '"kcst-year-end" "2019/20"'))]
    assert hole[0].message == (
        "2018/19 ended before the sealed 2019/20 year-end but has no kcst-year-end record: "
        "the chain of seals has a hole (a year-end record deleted, or the file of 2018/19 no "
        "longer included)")


def test_two_year_ends_for_one_fy_are_a_breach(write_ledger) -> None:
    path = write_ledger(BOOKS_2017_18)
    close(path, "2017/18")
    text = path.read_text()
    record = text[text.index('2018-03-31 custom "kcst-year-end"'):]
    path.write_text(text + "\n" + record)
    body = path.read_text()[len(HEAD):]
    findings = period_lock_on(path, AS_OF).findings
    twice = [f for f in findings if "second year-end" in f.message]
    first, second = (line_in(body, '"kcst-year-end" "2017/18"', n) for n in (1, 2))
    assert [(f.severity, f.source.lineno) for f in twice] == [("breach", second)]
    assert f"the first is at {path}:{first}" in twice[0].message


def test_an_fy_due_no_roll_forward_is_no_hole(write_ledger) -> None:
    """Money that arrives after the term still has to be rolled forward (spec section 3):
    2021/22 can be closed after the term; 2020/21, when the pool did not move and no term
    overlaps it, needs no year-end and is no hole in the chain."""
    path = write_ledger(THREE_YEARS + contribution("2021-05-04", "KCC", "500.00"))
    close(path, "2017/18", "2018/19", "2019/20")
    result = CliRunner().invoke(app, ["close-year", "2020/21", "--ledger", str(path)])
    assert result.exit_code == 2
    assert "2020/21 has nothing to roll forward" in result.output
    close(path, "2021/22")
    assert '2022-03-31 custom "kcst-year-end" "2021/22" 52500.00 GBP' in path.read_text()
    result = period_lock_on(path, datetime.date(2022, 6, 30))
    assert (result.status, result.findings) == ("pass", ())


def test_a_padding_entry_stands_in_no_file_and_every_judge_agrees(write_ledger) -> None:
    """Beancount's ``pad`` adds its padding transaction after the plugin: it stands in no
    file, so close-year, the plugin (bean-check) and kcst check all seal the same entries."""
    path = write_ledger(BOOKS_2017_18 + (
        "2017-04-01 open Assets:KFRS:Petty GBP\n"
        "2017-04-01 open Equity:Opening GBP\n"
        "2018-02-01 pad Assets:KFRS:Petty Equity:Opening\n"
        "2018-02-02 balance Assets:KFRS:Petty  50.00 GBP\n"))
    close(path, "2017/18")
    books = load_books(path)
    assert any(getattr(e, "flag", None) == "P" for e in books.entries)  # the padding
    assert period_lock_on(path, AS_OF).findings == ()
    from beancount import loader

    _, errors, _ = loader._load([(str(path), True)], None, None, None)
    assert not [e for e in errors if "period-lock" in e.message]
