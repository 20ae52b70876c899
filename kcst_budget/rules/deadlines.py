"""deadlines (cl. 13.2): each dated obligation is delivered by its date.

cl. 13.2: "In addition, the KCST Coordinator will submit a formal report on the review
of the KCST to the KCST SMT by the 1 March 2019."

Kept (delivered on or before the date)::

    2018-01-01 custom "kcst-deadline" "formal-review-report" 2019-03-01
      clause: "13.2"
    2019-02-25 custom "kcst-delivered" "formal-review-report"

Broken, once 1 March 2019 has passed: no ``kcst-delivered`` at all, or one dated
2019-03-02 or later. The finding cites the deadline and carries its ``clause:``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date

ID, CLAUSE = "deadlines", "13.2"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    delivered: dict[str, list[datetime.date]] = {}
    for delivery in terms.deliveries:
        if delivery.date <= as_of:
            delivered.setdefault(delivery.name, []).append(delivery.date)
    for deadline in terms.deadlines:
        if deadline.date > as_of:
            break
        if deadline.due >= as_of:
            continue
        dates = delivered.get(deadline.name, [])
        if any(date <= deadline.due for date in dates):
            continue
        late = f"; delivered late on {long_date(min(dates))}" if dates else " and not delivered"
        yield Finding(deadline.due, ID, deadline.clause or CLAUSE, BREACH,
                      f"{deadline.name} was due by {long_date(deadline.due)}{late}",
                      deadline.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(d.date <= as_of for d in books.terms.deadlines[:1])


RULE = Rule(ID, CLAUSE, "Dated obligations (the formal review report) are met", check, applies)
