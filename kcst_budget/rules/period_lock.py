"""period-lock: a closed financial year stays as it was sealed.

No clause names it; it keeps cl. 8.2's roll-forward honest: "It is intended that the
pooled fund will be rolled forward at the end of each financial year." ``kcst close-year``
seals an FY with a digest of every entry dated on or before its last day (the canonical
form is ``kcst_budget.money.yearend``'s: layout, file and order do not matter; dates,
amounts, accounts, payees, narrations, metadata and ``kcst-`` directives do). Kept::

    2019-03-31 custom "kcst-year-end" "2018/19" -4890.00 GBP
      digest: "sha256:bb4628d0..."   ; what kcst close-year 2018/19 wrote

Broken: any entry dated on or before 31 March 2019 changed, added or removed after the
year was closed (e.g. a recharge's amount corrected in place instead of by a new entry in
the open year). A year-end record without a digest seals nothing and is not judged here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date
from kcst_budget.terms import YearEnd

ID, CLAUSE = "period-lock", "-"


def sealed(books: Books, as_of: datetime.date) -> list[YearEnd]:
    return [y for y in books.terms.year_ends if y.date <= as_of and y.digest]


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    records = sealed(books, as_of)
    if not records:
        return
    now = books.seal_digests
    for year_end in records:
        if now[year_end.date] == year_end.digest:
            continue
        yield Finding(year_end.date, ID, CLAUSE, BREACH,
                      f"the {year_end.fy} year-end record no longer matches the entries dated "
                      f"on or before {long_date(year_end.date)}: an entry of the closed year "
                      "has been changed, added or removed since it was sealed "
                      f"(sealed {_short(year_end.digest)}, now {_short(now[year_end.date])})",
                      year_end.source)


def _short(digest: str | None) -> str:
    return (digest or "")[:19]


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(sealed(books, as_of))


RULE = Rule(ID, CLAUSE, "A closed financial year stays as it was sealed", check, applies)
