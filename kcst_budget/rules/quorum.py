"""quorum (cl. 4.1): every SMT meeting has all the constituent partners represented.

cl. 4.1: "It will meet at least every two months and must have representation from all
three constituent partners for a quorum to be met [...]. In the event of a member of SMT
being unable to attend a meeting, a suitable deputy should be nominated to attend and
will form part of the quorum for that meeting."

Kept (a nominated deputy counts)::

    2018-05-10 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "deputy"

Broken (KP sent apologies and no deputy; a partner with no key is absent too)::

    2018-09-12 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "apologies"

The partners are those of the agreement in force on the meeting's date. A meeting on a
day no agreement covers is no SMT meeting of an agreement and is not judged here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.mou import in_force
from kcst_budget.rules._common import and_list, in_words, long_date

ID, CLAUSE = "quorum", "4.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    for meeting in terms.meetings:
        if meeting.date > as_of:
            break
        agreement = in_force(terms, meeting.date)
        if agreement is None:
            continue
        missing = meeting.missing(agreement.partners)
        if not missing:
            continue
        who = ", ".join(f"{code} {meeting.attendance_of(code)}" for code in missing)
        yield Finding(meeting.date, ID, CLAUSE, BREACH,
                      f"the {meeting.body} meeting of {long_date(meeting.date)} was inquorate: "
                      f"{and_list(missing)} neither present nor represented by a nominated "
                      f"deputy ({who}); a quorum needs representation from all "
                      f"{in_words(len(agreement.partners))} constituent partners",
                      meeting.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(m.date <= as_of for m in books.terms.meetings[:1])


RULE = Rule(ID, CLAUSE, "Each SMT meeting has all partners present or deputised", check, applies)
