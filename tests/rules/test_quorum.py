"""cl. 4.1: the SMT "must have representation from all three constituent partners for a
quorum to be met [...] a suitable deputy should be nominated to attend and will form part
of the quorum for that meeting"."""

from __future__ import annotations

from .conftest import d, meeting


def test_meeting_with_every_partner_present_is_quorate(judged) -> None:
    result = judged("quorum", meeting("2018-05-10"), "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_deputy_counts_towards_quorum(judged) -> None:
    result = judged("quorum", meeting("2018-05-10", kp="deputy", kcc="deputy"), "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_meeting_without_kp_or_deputy_is_inquorate(judged) -> None:
    result = judged("quorum", meeting("2018-05-10") + meeting("2018-09-12", kp="apologies"),
                    "2018-12-31")
    assert result.status == "fail"
    assert result.cited() == [("breach", d("2018-09-12"), result.line_of("2018-09-12"))]
    assert result.findings[0].message == (
        "the SMT meeting of 12 September 2018 was inquorate: KP neither present nor "
        "represented by a nominated deputy (KP apologies); a quorum needs representation "
        "from all three constituent partners")


def test_a_partner_with_no_attendance_line_is_absent(judged) -> None:
    body = '2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n  kfrs: "present"\n'
    result = judged("quorum", body, "2018-06-30")
    assert result.status == "fail"
    assert "KP neither present nor represented" in result.findings[0].message
    assert "(KP absent)" in result.findings[0].message


def test_every_missing_partner_is_named(judged) -> None:
    result = judged("quorum", meeting("2018-05-10", kcc="absent", kp="apologies"), "2018-06-30")
    assert "KCC and KP neither present" in result.findings[0].message


def test_a_meeting_after_the_as_of_date_is_not_judged(judged) -> None:
    result = judged("quorum", meeting("2018-05-10") + meeting("2018-09-12", kp="absent"),
                    "2018-09-11")
    assert result.status == "pass" and result.findings == ()


def test_no_meeting_yet_is_not_applicable(judged) -> None:
    assert judged("quorum", "", "2018-06-30").status == "n/a"
