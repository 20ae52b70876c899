"""Registers an auditor reads beside the compliance table: the FY's trial balance, the
FY's listing of every pool movement with its file and line, and the SMT's decision
register with the spend against each decision (cl. 10.3)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data, realization
from beancount.ops import summarize

from kcst_budget.amounts import ZERO, decimal_string
from kcst_budget.books import Books
from kcst_budget.periods import FinancialYear, previous_day
from kcst_budget.source import Source
from kcst_budget.terms import Decision


@dataclass(frozen=True)
class TrialBalanceLine:
    account: str
    opening: Decimal  # brought forward into the FY (income and expenses closed to equity)
    movement: Decimal  # postings dated in the FY to the as-of date
    closing: Decimal


@dataclass(frozen=True)
class TrialBalance:
    fy: FinancialYear
    through: datetime.date  # the last day counted: the as-of date or the FY's end
    lines: tuple[TrialBalanceLine, ...]

    @property
    def debits(self) -> Decimal:
        """The closing debit balances (positive)."""
        return sum((line.closing for line in self.lines if line.closing > 0), ZERO)

    @property
    def credits(self) -> Decimal:
        """The closing credit balances (negative)."""
        return sum((line.closing for line in self.lines if line.closing < 0), ZERO)

    @property
    def total_opening(self) -> Decimal:
        """The brought-forward column's sum: zero in double entry."""
        return sum((line.opening for line in self.lines), ZERO)

    @property
    def total_movement(self) -> Decimal:
        """The year's movements' sum: zero in double entry."""
        return sum((line.movement for line in self.lines), ZERO)

    @property
    def total_closing(self) -> Decimal:
        return self.debits + self.credits

    @property
    def balances(self) -> bool:
        """Double entry: the debits and the credits cancel."""
        return self.debits + self.credits == 0

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        return {"fy": self.fy.label, "through": self.through.isoformat(),
                "accounts": [{"account": line.account, "opening": money(line.opening),
                              "movement": money(line.movement), "closing": money(line.closing)}
                             for line in self.lines],
                "debits": money(self.debits), "credits": money(self.credits)}


def trial_balance(books: Books, fy: FinancialYear, as_of: datetime.date) -> TrialBalance:
    """The FY's trial balance as Beancount closes a period (``summarize.clamp_opt``):
    income and expenses before the FY are carried into ``Equity:Earnings:Previous`` and
    every balance sheet account opens at its balance brought forward; the movement is
    the FY's postings to ``min(as_of, FY end)``.

    Debits are positive, credits negative; the closing column sums to zero.
    """
    through = min(as_of, fy.end)
    clamped, first = summarize.clamp_opt(list(books.entries), fy.start,
                                         through + datetime.timedelta(days=1), books.options)
    opening = _balances(clamped[:first])
    closing = _balances(clamped)
    accounts = sorted(account for account in set(opening) | set(closing)
                      if opening.get(account) or closing.get(account))
    return TrialBalance(fy, through, tuple(
        TrialBalanceLine(a, opening.get(a, ZERO), closing.get(a, ZERO) - opening.get(a, ZERO),
                         closing.get(a, ZERO)) for a in accounts))


def _balances(entries: list[data.Directive]) -> dict[str, Decimal]:
    """Each account's GBP balance after ``entries`` (Beancount's realization)."""
    balances = {}
    for real_account in realization.iter_children(realization.realize(entries)):
        if not real_account.account:
            continue
        position = real_account.balance.get_currency_units("GBP")
        if position.number:
            balances[real_account.account] = position.number
    return balances


@dataclass(frozen=True)
class ListingLine:
    """One pool movement: what the auditor ticks against the bank and the host's ledger."""

    date: datetime.date
    payee: str
    narration: str
    accounts: tuple[str, ...]  # the other legs: Income:Contributions:KP, Expenses:Staff:Admin
    amount: Decimal  # into the pool (+) or out of it (-)
    balance: Decimal  # the pool's balance after it
    source: Source
    ref: str | None


@dataclass(frozen=True)
class PoolListing:
    """Every pool movement dated in an FY to the as-of date, with the opening and closing
    balances they reconcile (opening + money in - money out = closing)."""

    fy: FinancialYear
    through: datetime.date
    opening: Decimal
    lines: tuple[ListingLine, ...]

    @property
    def money_in(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.amount > 0), ZERO)

    @property
    def money_out(self) -> Decimal:
        """What left the pool, as a positive amount."""
        return -sum((line.amount for line in self.lines if line.amount < 0), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.money_in - self.money_out


def pool_listing(books: Books, fy: FinancialYear, as_of: datetime.date) -> PoolListing:
    """The FY's pool movements to ``min(as_of, FY end)``, in date order (an entry and its
    reversal cancel and are not movements, spec section 7)."""
    through = min(as_of, fy.end)
    opening = books.balance_on(previous_day(fy.start))
    pools = books.terms.pools
    lines = []
    balance = opening
    for movement in books.movements_between(fy.start, through):
        balance += movement.pool_change
        accounts = tuple(dict.fromkeys(p.account for p in movement.entry.postings
                                       if p.account not in pools))
        lines.append(ListingLine(movement.date, movement.payee, movement.narration, accounts,
                                 movement.pool_change, balance, movement.source, movement.ref))
    return PoolListing(fy, through, opening, tuple(lines))


@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    spend_count: int
    spent: Decimal  # spend citing the decision to the as-of date
    remaining: Decimal | None  # limit - spent (None without a limit)
    #: The projects it approved (spec section 8): their payments cite the project, not the
    #: decision, so they are in the project register, not in ``spent``.
    projects: tuple[str, ...] = ()


def decision_register(books: Books, as_of: datetime.date) -> tuple[DecisionLine, ...]:
    """Every SMT decision to the as-of date with the pool spend citing it."""
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    count: dict[str, int] = defaultdict(int)
    for movement in books.movements_between(datetime.date.min, as_of):
        if movement.decision is not None and movement.spend:
            spent[movement.decision] += sum((a for _, a in movement.spend), ZERO)
            count[movement.decision] += 1
    return tuple(
        DecisionLine(d, count[d.id], spent[d.id],
                     None if d.limit is None else d.limit - spent[d.id],
                     tuple(p.id for p in books.terms.projects
                           if p.decision == d.id and p.date <= as_of))
        for d in books.terms.decisions if d.date <= as_of
    )
