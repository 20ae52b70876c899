"""Governance at a glance: last meeting, next due, next review, notices, deadlines."""

from __future__ import annotations

import datetime

from kcst_budget.governance import governance

D = datetime.date


def test_bundled_governance_in_june_2019(bundled) -> None:
    view = governance(bundled, D(2019, 6, 30))
    last = view.last_meeting
    assert last.meeting.date == D(2019, 5, 9)
    assert last.quorate and last.deputies == ("KP",) and last.missing == ()
    assert view.next_meeting_due == D(2019, 7, 9)  # two calendar months on (cl. 4.1)
    assert view.next_review == (2020, 1)  # January 2019 held; January 2020 next (cl. 11.1)
    (deadline,) = view.deadlines
    assert deadline.deadline.due == D(2019, 3, 1) and deadline.delivered == D(2019, 2, 25)


def test_inquorate_meeting_does_not_reset_the_next_meeting_due(books_of_text) -> None:
    books = books_of_text("""\
        2018-02-01 custom "kcst-meeting" "SMT"
          kcc: "present"
          kfrs: "present"
          kp: "present"
        2018-03-01 custom "kcst-meeting" "SMT"
          kcc: "present"
          kfrs: "apologies"
        2019-06-01 custom "kcst-withdrawal-notice" "KP" 2019-12-31
          to-smt: TRUE
    """)
    view = governance(books, D(2019, 7, 1))
    assert not view.meetings[1].quorate and view.meetings[1].missing == ("KFRS", "KP")
    assert view.next_meeting_due == D(2018, 4, 1)
    assert [n.partner for n in view.open_notices] == ["KP"]
    assert governance(books, D(2020, 1, 1)).open_notices == ()
