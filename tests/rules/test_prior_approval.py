"""cl. 10.3: "Changes to the office accommodation as a result of Phase 2, such as the
installation of additional 'hot desking' facilities [...] will be agreed in advance by KCST
SMT and funded from the pooled budget."""

from __future__ import annotations

from .conftest import contribution, d, meeting, spend

HOT_DESKS = "Expenses:Accommodation:HotDesking"
FUNDS = contribution("2018-04-20", "KFRS", "16000.00")
DECISION = (meeting("2018-05-10")
            + '2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works at Loose Road"\n'
            + "  limit: 8000.00 GBP\n")


def test_spend_citing_an_earlier_decision_within_its_limit_keeps_the_clause(judged) -> None:
    body = FUNDS + DECISION + spend("2018-06-14", HOT_DESKS, "5120.00", decision="D-2018-05-1")
    result = judged("prior-approval", body, "2018-12-31")
    assert result.status == "pass" and result.findings == ()


def test_a_decision_on_the_same_day_as_the_spend_is_in_advance(judged) -> None:
    body = FUNDS + DECISION + spend("2018-05-10", HOT_DESKS, "5120.00", decision="D-2018-05-1")
    assert judged("prior-approval", body, "2018-12-31").findings == ()


def test_hot_desking_bought_with_no_decision_is_a_breach(judged) -> None:
    body = FUNDS + DECISION + spend("2018-06-14", HOT_DESKS, "5120.00")
    result = judged("prior-approval", body, "2018-12-31")
    assert result.cited() == [("breach", d("2018-06-14"), result.line_of("2018-06-14"))]
    assert result.findings[0].message == (
        "£5,120.00 on Expenses:Accommodation:HotDesking cites no decision of the SMT: changes "
        "to the office accommodation will be agreed in advance by KCST SMT")


def test_hot_desking_bought_before_the_decision_is_a_breach(judged) -> None:
    body = FUNDS + DECISION + spend("2018-05-09", HOT_DESKS, "5120.00", decision="D-2018-05-1")
    result = judged("prior-approval", body, "2018-12-31")
    assert result.cited() == [("breach", d("2018-05-09"), result.line_of("2018-05-09"))]
    assert result.findings[0].message.endswith(
        "cites decision D-2018-05-1 of 10 May 2018, taken after the spend: it was not agreed "
        "in advance by KCST SMT")


def test_a_decision_not_in_the_ledger_is_no_approval(judged) -> None:
    body = FUNDS + DECISION + spend("2018-06-14", HOT_DESKS, "100.00", decision="D-2018-06-9")
    result = judged("prior-approval", body, "2018-12-31")
    assert result.findings[0].message.endswith("cites decision D-2018-06-9, which is not in the ledger")


def test_spend_up_to_the_limit_is_approved_and_beyond_it_is_a_breach(judged) -> None:
    body = (FUNDS + DECISION
            + spend("2018-06-14", HOT_DESKS, "5120.00", decision="D-2018-05-1")
            + spend("2018-07-19", HOT_DESKS, "2880.00", decision="D-2018-05-1")  # 8,000.00
            + spend("2018-08-02", HOT_DESKS, "640.00", decision="D-2018-05-1"))
    result = judged("prior-approval", body, "2018-12-31")
    assert result.cited() == [("breach", d("2018-08-02"), result.line_of("2018-08-02"))]
    assert result.findings[0].message == (
        "£640.00 on Expenses:Accommodation:HotDesking takes the spend citing decision "
        "D-2018-05-1 to £8,640.00, over its limit of £8,000.00")


def test_spend_on_accounts_without_approval_is_not_judged(judged) -> None:
    body = FUNDS + "2018-01-01 open Expenses:Events GBP\n" + spend("2018-06-14", "Expenses:Events", "50.00")
    assert judged("prior-approval", body, "2018-12-31").findings == ()


def test_no_approval_account_is_not_applicable(judged) -> None:
    from ..conftest import HEAD

    no_approval = HEAD.replace('  approval: "smt"\n', '  note: "no approval"\n')
    result = judged("prior-approval", FUNDS + spend("2018-06-14", HOT_DESKS, "50.00"),
                    "2018-12-31", head=no_approval)
    assert result.status == "n/a"
