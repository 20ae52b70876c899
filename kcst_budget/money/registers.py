"""Registers an auditor reads beside the compliance table: the FY's trial balance and the
SMT's decision register with the spend against each decision (cl. 10.3)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kcst_budget.amounts import ZERO
from kcst_budget.books import Books
from kcst_budget.periods import FinancialYear
from kcst_budget.terms import Decision


@dataclass(frozen=True)
class TrialBalanceLine:
    account: str
    opening: Decimal  # balance before the FY
    movement: Decimal  # postings dated in the FY to the as-of date
    closing: Decimal


def trial_balance(books: Books, fy: FinancialYear,
                  as_of: datetime.date) -> tuple[TrialBalanceLine, ...]:
    """Every account's opening balance, movement in the FY and closing balance (GBP).

    Debits are positive, credits negative; the closing column sums to zero.
    """
    through = min(as_of, fy.end)
    opening: dict[str, Decimal] = defaultdict(lambda: ZERO)
    movement: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for entry in books.entries:
        if not isinstance(entry, data.Transaction) or entry.date > through:
            continue
        target = opening if entry.date < fy.start else movement
        for posting in entry.postings:
            if posting.units is not None:
                target[posting.account] += posting.units.number
    accounts = sorted(set(opening) | set(movement))
    return tuple(TrialBalanceLine(a, opening[a], movement[a], opening[a] + movement[a])
                 for a in accounts)


@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    spend_count: int
    spent: Decimal  # spend citing the decision to the as-of date
    remaining: Decimal | None  # limit - spent (None without a limit)


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
                     None if d.limit is None else d.limit - spent[d.id])
        for d in books.terms.decisions if d.date <= as_of
    )
