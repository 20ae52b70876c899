"""cl. 8.6: "KCST Analytical Support: £35,000 paid per annum from the pooled budget to fund
this role for 18 months."""

from __future__ import annotations

from .conftest import contribution, d, spend

ANALYST = ('2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP\n'
           '  host: "KCC"\n  months: 18\n')
FUNDS = contribution("2018-04-20", "KFRS", "16000.00") + contribution("2018-05-03", "KCC", "16000.00")
MONTHS_2018_19 = ("2018-10-25", "2018-11-25", "2018-12-25", "2019-01-25", "2019-02-25",
                  "2019-03-25")


def recharges(dates: tuple[str, ...], amount: str = "2916.67") -> str:
    return "".join(spend(date, "Expenses:Staff:Analyst", amount) for date in dates)


def test_six_months_of_the_analyst_in_2018_19_keep_within_the_allowance(judged) -> None:
    # six monthly recharges rounded up to the penny: 17,500.02 GBP against 17,500.00 pro rata
    result = judged("post-budget", ANALYST + FUNDS + recharges(MONTHS_2018_19), "2019-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_seventh_months_recharge_in_2018_19_is_a_warning(judged) -> None:
    body = ANALYST + FUNDS + recharges(MONTHS_2018_19) + recharges(("2019-03-29",))
    result = judged("post-budget", body, "2019-06-30")
    assert result.status == "pass"  # a warning, not a breach
    assert result.cited() == [("warning", d("2019-03-29"), result.line_of("2019-03-29"))]
    assert result.findings[0].message == (
        "KCST Analyst: £20,416.69 spent in 2018/19, over £17,500.02 (£35,000.00 per annum for "
        "6 months of the post in 2018/19)")


def test_the_warning_cites_the_charge_that_crossed_the_allowance(judged) -> None:
    body = ANALYST + FUNDS + recharges(("2018-10-25",), "17000.00") + recharges(
        ("2018-11-25", "2018-12-25"), "400.00")
    result = judged("post-budget", body, "2019-06-30")
    assert result.cited() == [("warning", d("2018-12-25"), result.line_of("2018-12-25"))]


def test_spend_already_over_an_fy_in_progress_allowance_is_warned(judged) -> None:
    body = ANALYST + FUNDS + recharges(("2018-10-25",), "17600.00")
    result = judged("post-budget", body, "2018-10-31")
    assert [f.severity for f in result.findings] == ["warning"]


def test_no_post_is_not_applicable(judged) -> None:
    assert judged("post-budget", FUNDS, "2019-06-30").status == "n/a"
