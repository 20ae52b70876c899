"""decision-quorate (cl. 4.1): the SMT decides only at a quorate meeting.

cl. 4.1: "[The SMT] must have representation from all three constituent partners for a
quorum to be met [...]. The Senior Management Team will have authority to make decisions
on all strategic and operational aspects of the joint team, including [...] use of the
pooled budget".

A ``kcst-decision`` is taken at the meeting held on its date. Kept::

    2018-05-10 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "deputy"
    2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works at Loose Road"

Broken: the same decision with no meeting on 2018-05-10, or only a meeting at which KP
was absent and sent no deputy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.mou import decided_quorately, in_force
from kcst_budget.rules._common import and_list, long_date

ID, CLAUSE = "decision-quorate", "4.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    meetings_on: dict[datetime.date, list] = {}
    for meeting in terms.meetings:
        if meeting.date > as_of:
            break
        meetings_on.setdefault(meeting.date, []).append(meeting)
    for decision in terms.decisions:
        if decision.date > as_of:
            break
        if decided_quorately(terms, decision):
            continue
        meetings = meetings_on.get(decision.date, [])
        agreement = in_force(terms, decision.date)
        if not meetings:
            why = f"no SMT meeting is recorded on {long_date(decision.date)}"
        elif agreement is None:
            why = f"no agreement was in force on {long_date(decision.date)}"
        else:
            missing = meetings[0].missing(agreement.partners)
            why = (f"the meeting of {long_date(decision.date)} was inquorate "
                   f"({and_list(missing)} not represented)")
        yield Finding(decision.date, ID, CLAUSE, BREACH,
                      f"decision {decision.id} was not taken at a quorate SMT meeting: {why}",
                      decision.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(d.date <= as_of for d in books.terms.decisions[:1])


RULE = Rule(ID, CLAUSE, "The SMT decides only at quorate meetings", check, applies)
