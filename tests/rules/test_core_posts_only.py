"""cl. 8.3: "Other than the core group of personnel that provide joint support to the KCST
(see below), staff costs will remain the responsibility of each constituent partner."""

from __future__ import annotations

from .conftest import contribution, d, spend

ANALYST = ('2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP\n'
           '  host: "KCC"\n  months: 18\n')
FUNDS = contribution("2018-04-20", "KFRS", "16000.00")


def test_pool_spend_on_a_declared_post_keeps_the_clause(judged) -> None:
    body = ANALYST + FUNDS + spend("2018-10-25", "Expenses:Staff:Analyst", "2916.67")
    result = judged("core-posts-only", body, "2018-12-31")
    assert result.status == "pass" and result.findings == ()


def test_pool_spend_on_a_partners_own_staff_is_a_breach(judged) -> None:
    body = ANALYST + FUNDS + spend("2018-08-31", "Expenses:Staff:Other", "1200.00")
    result = judged("core-posts-only", body, "2018-12-31")
    assert result.cited() == [("breach", d("2018-08-31"), result.line_of("2018-08-31"))]
    assert result.findings[0].message == (
        "£1,200.00 of pool spend on Expenses:Staff:Other, which is no jointly funded core "
        "post: other staff costs remain the responsibility of each constituent partner")


def test_non_staff_spend_is_not_judged_by_this_clause(judged) -> None:
    body = (FUNDS + '2018-01-01 open Expenses:Events GBP\n'
            + spend("2018-08-31", "Expenses:Events", "300.00"))
    result = judged("core-posts-only", body, "2018-12-31")
    assert result.status == "pass" and result.findings == ()


def test_no_pool_spend_yet_is_not_applicable(judged) -> None:
    assert judged("core-posts-only", ANALYST + FUNDS, "2018-12-31").status == "n/a"
