"""post-budget (cl. 8.6): a post's spend in an FY stays within its cost for that FY.

cl. 8.6: "KCST Administration Officer: £24,000 per annum from the pooled budget [...];
KCST Coordinator: £45,000 paid per annum [...]; KCST Analytical Support: £35,000 paid per
annum from the pooled budget to fund this role for 18 months."

A post's budget for an FY is its cost over the FY (spec section 2, ``mou.post_cost``):
annual cost / 12 for each month of its span in full in the FY, and the part of a month by
days, rounded to the penny once. The same figure stands in the FY statement, the SMT
paper, the dashboard and the auditor's pack. Its spend is the pool's spend on its account
dated inside its span. Kept: an analyst from 1 October 2018 paid 17,500.00 GBP in
2018/19 (six months of 35,000.00 GBP a year)::

    2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
      host: "KCC"
      months: 18

Warned: 17,500.01 GBP paid in 2018/19. A warning, not a breach: the table allocates the
spend; the SMT may agree to pay more (e.g. a pay award), but should see it. The finding
cites the transaction that took the spend over the budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.mou import post_cost
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.rules._base import Rule
from kcst_budget.source import Source

ID, CLAUSE = "post-budget", "8.6"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    for post in books.terms.posts:
        spent: dict[FinancialYear, Decimal] = {}
        crossed: dict[FinancialYear, tuple[datetime.date, Source]] = {}
        budgets: dict[FinancialYear, Decimal] = {}
        for movement, amount in books.spend_on(post.account, min(as_of, post.last_day),
                                               post.start):
            fy = fy_of(movement.date)
            if fy not in budgets:
                budgets[fy] = post_cost(post, fy.start, fy.end)
            total = spent[fy] = spent.get(fy, ZERO) + amount
            if total > budgets[fy] and fy not in crossed:
                crossed[fy] = (movement.date, movement.source)
        for fy, (date, source) in crossed.items():
            if spent[fy] <= budgets[fy]:  # later credits brought it back within
                continue
            yield Finding(date, ID, CLAUSE, WARNING,
                          f"{post.title}: {gbp(spent[fy])} spent in {fy}, over its budget of "
                          f"{gbp(budgets[fy])} for the year ({gbp(post.annual_cost)} per annum "
                          f"for the part of its term in {fy})", source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(post.start <= as_of for post in books.terms.posts)


RULE = Rule(ID, CLAUSE, "Each post's spend in a year stays within its cost for the year",
            check, applies)
