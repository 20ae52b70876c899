"""cl. 12.2: "A withdrawal from the KCST by a constituent partner will result in the
dissolution of this agreement"."""

from __future__ import annotations

from .conftest import contribution, d, spend

POST = ('2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator '
        '45000.00 GBP\n  host: "KFRS"\n  months: 24\n')
FUNDS = contribution("2018-04-20", "KFRS", "16000.00") + contribution("2018-06-11", "KP", "16000.00")
NOTICE = ('2018-06-30 custom "kcst-withdrawal-notice" "KP" 2018-12-31\n'
          "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n")
WITHDRAWAL = ('2019-01-10 * "KFRS" "KP\'s portion"\n  withdrawal: "KP"\n'
              "  Equity:Withdrawn:KP  5000.00 GBP\n  Assets:KFRS:KCST-Pool  -5000.00 GBP\n")


def salary(date: str) -> str:
    return spend(date, "Expenses:Staff:Coordinator", "3750.00")


def test_pool_money_used_after_a_withdrawal_took_effect_is_a_warning(judged) -> None:
    body = POST + FUNDS + NOTICE + salary("2018-12-31") + salary("2019-01-25")
    result = judged("dissolution", body, "2019-06-30")
    assert result.status == "pass"  # a warning, not a breach
    assert result.cited() == [("warning", d("2019-01-25"), result.line_of("2019-01-25"))]
    assert result.findings[0].message == (
        "£3,750.00 left the pool on 25 January 2019, after KP's withdrawal took effect on "
        "31 December 2018: a withdrawal results in the dissolution of this agreement")


def test_the_withdrawal_itself_is_not_warned(judged) -> None:
    body = POST + FUNDS + NOTICE + WITHDRAWAL
    assert judged("dissolution", body, "2019-06-30").findings == ()


def test_money_moving_after_the_as_of_date_is_not_judged(judged) -> None:
    body = POST + FUNDS + NOTICE + salary("2019-01-25")
    assert judged("dissolution", body, "2019-01-24").findings == ()


def test_no_notice_is_not_applicable(judged) -> None:
    assert judged("dissolution", POST + FUNDS + salary("2019-01-25"), "2019-06-30").status == "n/a"
