"""contribution-minimum (cl. 8.2, 8.6): each partner pays at least the minimum each FY.

cl. 8.2: "The constituent partners will commit to contributing a minimum sum of £16,000
per financial year to the KCST pooled budget to support Phase 2 and ongoing project
work." cl. 8.6: "£10,000 for 2017/18 and then £16,000 per annum contribution to the
pooled budget per constituent partner."

Every FY that overlaps a term is judged, from the minimum in force for it
(``kcst-contribution-minimum``; what each partner owes is ``mou.contributions_due``). A
partner's net contributions dated in the FY count (spec section 1: every posting to its
``Income:Contributions`` account, so a refund lowers them and a journal moving a misposted
receipt to another partner moves it); a payment made after 31 March counts for the FY it
is dated in, not the one it was due in.
Kept::

    2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
    2018-06-11 * "Kent Police" "Contribution 2018/19"
      Assets:KFRS:KCST-Pool     16000.00 GBP
      Income:Contributions:KP  -16000.00 GBP

Broken (once 2018/19 has ended): KP paid 12000.00 GBP in 2018/19, or paid its 2018/19
contribution on 2019-04-10. While the FY is still in progress an unpaid minimum is a
warning, not a breach. A partner that had withdrawn, or whose withdrawal (cl. 12.1) took
effect, before the FY began owes nothing for it. The finding cites the partner's last
contribution in the FY, or the minimum's directive when it paid nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, WARNING, Finding
from kcst_budget.mou import contributions_due, windows
from kcst_budget.periods import FinancialYear, fys_between
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date
from kcst_budget.source import Source

ID, CLAUSE = "contribution-minimum", "8.2, 8.6"


def judged_years(books: Books, as_of: datetime.date) -> list[FinancialYear]:
    """The FYs overlapping a term that have begun by ``as_of``."""
    years = {fy for w in windows(books.terms) for fy in fys_between(w.first, w.last)}
    return sorted(fy for fy in years if fy.start <= as_of)


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    for fy in judged_years(books, as_of):
        through = min(fy.end, as_of)
        ended = fy.end < as_of
        for code, minimum in contributions_due(books, fy, as_of).items():
            paid = books.net_contributions(code, fy.start, through)
            if paid >= minimum:
                continue
            cited = _last_payment(books, code, fy.start, through) or _minimum_source(books, fy)
            if ended:
                yield Finding(fy.end, ID, CLAUSE, BREACH,
                              f"{code} contributed {gbp(paid)} in {fy}, "
                              f"{gbp(minimum - paid)} short of the minimum sum of "
                              f"{gbp(minimum)} per financial year", cited)
            else:
                yield Finding(as_of, ID, CLAUSE, WARNING,
                              f"{code} has contributed {gbp(paid)} so far in {fy} of "
                              f"the minimum sum of {gbp(minimum)} per financial year: "
                              f"{gbp(minimum - paid)} is due by {long_date(fy.end)}", cited)


def _last_payment(books: Books, code: str, first: datetime.date,
                  last: datetime.date) -> Source | None:
    found = books.contributions_of(code, first, last)
    return Source.of(found[-1].entry.meta) if found else None


def _minimum_source(books: Books, fy: FinancialYear) -> Source:
    directives = [m for m in books.terms.minimums if m.fy <= fy]
    return (directives[-1] if directives else books.terms.agreements[0]).source


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(contributions_due(books, fy, as_of) for fy in judged_years(books, as_of))


RULE = Rule(ID, CLAUSE, "Each partner pays the minimum sum each financial year", check, applies)
