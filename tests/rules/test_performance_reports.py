"""cl. 13.1: "The KCST Coordinator is responsible for reporting performance and evaluating
the impact of the team to the KCST SMT every two months during this agreement"."""

from __future__ import annotations

from .conftest import d, meeting

COORDINATOR = ('2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator '
               '45000.00 GBP\n  host: "KFRS"\n  months: 24\n  reports-performance: TRUE\n')


def reported(date: str) -> str:
    return meeting(date, report=True)


def test_a_first_report_exactly_two_months_after_the_post_starts_is_on_time(judged) -> None:
    result = judged("performance-reports", COORDINATOR + reported("2018-09-01"), "2018-10-31")
    assert result.status == "pass" and result.findings == ()


def test_a_first_report_a_day_later_is_a_breach(judged) -> None:
    result = judged("performance-reports", COORDINATOR + reported("2018-09-02"), "2018-10-31")
    # cites the coordinator's post, dated the day the report was due
    assert result.cited() == [("breach", d("2018-09-01"), result.line_of("kcst-post"))]
    assert result.findings[0].message == (
        "no performance report by the KCST Coordinator to the SMT from the start of the KCST "
        "Coordinator's post on 1 July 2018 until 2 September 2018: the next was due by "
        "1 September 2018; the coordinator reports performance every two months")


def test_a_meeting_without_a_performance_report_does_not_count(judged) -> None:
    body = COORDINATOR + reported("2018-08-01") + meeting("2018-10-01") + reported("2018-10-15")
    result = judged("performance-reports", body, "2018-11-30")
    assert result.cited() == [("breach", d("2018-10-01"), result.line_of("2018-08-01"))]


def test_the_gap_since_the_last_report_counts_up_to_the_as_of_date(judged) -> None:
    body = COORDINATOR + reported("2018-08-01")
    assert judged("performance-reports", body, "2018-10-01").findings == ()
    assert judged("performance-reports", body, "2018-10-02").status == "fail"


def test_reports_are_due_only_during_the_agreement(judged) -> None:
    # the coordinator's 24 months run to 30 June 2020; the agreement ends 31 March 2020
    reports = "".join(reported(f"{y}-{m:02d}-15") for y, m in (
        (2018, 8), (2018, 10), (2018, 12), (2019, 2), (2019, 4), (2019, 6), (2019, 8),
        (2019, 10), (2019, 12), (2020, 2)))
    assert judged("performance-reports", COORDINATOR + reports, "2021-01-01").findings == ()


def test_no_coordinator_post_is_not_applicable(judged) -> None:
    assert judged("performance-reports", reported("2018-08-01"), "2019-01-01").status == "n/a"
