"""The FY statement: what the SMT reviews at each meeting (cl. 8.1) for one FY.

Contributions by partner against the minimum (cl. 8.2, 8.6): due (``mou.contributions_due``),
received (net contributions, spec section 1), outstanding.
Spend by cost line against budget, with variance (budget - actual: negative is an
overspend) and forecast outturn:

- each post whose span overlaps the FY: budget = its cost over the FY (``mou.post_cost``,
  the one budget of a post); actual = its spend dated in the FY inside its span; outturn =
  the actual plus its cost still to come in the FY (from the as-of month while nothing
  has been paid on it in that month, else from the next month: salaries are paid
  monthly), so the variance shows a vacancy's saving or an overpayment;
- each approval account (hot-desking, cl. 10.3): budget = the limits of the SMT's
  decisions dated in the FY whose spend goes to that account (a decision nothing has yet
  cited counts to the first approval account); outturn = actual + what those decisions
  leave unspent;
- once the FY has ended, the outturn is the actual.
- each project (spec section 8): budget = its budget's share of the FY, spread evenly over
  the days of its life; actual = the spend citing it in the FY; outturn = the actual plus
  what is left of its budget to the FY's end;
- other pool spend: no budget (the MoU funds nothing else from the pool).

The dashboard and the SMT paper both show this statement; neither computes its own.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcst_budget.amounts import ZERO, decimal_string
from kcst_budget.books import Books
from kcst_budget.mou import (contributions_due, partners_in, post_cost, post_spend, posts_in,
                             project_budget, project_life)
from kcst_budget.periods import FinancialYear, month_end, month_start, next_day, previous_day
from kcst_budget.terms import Post

OTHER = "Other pool spend"


@dataclass(frozen=True)
class ContributionLine:
    partner: str
    due: Decimal  # the FY's minimum (cl. 8.2, 8.6)
    received: Decimal  # net contributions dated in the FY to the as-of date
    outstanding: Decimal  # max(0, due - received)

    def as_json(self) -> dict[str, Any]:
        return {"partner": self.partner, "due": decimal_string(self.due),
                "received": decimal_string(self.received),
                "outstanding": decimal_string(self.outstanding)}


@dataclass(frozen=True)
class SpendLine:
    line: str  # the post's title, the approval account, or "Other pool spend"
    accounts: tuple[str, ...]
    budget: Decimal  # for the whole FY
    budget_to_date: Decimal
    actual: Decimal  # to the as-of date
    outturn: Decimal  # forecast for the whole FY

    @property
    def variance(self) -> Decimal:
        """Budget for the FY - forecast outturn (negative: forecast overspend)."""
        return self.budget - self.outturn

    @property
    def variance_to_date(self) -> Decimal:
        """Budget to date - actual to date (negative: overspent so far)."""
        return self.budget_to_date - self.actual

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        return {"line": self.line, "accounts": list(self.accounts), "budget": money(self.budget),
                "budget_to_date": money(self.budget_to_date), "actual": money(self.actual),
                "variance_to_date": money(self.variance_to_date),
                "outturn": money(self.outturn), "variance": money(self.variance)}


@dataclass(frozen=True)
class FyStatement:
    fy: FinancialYear
    as_of: datetime.date
    through: datetime.date  # the last day counted: the as-of date or the FY's end
    opening_balance: Decimal
    balance: Decimal  # at ``through``
    contributions: tuple[ContributionLine, ...]
    spend: tuple[SpendLine, ...]

    @property
    def total_due(self) -> Decimal:
        return sum((c.due for c in self.contributions), ZERO)

    @property
    def total_received(self) -> Decimal:
        return sum((c.received for c in self.contributions), ZERO)

    @property
    def total_outstanding(self) -> Decimal:
        return sum((c.outstanding for c in self.contributions), ZERO)

    @property
    def total_budget(self) -> Decimal:
        return sum((s.budget for s in self.spend), ZERO)

    @property
    def total_actual(self) -> Decimal:
        return sum((s.actual for s in self.spend), ZERO)

    @property
    def total_outturn(self) -> Decimal:
        return sum((s.outturn for s in self.spend), ZERO)

    @property
    def total_variance(self) -> Decimal:
        """Budget for the FY - forecast outturn, all lines (negative: forecast overspend)."""
        return self.total_budget - self.total_outturn

    @property
    def gap(self) -> Decimal:
        """The FY's minimum contributions less its budgeted spend (negative: underfunded)."""
        return self.total_due - self.total_budget

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        return {
            "fy": self.fy.label, "as_of": self.as_of.isoformat(),
            "through": self.through.isoformat(),
            "opening_balance": money(self.opening_balance), "balance": money(self.balance),
            "contributions": [c.as_json() for c in self.contributions],
            "spend": [s.as_json() for s in self.spend],
            "totals": {"due": money(self.total_due), "received": money(self.total_received),
                       "outstanding": money(self.total_outstanding),
                       "budget": money(self.total_budget), "actual": money(self.total_actual),
                       "outturn": money(self.total_outturn),
                       "variance": money(self.total_variance),
                       "gap": money(self.gap)},
        }


