"""The statement of a period: what the SMT reviews at each meeting (cl. 8.1), for an MoU
financial year (the SMT paper, the auditor's pack) or any period a reader picks in Fava (a
month, a quarter, Fava's own fiscal year, a range: the dashboard).

Contributions by partner against the minimum (cl. 8.2, 8.6): a partner's minimum falls due
by the end of each financial year (31 March), so the period's due is the minimum of each
FY that ends inside it (``mou.contributions_due``; nothing is due in a period where no FY
ends); received = net contributions dated in the period (spec section 1); outstanding =
for each of those FYs, the minimum less the partner's net contributions in that FY, not
below zero. For one FY: due, received, due - received.

Spend by cost line against budget, with variance (budget - actual: negative is an
overspend) and forecast outturn:

- each post whose span overlaps the period: budget = its cost over the period
  (``mou.post_cost``, the one budget of a post); actual = its spend dated in the period
  inside its span; outturn = the actual plus its cost still to come in the period (from
  the as-of month while nothing has been paid on it in that month, else from the next
  month: salaries are paid monthly), so the variance shows a vacancy's saving or an
  overpayment;
- each approval account (hot-desking, cl. 10.3): budget = the limits of the SMT's
  decisions dated in the period whose spend goes to that account (a decision nothing has
  yet cited counts to the first approval account), plus the spend in the period that
  cites a decision taken before it, up to what that decision's limit had left (it was
  approved in advance: a month's view does not show it as an overspend); outturn =
  actual + what the period's decisions leave unspent (the committed spend still to come);
- once the period has ended, the outturn is the actual.
- each project (spec section 8): budget = its budget's share of the period, spread evenly
  over the days of its life; actual = the spend citing it in the period; outturn = the
  actual plus what is left of its budget to the period's end;
- other pool spend: no budget (the MoU funds nothing else from the pool).

The dashboard, the SMT paper and the auditor's pack all show this statement; none
computes its own.
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
from kcst_budget.periods import (FinancialYear, Period, month_end, month_start, next_day,
                                 previous_day)
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
class Statement:
    period: Period
    as_of: datetime.date
    through: datetime.date  # the last day counted: the as-of date or the period's end
    opening_balance: Decimal
    balance: Decimal  # at ``through``
    contributions: tuple[ContributionLine, ...]
    spend: tuple[SpendLine, ...]

    @property
    def fy(self) -> FinancialYear | None:
        """The MoU financial year the statement covers, if its period is exactly one."""
        return self.period.fy

    @property
    def label(self) -> str:
        """``2018/19``, ``June 2019``, ...: the period in words."""
        return self.period.label

    @property
    def ended(self) -> bool:
        """The period is over by the as-of date: the outturn is the actual."""
        return self.through == self.period.last

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
    def total_budget_to_date(self) -> Decimal:
        return sum((s.budget_to_date for s in self.spend), ZERO)

    @property
    def total_variance_to_date(self) -> Decimal:
        """Budget to date - actual to date, all lines (negative: overspent so far)."""
        return self.total_budget_to_date - self.total_actual

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
    def gap(self) -> Decimal | None:
        """The FY's minimum contributions less its budgeted spend (negative: underfunded);
        None for a period that is not one financial year (the minimums are yearly)."""
        return self.total_due - self.total_budget if self.fy is not None else None

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        return {
            "fy": self.fy.label if self.fy else None,
            "period": {"first": self.period.first.isoformat(),
                       "last": self.period.last.isoformat(), "label": self.label},
            "as_of": self.as_of.isoformat(),
            "through": self.through.isoformat(),
            "opening_balance": money(self.opening_balance), "balance": money(self.balance),
            "contributions": [c.as_json() for c in self.contributions],
            "spend": [s.as_json() for s in self.spend],
            "totals": {"due": money(self.total_due), "received": money(self.total_received),
                       "outstanding": money(self.total_outstanding),
                       "budget": money(self.total_budget),
                       "budget_to_date": money(self.total_budget_to_date),
                       "actual": money(self.total_actual),
                       "variance_to_date": money(self.total_variance_to_date),
                       "outturn": money(self.total_outturn),
                       "variance": money(self.total_variance),
                       "gap": None if self.gap is None else money(self.gap)},
        }


#: The name the statement of one FY had before any period could be asked for.
FyStatement = Statement


def fy_statement(books: Books, fy: FinancialYear, as_of: datetime.date) -> Statement:
    """The statement of ``fy`` as of ``as_of`` (to the FY's end once it has ended)."""
    return statement(books, fy.period, as_of)


def statement(books: Books, period: Period, as_of: datetime.date) -> Statement:
    """The statement of ``period`` as of ``as_of`` (to the period's end once it has ended)."""
    first, last = period.first, period.last
    through = min(as_of, last)
    counted = through >= first
    terms = books.terms
    movements = books.movements_between(first, through) if counted else ()
    years = [(fy, contributions_due(books, fy, as_of)) for fy in period.fys_ending()]
    partners = dict.fromkeys([*partners_in(terms, first, last),
                              *(code for code in terms.partners
                                if counted and books.net_contributions(code, first, through))])
    contributions = []
    for code in partners:
        received = books.net_contributions(code, first, through) if counted else ZERO
        owed = sum((due.get(code, ZERO) for _, due in years), ZERO)
        short = sum((max(ZERO, due[code] - books.net_contributions(code, fy.start,
                                                                   min(fy.end, through)))
                     for fy, due in years if code in due), ZERO)
        contributions.append(ContributionLine(code, owed, received, short))

    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    cited: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for movement in movements:
        for account, amount in movement.spend:
            spent[account] += amount
            if movement.decision is not None:
                cited[movement.decision][account] += amount
    ended = through == last
    lines: list[SpendLine] = []
    for post in posts_in(terms, first, last):
        actual = post_spend(books, post, first, through) if counted else ZERO
        spent[post.account] -= actual
        budget = post_cost(post, first, last)
        to_come = ZERO if ended else post_cost(
            post, max(first, _still_to_pay(books, post, through)), last)
        lines.append(SpendLine(post.title, (post.account,), budget,
                               post_cost(post, first, through) if counted else ZERO, actual,
                               actual + to_come))
    lines.extend(_approval_lines(books, period, through, spent, cited))
    lines.extend(_project_lines(books, period, through, spent))
    other = {account: amount for account, amount in spent.items() if amount}
    if other:
        total = sum(other.values(), ZERO)
        lines.append(SpendLine(OTHER, tuple(sorted(other)), ZERO, ZERO, total, total))
    return Statement(period, as_of, through, books.balance_on(previous_day(first)),
                     books.balance_on(through), tuple(contributions), tuple(lines))


def _still_to_pay(books: Books, post: Post, through: datetime.date) -> datetime.date:
    """The first day of the post's cost still to come: the as-of month's first day while
    nothing has been paid on the post in that month (salaries are paid monthly), else the
    next month's."""
    month = month_start(through)
    if post_spend(books, post, month, through):
        return next_day(month_end(through))
    return month


def _project_lines(books: Books, period: Period, through: datetime.date,
                   spent: dict[str, Decimal]) -> list[SpendLine]:
    """A line per project (spec section 8) whose life overlaps the period or that has spend
    in it: budget = its budget's share of the period by days (``mou.project_budget``);
    actual = the spend citing it in the period; outturn = the actual plus what is left of
    its budget up to the period's end (the actual once the period has ended)."""
    terms = books.terms
    first, last = period.first, period.last
    lines = []
    for project in terms.projects:
        if project.date > through:
            continue
        start, end = project_life(terms, project)
        in_period = list(books.spend_citing(project.id, through, first))
        if not in_period and (end < first or start > last):
            continue
        actual = sum((amount for _, amount in in_period), ZERO)
        for movement, _ in in_period:
            for account, amount in movement.spend:
                if account in spent:
                    spent[account] -= amount
        to_come = ZERO
        if through < last and end > through:  # the project goes on in the period
            so_far = sum((amount for _, amount in books.spend_citing(project.id, through)), ZERO)
            to_come = max(ZERO, project_budget(terms, project, start, last) - so_far)
        lines.append(SpendLine(f"Project {project.id}: {project.title}",
                               tuple(sorted({a for m, _ in in_period for a, _ in m.spend})),
                               project_budget(terms, project, first, last),
                               project_budget(terms, project, first, through)
                               if through >= first else ZERO, actual, actual + to_come))
    return lines


def _approval_lines(books: Books, period: Period, through: datetime.date,
                    spent: dict[str, Decimal],
                    cited: dict[str, dict[str, Decimal]]) -> list[SpendLine]:
    accounts = [a.account for a in books.terms.approval_accounts]
    if not accounts:
        return []
    budget: dict[str, Decimal] = defaultdict(lambda: ZERO)
    unspent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for decision in books.terms.decisions:
        if decision.limit is None or not period.first <= decision.date <= through:
            continue
        by_account = cited.get(decision.id, {})
        account = max(by_account, key=lambda a: by_account[a]) if by_account else accounts[0]
        if account not in accounts:
            account = accounts[0]
        budget[account] += decision.limit
        unspent[account] += max(ZERO, decision.limit - sum(by_account.values(), ZERO))
    # spend in the period on a decision taken before it was approved in advance: it is
    # budgeted, up to what the decision's limit had left when the period began
    earlier = [d for d in books.terms.decisions
               if d.limit is not None and d.date < period.first and d.id in cited]
    if earlier:
        before: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for movement in books.movements_between(datetime.date.min, previous_day(period.first)):
            if movement.decision is not None:
                before[movement.decision] += sum((a for _, a in movement.spend), ZERO)
        for decision in earlier:
            assert decision.limit is not None
            by_account = cited[decision.id]
            account = max(by_account, key=lambda a: by_account[a])
            if account not in accounts:
                account = accounts[0]
            room = max(ZERO, decision.limit - before[decision.id])
            budget[account] += min(sum(by_account.values(), ZERO), room)
    lines = []
    for account in accounts:
        actual = spent.pop(account, ZERO)
        if not actual and not budget[account]:
            continue
        outturn = actual if through == period.last else actual + unspent[account]
        lines.append(SpendLine(_line_name(account), (account,), budget[account], budget[account], actual,
                               outturn))
    return lines


def _line_name(account: str) -> str:
    """``Expenses:Accommodation:HotDesking`` -> ``Hot desking``."""
    last = account.rsplit(":", 1)[-1].replace("-", " ")
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", last).capitalize()

