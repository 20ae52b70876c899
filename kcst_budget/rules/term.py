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
from kcst_budget.rules._common import agreement_near, long_date

ID, CLAUSE = "term", "3.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    for movement in books.movements_between(datetime.date.min, as_of):
        if terms.agreement_on(movement.date) is not None:
            continue
        nearest = agreement_near(terms, movement.date)
        term = (f"; {nearest.name} is in force from {long_date(nearest.start)} until "
                f"{long_date(nearest.end)}" if nearest else "")
        direction = "into" if movement.pool_change >= 0 else "out of"
        yield Finding(movement.date, ID, CLAUSE, WARNING,
                      f"{gbp(abs(movement.pool_change))} moved {direction} the pool on "
                      f"{long_date(movement.date)}, when no agreement was in force{term}",
                      movement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.agreements)


RULE = Rule(ID, CLAUSE, "Pool money moves only while an agreement is in force", check, applies)