def fy_statement(books: Books, fy: FinancialYear, as_of: datetime.date) -> FyStatement:
    """The statement of ``fy`` as of ``as_of`` (to the FY's end once it has ended)."""
    through = min(as_of, fy.end)
    terms = books.terms
    movements = books.movements_between(fy.start, through) if through >= fy.start else ()
    due = contributions_due(books, fy, as_of)
    partners = dict.fromkeys([*partners_in(terms, fy.start, fy.end),
                              *(code for code in terms.partners
                                if books.net_contributions(code, fy.start, through))])
    contributions = []
    for code in partners:
        received = books.net_contributions(code, fy.start, through) if through >= fy.start else ZERO
        owed = due.get(code, ZERO)
        contributions.append(ContributionLine(code, owed, received, max(ZERO, owed - received)))

    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    cited: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for movement in movements:
        for account, amount in movement.spend:
            spent[account] += amount
            if movement.decision is not None:
                cited[movement.decision][account] += amount
    ended = through == fy.end
    lines: list[SpendLine] = []
    for post in posts_in(terms, fy.start, fy.end):
        actual = post_spend(books, post, fy.start, through) if through >= fy.start else ZERO
        spent[post.account] -= actual
        budget = post_cost(post, fy.start, fy.end)
        to_come = ZERO if ended else post_cost(post, _still_to_pay(books, post, through),
                                               fy.end)
        lines.append(SpendLine(post.title, (post.account,), budget,
                               post_cost(post, fy.start, through), actual, actual + to_come))
    lines.extend(_approval_lines(books, fy, through, spent, cited))
    lines.extend(_project_lines(books, fy, through, spent))
    other = {account: amount for account, amount in spent.items() if amount}
    if other:
        total = sum(other.values(), ZERO)
        lines.append(SpendLine(OTHER, tuple(sorted(other)), ZERO, ZERO, total, total))
    return FyStatement(fy, as_of, through, books.balance_on(previous_day(fy.start)),
                       books.balance_on(through), tuple(contributions), tuple(lines))


def _still_to_pay(books: Books, post: Post, through: datetime.date) -> datetime.date:
    """The first day of the post's cost still to come: the as-of month's first day while
    nothing has been paid on the post in that month (salaries are paid monthly), else the
    next month's."""
    month = month_start(through)
    if post_spend(books, post, month, through):
        return next_day(month_end(through))
    return month


def _project_lines(books: Books, fy: FinancialYear, through: datetime.date,
                   spent: dict[str, Decimal]) -> list[SpendLine]:
    """A line per project (spec section 8) whose life overlaps the FY or that has spend in
    it: budget = its budget's share of the FY by days (``mou.project_budget``); actual = the
    spend citing it in the FY; outturn = the actual plus what is left of its budget up to
    the FY's end (the actual once the FY has ended)."""
    terms = books.terms
    lines = []
    for project in terms.projects:
        if project.date > through:
            continue
        start, end = project_life(terms, project)
        in_fy = [(m, a) for m, a in books.spend_citing(project.id, through, fy.start)]
        if not in_fy and (end < fy.start or start > fy.end):
            continue
        actual = sum((amount for _, amount in in_fy), ZERO)
        for movement, _ in in_fy:
            for account, amount in movement.spend:
                if account in spent:
                    spent[account] -= amount
        budget = project_budget(terms, project, fy.start, fy.end)
        to_come = ZERO
        if through < fy.end and end > through:  # the project goes on in the FY
            so_far = sum((amount for _, amount in books.spend_citing(project.id, through)), ZERO)
            to_come = max(ZERO, project_budget(terms, project, start, fy.end) - so_far)
        lines.append(SpendLine(f"Project {project.id}: {project.title}",
                               tuple(sorted({a for m, _ in in_fy for a, _ in m.spend})),
                               budget, project_budget(terms, project, fy.start, through),
                               actual, actual + to_come))
    return lines


def _approval_lines(books: Books, fy: FinancialYear, through: datetime.date,
                    spent: dict[str, Decimal],
                    cited: dict[str, dict[str, Decimal]]) -> list[SpendLine]:
    accounts = [a.account for a in books.terms.approval_accounts]
    if not accounts:
        return []
    budget: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unspent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for decision in books.terms.decisions:
        if decision.limit is None or not fy.start <= decision.date <= through:
            continue
        by_account = cited.get(decision.id, {})
        account = max(by_account, key=lambda a: by_account[a]) if by_account else accounts[0]
        if account not in accounts:
            account = accounts[0]
        budget[account] += decision.limit
        unspent[account] += max(ZERO, decision.limit - sum(by_account.values(), ZERO))
    lines = []
    for account in accounts:
        actual = spent.pop(account, ZERO)
        if not actual and not budget[account]:
            continue
        outturn = actual if through == fy.end else actual + unspent[account]
        lines.append(SpendLine(_line_name(account), (account,), budget[account], budget[account], actual,
                               outturn))
    return lines


def _line_name(account: str) -> str:
    """``Expenses:Accommodation:HotDesking`` -> ``Hot desking``."""
    last = account.rsplit(":", 1)[-1].replace("-", " ")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", last).capitalize()

