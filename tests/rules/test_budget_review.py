"""cl. 8.1: "SMT will review the budget at each meeting"."""

from __future__ import annotations

from .conftest import d, meeting


def test_a_meeting_that_reviewed_the_budget_keeps_the_clause(judged) -> None:
    result = judged("budget-review", meeting("2018-05-10"), "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_quorate_meeting_that_did_not_review_the_budget_breaks_it(judged) -> None:
    result = judged("budget-review", meeting("2018-05-10") + meeting("2018-07-05", budget=False),
                    "2018-07-31")
    assert result.cited() == [("breach", d("2018-07-05"), result.line_of("2018-07-05"))]
    assert result.findings[0].message == (
        "the SMT meeting of 5 July 2018 did not review the budget: SMT will review the budget "
        "at each meeting")


def test_budget_reviewed_defaults_to_false(judged) -> None:
    body = ('2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n  kfrs: "present"\n'
            '  kp: "present"\n')
    assert judged("budget-review", body, "2018-06-30").status == "fail"


def test_an_inquorate_meeting_is_left_to_the_quorum_rule(judged) -> None:
    result = judged("budget-review",
                    meeting("2018-05-10") + meeting("2018-07-05", kp="absent", budget=False),
                    "2018-07-31")
    assert result.findings == ()
