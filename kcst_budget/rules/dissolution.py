"""dissolution (cl. 12.2): a withdrawal dissolves the agreement.

cl. 12.2: "A withdrawal from the KCST by a constituent partner will result in the
dissolution of this agreement and the transfer of the relevant functions and duties of
the KCST back to the individual constituent partner."

Once a notice of withdrawal has taken effect, the pool should only be paid out
(withdrawals), not used. Kept: nothing but withdrawals moves the pool after the
effective date of the first notice::

    2019-06-03 custom "kcst-withdrawal-notice" "KP" 2019-12-31
      to-smt: TRUE
      to-kcsp-chair: TRUE

Warned (each movement after the effective date)::

    2020-01-25 * "KFRS Payroll" "Salary: KCST Coordinator, January 2020"
      Expenses:Staff:Coordinator  3750.00 GBP
      Assets:KFRS:KCST-Pool      -3750.00 GBP

A warning, not a breach: winding up (paying the posts to the end of their notice,
settling invoices) is the partners' call, but an auditor should see every movement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.mou import leaving
from kcst_budget.periods import next_day
from kcst_budget.rules._common import long_date

ID, CLAUSE = "dissolution", "12.2"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    going = leaving(books.terms, as_of)  # partner -> the day its withdrawal takes effect
    if not going:
        return
    partner, effective = min(going.items(), key=lambda item: item[1])
    for movement in books.movements_between(next_day(effective), as_of):
        if movement.withdrawal is not None:
            continue
        moved = "came into" if movement.pool_change >= 0 else "left"
        yield Finding(movement.date, ID, CLAUSE, WARNING,
                      f"{gbp(abs(movement.pool_change))} {moved} the pool on "
                      f"{long_date(movement.date)}, "
                      f"after {partner}'s withdrawal took effect on "
                      f"{long_date(effective)}: a withdrawal results in the dissolution "
                      "of this agreement", movement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(n.date <= as_of for n in books.terms.notices[:1])


RULE = Rule(ID, CLAUSE, "A withdrawal dissolves the agreement", check, applies)
