"""cl. 4.1: the SMT "will meet at least every two months and must have representation from
all three constituent partners for a quorum to be met"."""

from __future__ import annotations

from ..conftest import HEAD
from .conftest import d, head_line, meeting

AGREEMENT = head_line('custom "kcst-agreement"')


def every_two_months(first_year: int, first_month: int, count: int, day: int = 10) -> str:
    """``count`` quorate meetings on ``day`` of every other month."""
    text = ""
    index = first_year * 12 + first_month - 1
    for k in range(count):
        year, month = divmod(index + 2 * k, 12)
        text += meeting(f"{year:04d}-{month + 1:02d}-{day:02d}")
    return text


def test_a_meeting_exactly_two_calendar_months_after_the_last_is_on_time(judged) -> None:
    # the term starts 1 January 2018: 1 March is exactly two months later, then 1 May
    body = meeting("2018-03-01") + meeting("2018-05-01")
    result = judged("meeting-cadence", body, "2018-07-01")
    assert result.status == "pass" and result.findings == ()


def test_a_meeting_a_day_later_is_late(judged) -> None:
    body = meeting("2018-03-01") + meeting("2018-05-02")
    result = judged("meeting-cadence", body, "2018-06-30")
    assert result.status == "fail"
    # dated the day the next meeting was due; cites the previous meeting
    assert result.cited() == [("breach", d("2018-05-01"), result.line_of("2018-03-01"))]
    assert result.findings[0].message == (
        "no quorate SMT meeting from the meeting of 1 March 2018 until 2 May 2018: the next "
        "was due by 1 May 2018; the SMT will meet at least every two months")


def test_the_first_meeting_is_due_two_months_after_the_term_starts(judged) -> None:
    result = judged("meeting-cadence", meeting("2018-03-02"), "2018-04-30")
    assert result.cited() == [("breach", d("2018-03-01"), AGREEMENT)]
    assert result.findings[0].message.startswith(
        "no quorate SMT meeting from the start of MoU 2018-2020 on 1 January 2018 until "
        "2 March 2018")


def test_an_inquorate_meeting_does_not_count(judged) -> None:
    body = meeting("2018-02-01") + meeting("2018-04-01", kp="absent") + meeting("2018-05-01")
    result = judged("meeting-cadence", body, "2018-06-30")
    assert result.cited() == [("breach", d("2018-04-01"), result.line_of("2018-02-01"))]


def test_a_meeting_with_a_deputy_counts(judged) -> None:
    body = meeting("2018-02-01") + meeting("2018-04-01", kp="deputy") + meeting("2018-05-01")
    assert judged("meeting-cadence", body, "2018-06-30").findings == ()


def test_the_gap_since_the_last_meeting_counts_up_to_the_as_of_date(judged) -> None:
    body = meeting("2018-02-01") + meeting("2018-03-01")
    assert judged("meeting-cadence", body, "2018-05-01").findings == ()  # due by 1 May
    late = judged("meeting-cadence", body, "2018-05-02")
    assert late.cited() == [("breach", d("2018-05-01"), late.line_of("2018-03-01"))]
    assert "since" not in late.findings[0].message
    assert late.findings[0].message.startswith(
        "no quorate SMT meeting from the meeting of 1 March 2018 so far: the next was due by "
        "1 May 2018")


def test_two_calendar_months_after_31_december_is_28_february(judged) -> None:
    starts_31_december = HEAD.replace('2018-01-01 custom "kcst-agreement"',
                                      '2018-12-31 custom "kcst-agreement"')
    on_time = judged("meeting-cadence", meeting("2019-02-28"), "2019-03-31",
                     head=starts_31_december)
    assert on_time.findings == ()
    late = judged("meeting-cadence", meeting("2019-03-01"), "2019-03-31",
                  head=starts_31_december)
    assert [(f.date, f.source.lineno) for f in late.findings] == [(d("2019-02-28"), AGREEMENT)]


def test_the_gap_to_the_end_of_the_term_counts_once_the_term_has_ended(judged) -> None:
    # Jan 2018 .. Jan 2020 every two months; the next was due by 10 March 2020
    body = every_two_months(2018, 1, 13)
    assert "2020-01-10" in body
    result = judged("meeting-cadence", body, "2021-06-30")
    assert result.cited() == [("breach", d("2020-03-10"), result.line_of("2020-01-10"))]
    assert "to the end of the term" in result.findings[0].message
    assert judged("meeting-cadence", body + meeting("2020-03-10"), "2021-06-30").findings == ()
