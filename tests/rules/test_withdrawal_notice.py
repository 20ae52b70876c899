"""cl. 12.1: "A constituent partner may cease to participate in the KCST by resolution to that
effect being sent to each of the SMT members, and communicated in writing to the Kent
Community Safety Partnership chairperson. A minimum of six months' notice must be given
before withdrawal can take place." cl. 8.1: partners may "withdraw their portion of any
remaining funds"."""

from __future__ import annotations

from .conftest import contribution, d

FUNDS = (contribution("2018-04-20", "KFRS", "16000.00")
         + contribution("2018-05-03", "KCC", "16000.00")
         + contribution("2018-06-11", "KP", "16000.00"))  # KP's portion: 16,000.00 of 48,000.00


def notice(given: str, effective: str, *, smt: bool = True, chair: bool = True) -> str:
    return (f'{given} custom "kcst-withdrawal-notice" "KP" {effective}\n'
            f'  to-smt: {"TRUE" if smt else "FALSE"}\n'
            f'  to-kcsp-chair: {"TRUE" if chair else "FALSE"}\n')


def withdrawal(date: str, amount: str) -> str:
    return (f'{date} * "KFRS" "KP\'s portion of the remaining funds"\n  withdrawal: "KP"\n'
            f"  Equity:Withdrawn:KP  {amount} GBP\n  Assets:KFRS:KCST-Pool  -{amount} GBP\n")


def test_a_notice_of_exactly_six_months_is_valid(judged) -> None:
    result = judged("withdrawal-notice", FUNDS + notice("2018-06-30", "2018-12-30"), "2019-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_notice_a_day_short_of_six_months_is_a_breach(judged) -> None:
    result = judged("withdrawal-notice", FUNDS + notice("2018-06-30", "2018-12-29"), "2019-06-30")
    assert result.cited() == [("breach", d("2018-06-30"), result.line_of("kcst-withdrawal-notice"))]
    assert result.findings[0].message == (
        "KP's notice of withdrawal given on 30 June 2018 takes effect on 29 December 2018, "
        "less than six months later (not before 30 December 2018): a minimum of six months' "
        "notice must be given before withdrawal can take place")


def test_a_notice_not_sent_to_the_smt_and_the_kcsp_chair_is_a_breach(judged) -> None:
    result = judged("withdrawal-notice", FUNDS + notice("2018-06-01", "2018-12-31", smt=False,
                                                        chair=False), "2018-06-30")
    assert result.findings[0].message == (
        "KP's notice of withdrawal given on 1 June 2018 was not sent to each of the SMT "
        "members nor communicated in writing to the Kent Community Safety Partnership "
        "chairperson")
    only_smt = judged("withdrawal-notice", FUNDS + notice("2018-06-01", "2018-12-31", chair=False),
                      "2018-06-30")
    assert only_smt.findings[0].message.endswith(
        "was not communicated in writing to the Kent Community Safety Partnership chairperson")


def test_withdrawing_the_portion_when_the_notice_takes_effect_keeps_the_clause(judged) -> None:
    body = FUNDS + notice("2018-06-30", "2018-12-31") + withdrawal("2018-12-31", "16000.00")
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert result.status == "pass" and result.findings == ()


def test_money_withdrawn_before_the_notice_takes_effect_is_a_breach(judged) -> None:
    body = FUNDS + notice("2018-06-30", "2018-12-31") + withdrawal("2018-12-30", "16000.00")
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert result.cited() == [("breach", d("2018-12-30"), result.line_of("2018-12-30"))]
    assert result.findings[0].message == (
        "£16,000.00 withdrawn by KP on 30 December 2018 before KP's notice takes effect on "
        "31 December 2018")


def test_money_withdrawn_with_no_notice_is_a_breach(judged) -> None:
    result = judged("withdrawal-notice", FUNDS + withdrawal("2018-12-31", "1000.00"), "2019-06-30")
    assert result.status == "fail"
    assert result.findings[0].message.endswith("with no valid notice of withdrawal from KP")


def test_an_invalid_notice_does_not_allow_a_withdrawal(judged) -> None:
    body = FUNDS + notice("2018-06-30", "2018-07-31") + withdrawal("2018-12-31", "1000.00")
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert [f.date for f in result.findings] == [d("2018-06-30"), d("2018-12-31")]


def test_withdrawing_more_than_the_partners_portion_is_a_breach(judged) -> None:
    body = FUNDS + notice("2018-06-30", "2018-12-31") + withdrawal("2018-12-31", "16000.01")
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert result.cited() == [("breach", d("2018-12-31"), result.line_of("2018-12-31 *"))]
    assert result.findings[0].message == (
        "KP has withdrawn £16,000.01, more than its portion of the remaining funds "
        "(£16,000.00 before its first withdrawal, pro rata to net contributions)")


def test_withdrawals_in_instalments_add_up_against_the_portion(judged) -> None:
    body = (FUNDS + notice("2018-06-30", "2018-12-31") + withdrawal("2018-12-31", "10000.00")
            + withdrawal("2019-01-31", "6000.00") + withdrawal("2019-02-28", "0.01"))
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert result.cited() == [("breach", d("2019-02-28"), result.line_of("2019-02-28"))]


def test_no_notice_and_no_withdrawal_is_not_applicable(judged) -> None:
    assert judged("withdrawal-notice", FUNDS, "2019-06-30").status == "n/a"


def test_a_notice_after_the_as_of_date_is_not_judged(judged) -> None:
    result = judged("withdrawal-notice", FUNDS + notice("2018-06-30", "2018-07-01"), "2018-06-29")
    assert result.status == "n/a"
