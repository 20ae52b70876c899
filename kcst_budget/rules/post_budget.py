"""post-budget (cl. 8.6): a post's spend in an FY stays within its annual cost.

cl. 8.6: "KCST Administration Officer: £24,000 per annum from the pooled budget [...];
KCST Coordinator: £45,000 paid per annum [...]; KCST Analytical Support: £35,000 paid per
annum from the pooled budget to fund this role for 18 months."

A post's allowance in an FY is its annual cost pro rata to the months of the post that
begin in that FY (a post starting 1 October has six months in its first FY); paying the
monthly cost rounded up to the penny is within it. Kept: the analyst's six recharges of
2916.67 GBP in 2018/19 (17,500.00 GBP pro rata, 17,500.02 GBP paid monthly)::

    2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
      host: "KCC"
      months: 18

Warned: a seventh recharge in 2018/19. A warning, not a breach: the table allocates the
spend; the SMT may agree to pay more (e.g. a pay award), but should see it.
The finding cites the transaction that took the spend over the allowance.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from decimal import ROUND_CEILING, Decimal

from kcst_budget.amounts import PENNY, ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.rules._base import Rule
from kcst_budget.source import Source
from kcst_budget.terms import Post

ID, CLAUSE = "post-budget", "8.6"


def allowance(posts: Sequence[Post], fy: FinancialYear) -> tuple[Decimal, int]:
    """The annual costs pro rata to the months of the posts in ``fy``, and those months.

    A month's cost paid rounded up to the penny (2,916.67 GBP of a 35,000.00 GBP post) is
    within the allowance: six such months are 17,500.02 GBP.
    """
    total, months = ZERO, 0
    for post in posts:
        count = post.months_between(fy.start, fy.end)
        monthly = (post.annual_cost / 12).quantize(PENNY, rounding=ROUND_CEILING)
        total += max(post.annual_cost * count / 12, monthly * count)
        months += count
    return total.quantize(PENNY), months


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    for account, posts in books.terms.posts_by_account.items():
        spent: dict[FinancialYear, Decimal] = {}
        crossed: dict[FinancialYear, tuple[datetime.date, Source]] = {}
        allowed: dict[FinancialYear, tuple[Decimal, int]] = {}
        fy, limit = None, ZERO
        for movement, amount in books.spend_on(account, as_of):  # in date order
            if fy is None or movement.date > fy.end:
                fy = fy_of(movement.date)
                allowed[fy] = allowance(posts, fy)
                limit = allowed[fy][0]
            total = spent[fy] = spent.get(fy, ZERO) + amount
            if total > limit and fy not in crossed:
                crossed[fy] = (movement.date, movement.source)
        for year, (date, source) in crossed.items():
            limit, months = allowed[year]
            if spent[year] <= limit:  # later refunds brought it back within
                continue
            title = " / ".join(p.title for p in posts)
            annual = " + ".join(gbp(p.annual_cost) for p in posts)
            yield Finding(date, ID, CLAUSE, WARNING,
                          f"{title}: {gbp(spent[year])} spent in {year}, over {gbp(limit)} "
                          f"({annual} per annum for {months} month{'s' if months != 1 else ''} "
                          f"of the post in {year})", source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.posts)


RULE = Rule(ID, CLAUSE, "Each post's spend in a year stays within its annual cost", check, applies)
