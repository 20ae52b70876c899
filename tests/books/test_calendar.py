"""The calendar of obligations (contract v1.1 section 9): ``kcst calendar`` writes an
iCalendar file that a calendar library reads back, one event per obligation that follows
from the books on the as-of date, each citing its clause, with stable UIDs."""

from __future__ import annotations

import datetime

import icalendar
from typer.testing import CliRunner

from kcst_budget.books import load_books
from kcst_budget.cli import app
from kcst_budget.obligations import obligations

from ..conftest import BUNDLED

runner = CliRunner()
D = datetime.date


def events_of(text: bytes | str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_the_bundled_books_as_of_the_january_2019_review_give_section_9s_events(tmp_path) -> None:
    """Worked from the ledger: the last quorate meeting, with the coordinator's report, was
    on 17 January 2019, so the next meeting and report are due by 17 March 2019 (cl. 4.1,
    13.1, every two months); January 2019's review was held that day, January 2020's is to
    come (cl. 11.1); the formal review report is due by 1 March 2019 and not yet delivered
    (cl. 13.2); 2018/19 and 2019/20 end, with their minimums due and their roll-forward,
    on 31 March 2019 and 2020 (cl. 8.2); the term ends on 31 March 2020 (cl. 3.1); no
    notice has been given (cl. 12.1)."""
    out = tmp_path / "obligations.ics"
    result = runner.invoke(app, ["calendar", "--ledger", str(BUNDLED), "--as-of", "2019-01-17",
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}: 9 obligations as of 2019-01-17"
    events = events_of(out.read_bytes())
    found = sorted((e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"])) for e in events)
    assert found == [
        (D(2019, 3, 1), D(2019, 3, 2), "Formal review report due (cl. 13.2)"),
        (D(2019, 3, 17), D(2019, 3, 18),
         "Coordinator's performance report to the SMT due (cl. 13.1)"),
        (D(2019, 3, 17), D(2019, 3, 18), "Next quorate SMT meeting due (cl. 4.1)"),
        (D(2019, 3, 31), D(2019, 4, 1),
         "End of financial year 2018/19: minimum contributions due (cl. 8.2, 8.6)"),
        (D(2019, 3, 31), D(2019, 4, 1), "Roll the pool forward: close 2018/19 (cl. 8.2)"),
        (D(2020, 1, 1), D(2020, 2, 1), "Review of MoU 2018-2020 due (cl. 11.1)"),
        (D(2020, 3, 31), D(2020, 4, 1), "End of financial year 2019/20: minimum contributions "
                                        "due (cl. 8.2, 8.6)"),
        (D(2020, 3, 31), D(2020, 4, 1), "End of the term of MoU 2018-2020 (cl. 3.1)"),
        (D(2020, 3, 31), D(2020, 4, 1), "Roll the pool forward: close 2019/20 (cl. 8.2)"),
    ]
    for event in events:  # each description cites its clause; every UID differs
        clause = str(event["SUMMARY"]).rsplit("(cl. ", 1)[1].rstrip(")")
        assert f"cl. {clause}" in str(event["DESCRIPTION"])
        assert event.decoded("DTSTAMP") == datetime.datetime(2019, 1, 17, tzinfo=datetime.UTC)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_uids_stay_when_an_obligation_moves_and_the_output_is_the_same_each_time() -> None:
    """A subscribed calendar updates the event: the next meeting due moves from 17 March to
    14 May 2019 after the meeting of 14 March, under the same UID."""
    before = {str(e["UID"]): e for e in events_of(_calendar("2019-01-17"))}
    after = {str(e["UID"]): e for e in events_of(_calendar("2019-03-20"))}
    meeting = next(uid for uid in before if uid.startswith("next-meeting-"))
    assert before[meeting].decoded("DTSTART") == D(2019, 3, 17)
    assert after[meeting].decoded("DTSTART") == D(2019, 5, 14)
    assert _calendar("2019-01-17") == _calendar("2019-01-17")
    # delivered on 25 February, the formal review report is no longer an obligation
    assert not any(uid.startswith("deadline-") for uid in after)


def _calendar(as_of: str) -> str:
    result = runner.invoke(app, ["calendar", "--ledger", str(BUNDLED), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_notice_an_overdue_review_and_an_unclosed_year_are_obligations(books_of_text) -> None:
    """KP's notice of 3 June 2019 takes effect on 31 December 2019 (cl. 12.1); January
    2019's review was never held (overdue, cl. 11.1); 2018/19 ended with no year-end
    record (overdue, cl. 8.2)."""
    books = books_of_text("""\
        2018-04-10 * "Kent County Council" "Contribution 2018/19"
          Assets:KFRS:KCST-Pool         16000.00 GBP
          Income:Contributions:KCC     -16000.00 GBP
        2019-06-03 custom "kcst-withdrawal-notice" "KP" 2019-12-31
          to-smt: TRUE
          to-kcsp-chair: TRUE
        """)
    found = {o.key: o for o in obligations(books, D(2019, 7, 1))}
    notice = found["withdrawal-kp-2019-06-03"]
    assert (notice.first, notice.clause, notice.overdue) == (D(2019, 12, 31), "12.1", False)
    assert "gave notice of withdrawal on 3 June 2019" in notice.description
    assert "cl. 12.2: a withdrawal dissolves the agreement" in notice.description
    review = found["review-2019-01-mou-2018-2020"]
    assert (review.first, review.last, review.overdue) == (D(2019, 1, 1), D(2019, 1, 31), True)
    assert found["roll-forward-2018-19"].overdue
    assert not found["roll-forward-2019-20"].overdue


def test_no_agreement_in_force_leaves_only_what_is_still_open() -> None:
    """Judged in December 2026 the bundled MoU has ended and every year is closed: nothing
    follows from the books."""
    assert obligations(load_books(BUNDLED), D(2026, 12, 2)) == ()


def test_a_bad_output_or_date_is_refused(tmp_path) -> None:
    result = runner.invoke(app, ["calendar", "--ledger", str(BUNDLED), "--output",
                                 str(tmp_path / "x.txt")])
    assert result.exit_code == 2 and "does not end in .ics" in result.output
    result = runner.invoke(app, ["calendar", "--ledger", str(BUNDLED), "--as-of", "2019-02-30"])
    assert result.exit_code == 2 and "not a real date" in result.output
    assert list(tmp_path.iterdir()) == []
