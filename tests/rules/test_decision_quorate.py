"""cl. 4.1: "The Senior Management Team will have authority to make decisions [...]" -- at a
meeting with "representation from all three constituent partners for a quorum"."""

from __future__ import annotations

from .conftest import d, meeting

DECISION = ('2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works at Loose Road"\n'
            "  limit: 8000.00 GBP\n")


def test_a_decision_taken_at_a_quorate_meeting_that_day_stands(judged) -> None:
    result = judged("decision-quorate", meeting("2018-05-10") + DECISION, "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_deputy_makes_the_deciding_meeting_quorate(judged) -> None:
    result = judged("decision-quorate", meeting("2018-05-10", kp="deputy") + DECISION,
                    "2018-06-30")
    assert result.findings == ()


def test_a_decision_with_no_meeting_on_its_date_is_not_the_smts(judged) -> None:
    result = judged("decision-quorate", meeting("2018-05-09") + DECISION, "2018-06-30")
    assert result.cited() == [("breach", d("2018-05-10"), result.line_of("D-2018-05-1"))]
    assert result.findings[0].message == (
        "decision D-2018-05-1 was not taken at a quorate SMT meeting: no SMT meeting is "
        "recorded on 10 May 2018")


def test_a_decision_of_an_inquorate_meeting_breaks_the_quorum_rule(judged) -> None:
    result = judged("decision-quorate", meeting("2018-05-10", kp="apologies") + DECISION,
                    "2018-06-30")
    assert result.status == "fail"
    assert result.findings[0].message.endswith(
        "the meeting of 10 May 2018 was inquorate (KP not represented)")


def test_a_decision_after_the_as_of_date_is_not_judged(judged) -> None:
    result = judged("decision-quorate", DECISION, "2018-05-09")
    assert result.status == "n/a"
