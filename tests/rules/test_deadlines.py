"""cl. 13.2: "the KCST Coordinator will submit a formal report on the review of the KCST to
the KCST SMT by the 1 March 2019"."""

from __future__ import annotations

from .conftest import d

DEADLINE = ('2018-01-01 custom "kcst-deadline" "formal-review-report" 2019-03-01\n'
            '  clause: "13.2"\n')


def delivered(date: str) -> str:
    return f'{date} custom "kcst-delivered" "formal-review-report"\n'


def test_a_report_delivered_before_the_deadline_keeps_the_clause(judged) -> None:
    result = judged("deadlines", DEADLINE + delivered("2019-02-25"), "2019-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_report_delivered_on_the_deadline_is_on_time(judged) -> None:
    assert judged("deadlines", DEADLINE + delivered("2019-03-01"), "2019-06-30").findings == ()


def test_a_report_delivered_the_day_after_is_late(judged) -> None:
    result = judged("deadlines", DEADLINE + delivered("2019-03-02"), "2019-06-30")
    assert result.cited() == [("breach", d("2019-03-01"), result.line_of("kcst-deadline"))]
    assert result.findings[0].message == (
        "formal-review-report was due by 1 March 2019; delivered late on 2 March 2019")
    assert result.findings[0].label == "[deadlines cl. 13.2]"


def test_an_undelivered_report_is_a_breach_only_once_the_deadline_has_passed(judged) -> None:
    assert judged("deadlines", DEADLINE, "2019-03-01").findings == ()
    result = judged("deadlines", DEADLINE, "2019-03-02")
    assert [f.message for f in result.findings] == [
        "formal-review-report was due by 1 March 2019 and not delivered"]


def test_a_deadline_carries_its_own_clause(judged) -> None:
    other = ('2018-01-01 custom "kcst-deadline" "kcc-annual-report" 2019-01-31\n'
             '  clause: "4.3"\n')
    result = judged("deadlines", other, "2019-06-30")
    assert result.findings[0].label == "[deadlines cl. 4.3]"


def test_no_deadline_is_not_applicable(judged) -> None:
    assert judged("deadlines", "", "2019-06-30").status == "n/a"
