"""cl. 8.5: "Recruitment of a KCST analyst on a fixed term contract for 18 months"."""

from __future__ import annotations

from .conftest import contribution, d, spend

ANALYST = ('2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP\n'
           '  host: "KCC"\n  months: 18\n')
FUNDS = contribution("2018-04-20", "KFRS", "16000.00") + contribution("2019-04-20", "KCC", "16000.00")


def charged(date: str) -> str:
    return ANALYST + FUNDS + spend(date, "Expenses:Staff:Analyst", "2916.67")


def test_a_charge_inside_the_fixed_term_keeps_the_clause(judged) -> None:
    result = judged("post-term", charged("2018-10-25"), "2020-06-30")
    assert result.status == "pass" and result.findings == ()


def test_the_first_day_and_the_last_day_of_the_term_are_inside_it(judged) -> None:
    assert judged("post-term", charged("2018-10-01"), "2020-06-30").findings == ()
    assert judged("post-term", charged("2020-03-31"), "2020-06-30").findings == ()


def test_a_charge_before_the_post_started_is_a_breach(judged) -> None:
    result = judged("post-term", charged("2018-09-25"), "2020-06-30")
    assert result.cited() == [("breach", d("2018-09-25"), result.line_of("2018-09-25"))]
    assert result.findings[0].message == (
        "KCST Analyst (Expenses:Staff:Analyst) charged £2,916.67 on 25 September 2018, before "
        "the post started on 1 October 2018")


def test_a_charge_on_the_day_the_term_ends_is_a_breach(judged) -> None:
    # 18 months from 1 October 2018: the last day is 31 March 2020, it ends on 1 April
    result = judged("post-term", charged("2020-04-01"), "2020-06-30")
    assert result.status == "fail"
    assert result.findings[0].message.endswith(
        "after its fixed term of 18 months ended on 31 March 2020")


def test_a_charge_after_the_as_of_date_is_not_judged(judged) -> None:
    assert judged("post-term", charged("2020-04-25"), "2020-04-24").findings == ()
