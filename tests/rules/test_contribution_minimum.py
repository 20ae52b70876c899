"""cl. 8.2: "a minimum sum of £16,000 per financial year"; cl. 8.6: "£10,000 for 2017/18 and
then £16,000 per annum contribution to the pooled budget per constituent partner"."""

from __future__ import annotations

from kcst_budget.periods import parse_fy

from ..conftest import HEAD_LINES
from .conftest import contribution, d, head_line

PAID_2017_18 = (contribution("2018-02-15", "KCC", "10000.00")
                + contribution("2018-02-28", "KFRS", "10000.00")
                + contribution("2018-03-20", "KP", "10000.00"))
PAID_2018_19 = (contribution("2018-04-20", "KFRS", "16000.00")
                + contribution("2018-05-03", "KCC", "16000.00"))
MINIMUM_2018 = head_line('2018-04-01 custom "kcst-contribution-minimum"')


def in_fy(result, label: str) -> list:
    """The findings dated in an FY (after it ends, the next FY's warnings are dated as of)."""
    fy = parse_fy(label)
    return [(f.severity, f.date, f.source.lineno) for f in result.findings if fy.contains(f.date)]


def messages_in(result, label: str) -> list[str]:
    fy = parse_fy(label)
    return [f.message for f in result.findings if fy.contains(f.date)]


def test_every_partner_paying_the_minimum_keeps_the_clause(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19 + contribution("2018-06-11", "KP", "16000.00")
    result = judged("contribution-minimum", body, "2019-04-01")
    assert in_fy(result, "2018/19") == [] and in_fy(result, "2017/18") == []
    assert result.status == "pass"  # 2019/20 has just begun: only warnings


def test_a_short_contribution_is_a_breach_once_the_fy_has_ended(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19 + contribution("2018-06-11", "KP", "12000.00")
    result = judged("contribution-minimum", body, "2019-04-01")
    assert result.status == "fail"
    # dated the FY's last day, citing KP's contribution
    assert in_fy(result, "2018/19") == [("breach", d("2019-03-31"), result.line_of("2018-06-11"))]
    assert messages_in(result, "2018/19")[0] == (
        "KP contributed £12,000.00 in 2018/19, £4,000.00 short of the minimum sum of "
        "£16,000.00 per financial year")


def test_a_contribution_paid_after_31_march_counts_for_the_next_fy(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19 + contribution("2019-04-10", "KP", "16000.00")
    result = judged("contribution-minimum", body, "2019-04-30")
    # nothing paid by KP in 2018/19: the finding cites the minimum's directive
    assert in_fy(result, "2018/19") == [("breach", d("2019-03-31"), MINIMUM_2018)]
    assert "KP contributed £0.00 in 2018/19" in messages_in(result, "2018/19")[0]
    assert MINIMUM_2018 <= HEAD_LINES


def test_an_fy_in_progress_gives_a_warning_not_a_breach(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19
    result = judged("contribution-minimum", body, "2018-10-31")
    assert result.status == "pass"
    assert result.cited() == [("warning", d("2018-10-31"), MINIMUM_2018)]
    assert result.findings[0].message == (
        "KP has contributed £0.00 so far in 2018/19 of the minimum sum of £16,000.00 per "
        "financial year: £16,000.00 is due by 31 March 2019")


def test_the_last_day_of_the_fy_is_still_in_progress(judged) -> None:
    result = judged("contribution-minimum", PAID_2017_18 + PAID_2018_19, "2019-03-31")
    assert [f.severity for f in result.findings] == ["warning"]


def test_2017_18_is_judged_against_its_own_minimum_of_10000(judged) -> None:
    body = (contribution("2018-02-15", "KCC", "10000.00")
            + contribution("2018-02-28", "KFRS", "10000.00")
            + contribution("2018-03-20", "KP", "9999.99"))
    result = judged("contribution-minimum", body, "2018-04-01")
    assert in_fy(result, "2017/18") == [("breach", d("2018-03-31"), result.line_of("2018-03-20"))]
    assert "£0.01 short of the minimum sum of £10,000.00" in messages_in(result, "2017/18")[0]


def test_net_contributions_count_a_refund_against_the_partner(judged) -> None:
    refund = ('2018-07-01 * "Kent Police" "Refund"\n  Income:Contributions:KP  1000.00 GBP\n'
              "  Assets:KFRS:KCST-Pool  -1000.00 GBP\n")
    body = PAID_2017_18 + PAID_2018_19 + contribution("2018-06-11", "KP", "16000.00") + refund
    result = judged("contribution-minimum", body, "2019-04-01")
    assert messages_in(result, "2018/19") == [
        "KP contributed £15,000.00 in 2018/19, £1,000.00 short of the minimum sum of "
        "£16,000.00 per financial year"]


def test_an_fy_after_the_term_is_not_judged(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19 + contribution("2018-06-11", "KP", "16000.00")
    result = judged("contribution-minimum", body, "2021-06-30")
    assert {f.message.split(" in ")[1][:7] for f in result.findings} == {"2019/20"}


def test_a_partner_that_withdrew_before_the_fy_began_owes_nothing_for_it(judged) -> None:
    notice = ('2018-06-01 custom "kcst-withdrawal-notice" "KP" 2019-03-31\n'
              "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n")
    body = PAID_2017_18 + PAID_2018_19 + contribution("2018-06-11", "KP", "16000.00") + notice
    result = judged("contribution-minimum", body, "2019-05-31")
    # KP's withdrawal took effect on 31 March 2019: it owes nothing for 2019/20
    assert [m.split(" ")[0] for m in messages_in(result, "2019/20")] == ["KCC", "KFRS"]
