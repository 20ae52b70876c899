"""meeting-cadence (cl. 4.1): the SMT meets quorately at least every two months.

cl. 4.1: "The KCST Senior Management Team (SMT) [...] will meet at least every two
months and must have representation from all three constituent partners for a quorum
to be met."

The interval is the agreement's ``meeting-interval-months`` (2), in calendar months, and
only quorate meetings count. It is measured from the term's start to the first quorate
meeting, between quorate meetings, and from the last one to the as-of date or the end
of the term. A meeting exactly two calendar months after the last is on time; a day
later is not. Kept::

    2018-07-05 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "present"
    2018-09-05 custom "kcst-meeting" "SMT"   ; due by 5 September: on time
      kcc: "present"
      kfrs: "present"
      kp: "deputy"

Broken: the same second meeting on 2018-09-06, or on 2018-09-04 without KP (then the
next quorate meeting is what counts). The finding cites the previous quorate meeting
(or the agreement, for the first).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.periods import add_months
from kcst_budget.rules._base import Rule
from kcst_budget.mou import quorate, windows
from kcst_budget.rules._common import long_date, months_in_words
from kcst_budget.source import Source

ID, CLAUSE = "meeting-cadence", "4.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    quorate_meetings = [m for m in terms.meetings if m.date <= as_of and quorate(m, terms)]
    for window in windows(terms):
        if window.first > as_of:
            break
        agreement = window.agreement
        interval = agreement.meeting_interval_months
        last_day = min(window.last, as_of)
        previous: datetime.date = window.first
        cited: Source = agreement.source
        since = f"the start of {agreement.name} on {long_date(window.first)}"
        for meeting in quorate_meetings:
            if not window.first <= meeting.date <= last_day:
                continue
            due = add_months(previous, interval)
            if meeting.date > due:
                yield _gap(due, since, f"until {long_date(meeting.date)}", interval, cited)
            previous, cited = meeting.date, meeting.source
            since = f"the meeting of {long_date(meeting.date)}"
        due = add_months(previous, interval)
        if last_day > due:
            until = "to the end of the term" if last_day == window.last else "so far"
            yield _gap(due, since, until, interval, cited)


def _gap(due: datetime.date, since: str, until: str, interval: int, cited: Source) -> Finding:
    return Finding(due, ID, CLAUSE, BREACH,
                   f"no quorate SMT meeting from {since} {until}: the next was due by "
                   f"{long_date(due)}; the SMT will meet at least every "
                   f"{months_in_words(interval)}", cited)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(a.start <= as_of for a in books.terms.agreements)


RULE = Rule(ID, CLAUSE, "The SMT meets quorately at least every two months", check, applies)
