"""pool-solvency: the pool is not overdrawn at the end of a month.

No clause forbids it: cl. 8.1 has KFRS host the budget, so when spend runs ahead of the
contributions the host carries the deficit. The MoU's figures make it likely: £48,000 a
year of contributions against up to £104,000 a year of posts (cl. 8.6). Warned, e.g.
at the end of March 2019 in the bundled books::

    2019-03-25 * "Kent County Council" "Recharge: KCST Analyst, March 2019"
      Expenses:Staff:Analyst      2916.65 GBP
      Assets:KFRS:KCST-Pool      -2916.65 GBP
    ; the pool stands at -4,890.00 GBP on 31 March 2019

Kept: a balance of zero or more at every month end up to the as-of date (the month in
progress is not judged). The finding cites the month's last movement of the pool.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.periods import add_months, month_end
from kcst_budget.rules._base import Rule
from kcst_budget.mou import governing

ID, CLAUSE = "pool-solvency", "-"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    movements = books.movements_between(datetime.date.min, as_of)
    if not movements:
        return
    dates = [m.date for m in movements]
    month = movements[0].date.replace(day=1)
    while month_end(month) <= as_of:
        last_day = month_end(month)
        balance = books.balance_on(last_day)
        if balance < 0:
            last = movements[bisect.bisect_right(dates, last_day) - 1]
            agreement = governing(books.terms, last_day)
            host = f"{agreement.host}, as host, is" if agreement else "the host is"
            yield Finding(last_day, ID, CLAUSE, WARNING,
                          f"the pool was overdrawn by {gbp(-balance)} at the end of "
                          f"{last_day:%B %Y}: {host} carrying the deficit", last.source)
        month = add_months(month, 1)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.movements_between(datetime.date.min, as_of))


RULE = Rule(ID, CLAUSE, "The pool is not overdrawn at a month end", check, applies)
