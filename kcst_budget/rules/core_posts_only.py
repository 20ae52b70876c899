"""core-posts-only (cl. 8.3): the pool pays staff only for the jointly funded core posts.

cl. 8.3: "Other than the core group of personnel that provide joint support to the KCST
(see below), staff costs will remain the responsibility of each constituent partner."
cl. 7.3: "a core group of personnel jointly funded by the constituent partners [...],
including an administration officer, coordinator and analyst."

Pool spend on an ``Expenses:Staff`` account must be on the account of a declared
``kcst-post``. Kept::

    2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
      host: "KFRS"
      months: 24
    2018-07-25 * "KFRS Payroll" "Salary: KCST Coordinator, July 2018"
      Expenses:Staff:Coordinator  3750.00 GBP
      Assets:KFRS:KCST-Pool      -3750.00 GBP

Broken (a partner's own officer paid from the pool)::

    2018-08-31 * "Kent Police" "Overtime: partnership sergeant"
      Expenses:Staff:Other        1200.00 GBP
      Assets:KFRS:KCST-Pool      -1200.00 GBP
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule

ID, CLAUSE = "core-posts-only", "8.3"
STAFF = "Expenses:Staff"


def is_staff(account: str) -> bool:
    return account == STAFF or account.startswith(STAFF + ":")


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    posts = {post.account for post in books.terms.posts}
    for account in books.spending:
        if not is_staff(account) or account in posts:
            continue
        for movement, amount in books.spend_on(account, as_of):
            yield Finding(movement.date, ID, CLAUSE, BREACH,
                          f"{gbp(amount)} of pool spend on {account}, which is no jointly "
                          "funded core post: other staff costs remain the responsibility "
                          "of each constituent partner", movement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(m.is_spend for m in books.movements_between(datetime.date.min, as_of))


RULE = Rule(ID, CLAUSE, "The pool pays the staff costs of the core posts only", check, applies)
