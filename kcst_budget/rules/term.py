"""term (cl. 3.1): pool money moves only while an agreement is in force.

cl. 3.1: "This agreement will be in force from the 1 January 2018 until the 31 March
2020. [...] The aim will be to replace this agreement with a new three year MOU from
April 2020."

The ``kcst-agreement`` directive's date is the first day of the term, its date value the
last. A later agreement is a successor. Kept::

    2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
      ...
    2019-04-18 * "Kent Fire and Rescue Service" "Contribution 2019/20"
      Assets:KFRS:KCST-Pool      16000.00 GBP
      Income:Contributions:KFRS -16000.00 GBP

Warned (no successor agreement yet, the money moves outside any term)::

    2020-04-25 * "KFRS Payroll" "Salary: KCST Coordinator, April 2020"
      Expenses:Staff:Coordinator  3750.00 GBP
      Assets:KFRS:KCST-Pool      -3750.00 GBP

A warning, not a breach: the MoU does not forbid money moving between agreements, but
an auditor should see that no agreement governed it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.mou import governing, in_force
from kcst_budget.periods import next_day, previous_day
from kcst_budget.rules._common import long_date
from kcst_budget.terms import Terms

ID, CLAUSE = "term", "3.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    for first, last in outside_any_term(terms, as_of):
        for movement in books.movements_between(first, last):
            nearest = governing(terms, movement.date)
            term = (f"; {nearest.name} is in force from {long_date(nearest.start)} until "
                    f"{long_date(nearest.end)}" if nearest else "")
            direction = "into" if movement.pool_change >= 0 else "out of"
            yield Finding(movement.date, ID, CLAUSE, WARNING,
                          f"{gbp(abs(movement.pool_change))} moved {direction} the pool on "
                          f"{long_date(movement.date)}, when no agreement was in force{term}",
                          movement.source)


def outside_any_term(terms: Terms, as_of: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The spans of days up to ``as_of`` on which no agreement is in force.

    Which agreement is in force (``mou.in_force``) changes only on an agreement's
    first day or on the day after its last, so it is asked once for each span between
    those days, and the movements are read only for the spans outside every term.
    """
    bounds = sorted({a.start for a in terms.agreements}
                    | {next_day(a.end) for a in terms.agreements if a.end < datetime.date.max})
    spans = []
    for index, first in enumerate([datetime.date.min, *bounds]):
        if first > as_of:
            break
        last = previous_day(bounds[index]) if index < len(bounds) else datetime.date.max
        if in_force(terms, first) is None:
            spans.append((first, min(last, as_of)))
    return spans


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.agreements)


RULE = Rule(ID, CLAUSE, "Pool money moves only while an agreement is in force", check, applies)
