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
from collections.abc import Iterator
from decimal import ROUND_CEILING, Decimal

from kcst_budget.amounts import PENNY, ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import WARNING, Finding
from kcst_budget.periods import FinancialYear, fys_between
from kcst_budget.rules._base import Rule
from kcst_budget.source import Source
from kcst_budget.terms import Post

ID, CLAUSE = "post-budget", "8.6"


def allowance(posts: list[Post], fy: FinancialYear) -> tuple[Decimal, int]:
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
    by_account: dict[str, list[Post]] = {}
    for post in books.terms.posts:
        by_account.setdefault(post.account, []).append(post)
    spent: dict[tuple[str, FinancialYear], Decimal] = {}
    crossed: dict[tuple[str, FinancialYear], tuple[datetime.date, Source]] = {}
    allowed: dict[tuple[str, FinancialYear], tuple[Decimal, int]] = {}
    movements = books.movements_between(datetime.date.min, as_of)
    if not movements:
        return
    for fy in fys_between(movements[0].date, movements[-1].date):
        in_fy: dict[str, Decimal] = {}  # keyed by account alone: the hot loop stays cheap
        limits: dict[str, Decimal] = {}
        for movement in books.movements_between(fy.start, min(fy.end, as_of)):
            for account, amount in movement.spend:
                if account not in by_account:
                    continue
                if account not in limits:
                    allowed[account, fy] = allowance(by_account[account], fy)
                    limits[account] = allowed[account, fy][0]
                total = in_fy[account] = in_fy.get(account, ZERO) + amount
                if total > limits[account] and (account, fy) not in crossed:
                    crossed[account, fy] = (movement.date, movement.source)
        spent.update(((account, fy), total) for account, total in in_fy.items())
    for key, (date, source) in sorted(crossed.items(), key=lambda item: item[1]):
        account, fy = key
        limit, months = allowed[key]
        if spent[key] <= limit:  # later refunds brought it back within
            continue
        posts = by_account[account]
        title = " / ".join(p.title for p in posts)
        annual = " + ".join(gbp(p.annual_cost) for p in posts)
        yield Finding(date, ID, CLAUSE, WARNING,
                      f"{title}: {gbp(spent[key])} spent in {fy}, over {gbp(limit)} "
                      f"({annual} per annum for {months} month{'s' if months != 1 else ''} "
                      f"of the post in {fy})", source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.posts)


RULE = Rule(ID, CLAUSE, "Each post's spend in a year stays within its annual cost", check, applies)
