"""budget-review (cl. 8.1): the SMT reviews the pooled budget at each meeting.

cl. 8.1: "The constituent partners will provide funds that represent a single pooled
budget to support the KCST. [...] SMT will review the budget at each meeting."

Kept::

    2018-05-10 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "present"
      budget-reviewed: TRUE

Broken: the same meeting without ``budget-reviewed: TRUE`` (it defaults to FALSE). An
inquorate meeting is no meeting of the SMT for this clause; ``quorum`` reports it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.mou import quorate
from kcst_budget.rules._common import long_date

ID, CLAUSE = "budget-review", "8.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    for meeting in terms.meetings:
        if meeting.date > as_of:
            break
        if meeting.budget_reviewed or not quorate(meeting, terms):
            continue
        yield Finding(meeting.date, ID, CLAUSE, BREACH,
                      f"the {meeting.body} meeting of {long_date(meeting.date)} did not review "
                      "the budget: SMT will review the budget at each meeting",
                      meeting.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    terms = books.terms
    return any(quorate(m, terms) for m in terms.meetings if m.date <= as_of)


RULE = Rule(ID, CLAUSE, "The SMT reviews the budget at each meeting", check, applies)
