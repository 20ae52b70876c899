"""cl. 8.6: "KCST Analytical Support: £35,000 paid per annum from the pooled budget to fund
this role for 18 months." A post's budget for an FY is its cost over the FY, a part month
by its days (spec section 2), rounded to the penny once."""

from __future__ import annotations

from .conftest import contribution, d, spend

ANALYST = ('2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP\n'
           '  host: "KCC"\n  months: 18\n')
#: The same post starting mid-month: its 2018/19 is 14/30 of September and six months,
#: 35,000.00 x (14/30 + 6) / 12 = 18,861.11 GBP; its 2019/20 is eleven months and 16/31 of
#: March 2020 (the span ends on 16 March), 35,000.00 x (11 + 16/31) / 12 = 33,588.71 GBP.
MID_MONTH = ANALYST.replace("2018-10-01", "2018-09-17")
FUNDS = contribution("2018-04-20", "KFRS", "16000.00") + contribution("2018-05-03", "KCC", "16000.00")
MONTHS_2018_19 = ("2018-10-25", "2018-11-25", "2018-12-25", "2019-01-25", "2019-02-25",
                  "2019-03-25")


def recharges(dates: tuple[str, ...], amount: str = "2916.67") -> str:
    return "".join(spend(date, "Expenses:Staff:Analyst", amount) for date in dates)


def exact_2018_19() -> str:
    """Six recharges adding up to exactly 17,500.00 GBP (the last one takes the pennies)."""
    return recharges(MONTHS_2018_19[:5]) + recharges(MONTHS_2018_19[5:], "2916.65")


def test_six_months_of_the_analyst_paid_exactly_keep_within_the_budget(judged) -> None:
    result = judged("post-budget", ANALYST + FUNDS + exact_2018_19(), "2019-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_penny_over_the_years_budget_is_a_warning(judged) -> None:
    # six monthly recharges rounded up to the penny: 17,500.02 GBP against 17,500.00
    result = judged("post-budget", ANALYST + FUNDS + recharges(MONTHS_2018_19), "2019-06-30")
    assert result.status == "pass"  # a warning, not a breach
    assert result.cited() == [("warning", d("2019-03-25"), result.line_of("2019-03-25"))]
    assert result.findings[0].message == (
        "KCST Analyst: £17,500.02 spent in 2018/19, over its budget of £17,500.00 for the year "
        "(£35,000.00 per annum for the part of its term in 2018/19)")


def test_a_post_starting_mid_month_is_budgeted_by_its_days(judged) -> None:
    kept = MID_MONTH + FUNDS + spend("2019-03-25", "Expenses:Staff:Analyst", "18861.11")
    assert judged("post-budget", kept, "2019-06-30").findings == ()
    over = MID_MONTH + FUNDS + spend("2019-03-25", "Expenses:Staff:Analyst", "18861.12")
    (finding,) = judged("post-budget", over, "2019-06-30").findings
    assert "over its budget of £18,861.11 for the year" in finding.message


def test_the_last_part_month_of_a_post_is_budgeted_by_its_days(judged) -> None:
    funds = FUNDS + contribution("2019-04-20", "KP", "40000.00")
    kept = MID_MONTH + funds + spend("2020-03-16", "Expenses:Staff:Analyst", "33588.71")
    assert judged("post-budget", kept, "2020-06-30").findings == ()
    over = MID_MONTH + funds + spend("2020-03-16", "Expenses:Staff:Analyst", "33588.72")
    (finding,) = judged("post-budget", over, "2020-06-30").findings
    assert "£33,588.72 spent in 2019/20, over its budget of £33,588.71" in finding.message


def test_the_warning_cites_the_charge_that_crossed_the_budget(judged) -> None:
    body = ANALYST + FUNDS + recharges(("2018-10-25",), "17000.00") + recharges(
        ("2018-11-25", "2018-12-25"), "400.00")
    result = judged("post-budget", body, "2019-06-30")
    assert result.cited() == [("warning", d("2018-12-25"), result.line_of("2018-12-25"))]


def test_spend_already_over_an_fy_in_progress_budget_is_warned(judged) -> None:
    body = ANALYST + FUNDS + recharges(("2018-10-25",), "17600.00")
    result = judged("post-budget", body, "2018-10-31")
    assert [f.severity for f in result.findings] == ["warning"]


def test_spend_on_the_as_of_day_is_judged_and_the_day_after_is_not(judged) -> None:
    body = ANALYST + FUNDS + recharges(("2018-10-25",), "17600.00")
    assert [f.severity for f in judged("post-budget", body, "2018-10-25").findings] == ["warning"]
    assert judged("post-budget", body, "2018-10-24").findings == ()


def test_no_post_is_not_applicable(judged) -> None:
    assert judged("post-budget", FUNDS, "2019-06-30").status == "n/a"
