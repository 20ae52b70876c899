"""cl. 8.2: "It is intended that the pooled fund will be rolled forward at the end of each
financial year."; cl. 8.1: partners may "withdraw their portion of any remaining funds"."""

from __future__ import annotations

from .conftest import contribution, d, spend

POSTS = ('2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin '
         '24000.00 GBP\n  host: "KCC"\n  months: 24\n')
BOOKS_2017_18 = (contribution("2018-02-15", "KCC", "10000.00")
                 + contribution("2018-03-20", "KP", "10000.00"))
YEAR_END_2017_18 = '2018-03-31 custom "kcst-year-end" "2017/18" 20000.00 GBP\n'


def ended_by(result, date: str) -> list:
    return [(f.severity, f.date, f.source.lineno) for f in result.findings if f.date <= d(date)]


def test_a_year_end_record_carrying_the_pool_balance_keeps_the_clause(judged) -> None:
    result = judged("roll-forward", BOOKS_2017_18 + YEAR_END_2017_18, "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_an_ended_fy_without_a_year_end_record_is_a_warning(judged) -> None:
    result = judged("roll-forward", BOOKS_2017_18, "2018-06-30")
    assert result.status == "pass"
    # cites the FY's last movement of the pool
    assert result.cited() == [("warning", d("2018-03-31"), result.line_of("2018-03-20"))]
    assert result.findings[0].message == (
        "2017/18 has ended with no kcst-year-end record: the pool balance of £20,000.00 on "
        "31 March 2018 is not yet rolled forward (kcst close-year 2017/18)")


def test_an_fy_in_progress_needs_no_year_end_yet(judged) -> None:
    assert judged("roll-forward", BOOKS_2017_18, "2018-03-31").findings == ()


def test_a_year_end_amount_that_is_not_the_pool_balance_is_a_breach(judged) -> None:
    wrong = '2018-03-31 custom "kcst-year-end" "2017/18" 30000.00 GBP\n'
    result = judged("roll-forward", BOOKS_2017_18 + wrong, "2018-06-30")
    assert result.cited() == [("breach", d("2018-03-31"), result.line_of("kcst-year-end"))]
    assert result.findings[0].message == (
        "the 2017/18 year-end record carries forward £30,000.00 but the pool balance on "
        "31 March 2018 is £20,000.00")


def test_an_overdrawn_pool_rolls_forward_as_a_negative_balance(judged) -> None:
    body = (POSTS + BOOKS_2017_18 + YEAR_END_2017_18
            + spend("2018-04-25", "Expenses:Staff:Admin", "24000.00")
            + '2019-03-31 custom "kcst-year-end" "2018/19" -4000.00 GBP\n')
    assert judged("roll-forward", body, "2019-06-30").findings == ()


def test_a_refund_to_a_partner_outside_a_withdrawal_is_a_breach(judged) -> None:
    refund = ('2018-03-25 * "Kent Police" "Refund of overpayment"\n'
              "  Income:Contributions:KP  500.00 GBP\n  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    result = judged("roll-forward", BOOKS_2017_18 + refund, "2018-03-31")
    assert result.cited() == [("breach", d("2018-03-25"), result.line_of("Refund"))]
    assert result.findings[0].message.startswith(
        "£500.00 left the pool to KP on 25 March 2018 other than as a withdrawal by KP")


def test_money_returned_to_equity_withdrawn_without_withdrawal_metadata_is_a_breach(judged):
    paid_back = ('2018-03-25 * "KFRS" "Returned to KCC"\n'
                 "  Equity:Withdrawn:KCC  500.00 GBP\n  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    result = judged("roll-forward", BOOKS_2017_18 + paid_back, "2018-03-31")
    assert ended_by(result, "2018-03-31") == [("breach", d("2018-03-25"),
                                               result.line_of("Returned to KCC"))]


def test_a_withdrawal_by_the_partner_named_is_left_to_the_withdrawal_rules(judged) -> None:
    withdrawal = ('2018-03-25 * "KFRS" "KCC portion"\n  withdrawal: "KCC"\n'
                  "  Equity:Withdrawn:KCC  500.00 GBP\n  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    assert judged("roll-forward", BOOKS_2017_18 + withdrawal, "2018-03-31").findings == ()


def test_a_withdrawal_paid_to_another_partner_is_a_breach(judged) -> None:
    withdrawal = ('2018-03-25 * "KFRS" "KCC portion"\n  withdrawal: "KCC"\n'
                  "  Equity:Withdrawn:KP  500.00 GBP\n  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    result = judged("roll-forward", BOOKS_2017_18 + withdrawal, "2018-03-31")
    assert "to KP on 25 March 2018 other than as a withdrawal by KP" in result.findings[0].message


def test_a_year_end_after_the_as_of_date_is_not_judged(judged) -> None:
    wrong = '2018-03-31 custom "kcst-year-end" "2017/18" 30000.00 GBP\n'
    assert judged("roll-forward", BOOKS_2017_18 + wrong, "2018-03-30").findings == ()
