"""contribution-minimum (cl. 8.2, 8.6): each partner pays at least the minimum each FY.

cl. 8.2: "The constituent partners will commit to contributing a minimum sum of £16,000
per financial year to the KCST pooled budget to support Phase 2 and ongoing project
work." cl. 8.6: "£10,000 for 2017/18 and then £16,000 per annum contribution to the
pooled budget per constituent partner."

Every FY that overlaps a term is judged, from the minimum in force for it
(``kcst-contribution-minimum``). A partner's net contributions dated in the FY count; a
payment made after 31 March counts for the FY it is dated in, not the one it was due in.
Kept::

    2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
    2018-06-11 * "Kent Police" "Contribution 2018/19"
      Assets:KFRS:KCST-Pool     16000.00 GBP
      Income:Contributions:KP  -16000.00 GBP

Broken (once 2018/19 has ended): KP paid 12000.00 GBP in 2018/19, or paid its 2018/19
contribution on 2019-04-10. While the FY is still in progress an unpaid minimum is a
warning, not a breach. A partner whose withdrawal (cl. 12.1) took effect before the FY
began owes nothing for it. The finding cites the partner's last contribution in the FY,
or the minimum's directive when it paid nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, WARNING, Finding
from kcst_budget.periods import FinancialYear, fys_between
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date
from kcst_budget.source import Source

ID, CLAUSE = "contribution-minimum", "8.2, 8.6"


def judged_years(books: Books, as_of: datetime.date) -> list[FinancialYear]:
    """The FYs overlapping a term that have begun by ``as_of`` and carry a minimum."""
    terms = books.terms
    years = {fy for a in terms.agreements for fy in fys_between(a.start, a.end)}
    return sorted(fy for fy in years
                  if fy.start <= as_of and terms.minimum_for(fy) is not None)


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    years = judged_years(books, as_of)
    if not years:
        return
    paid: dict[tuple[str, FinancialYear], Decimal] = {}
    last_payment: dict[tuple[str, FinancialYear], Source] = {}
    for fy in years:
        for movement in books.movements_between(fy.start, min(fy.end, as_of)):
            for code, amount in movement.contributions:
                paid[code, fy] = paid.get((code, fy), ZERO) + amount
                last_payment[code, fy] = movement.source
    gone: dict[str, datetime.date] = {}  # partner -> when its withdrawal takes effect
    for notice in terms.notices:
        if notice.date <= as_of:
            gone[notice.partner] = min(notice.effective, gone.get(notice.partner, notice.effective))
    for fy in years:
        minimum = terms.minimum_for(fy)
        assert minimum is not None
        directive = [m for m in terms.minimums if m.fy <= fy][-1]
        partners = dict.fromkeys(code for a in terms.agreements
                                 if a.start <= fy.end and a.end >= fy.start
                                 for code in a.partners)
        ended = fy.end < as_of
        for code in partners:
            if code in gone and gone[code] <= fy.start:
                continue
            contributed = paid.get((code, fy), ZERO)
            if contributed >= minimum:
                continue
            cited = last_payment.get((code, fy), directive.source)
            if ended:
                yield Finding(fy.end, ID, CLAUSE, BREACH,
                              f"{code} contributed {gbp(contributed)} in {fy}, "
                              f"{gbp(minimum - contributed)} short of the minimum sum of "
                              f"{gbp(minimum)} per financial year", cited)
            else:
                yield Finding(as_of, ID, CLAUSE, WARNING,
                              f"{code} has contributed {gbp(contributed)} so far in {fy} of "
                              f"the minimum sum of {gbp(minimum)} per financial year: "
                              f"{gbp(minimum - contributed)} is due by {long_date(fy.end)}",
                              cited)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(judged_years(books, as_of))


RULE = Rule(ID, CLAUSE, "Each partner pays the minimum sum each financial year", check, applies)
