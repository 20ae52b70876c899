"""reviews (cl. 11.1): the agreement is reviewed in each of its review months.

cl. 11.1: "The agreement will be reviewed twice over the two year period of its term;
in January 2019 and January 2020." (also cl. 3.1)

The agreement's ``reviews`` lists the months; a review month passes only once its last
day is behind the as-of date. Kept::

    2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
      ...
      reviews: "2019-01 2020-01"
    2019-01-17 custom "kcst-review" "January 2019 review of the MoU"

Broken: no ``kcst-review`` dated in January 2019 (a review in February does not make
up for it). The finding cites the agreement.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.periods import month_end
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import and_list, month_name

ID, CLAUSE = "reviews", "11.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    held = {(r.date.year, r.date.month) for r in terms.reviews if r.date <= as_of}
    for agreement in terms.agreements:
        due = and_list([month_name(y, m) for y, m in agreement.reviews])
        for year, month in agreement.reviews:
            last_day = month_end(datetime.date(year, month, 1))
            if last_day >= as_of or (year, month) in held:
                continue
            yield Finding(last_day, ID, CLAUSE, BREACH,
                          f"no review of {agreement.name} in {month_name(year, month)}: the "
                          f"agreement will be reviewed in {due}", agreement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(a.reviews and a.start <= as_of for a in books.terms.agreements)


RULE = Rule(ID, CLAUSE, "The agreement is reviewed in each review month", check, applies)
