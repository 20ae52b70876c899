"""Year end: the pool rolled forward at the end of each FY (cl. 8.2).

cl. 8.2: "It is intended that the pooled fund will be rolled forward at the end of each
financial year." Each FY's reconciliation (opening, contributions, spend, withdrawals,
closing) and its ``kcst-year-end`` record, whose amount must be the pool balance on its
date and whose digest (``kcst_budget.seal``) must still match the period it sealed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcst_budget.amounts import ZERO, decimal_string
from kcst_budget.books import Books
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.terms import YearEnd


def carried_forward(books: Books, fy: FinancialYear) -> Decimal:
    """The pool balance at the FY's last day: what the year end carries forward."""
    return books.balance_on(fy.end)


@dataclass(frozen=True)
class YearEndLine:
    """One FY of the roll-forward reconciliation."""

    fy: FinancialYear
    opening: Decimal
    contributions: Decimal
    spend: Decimal
    withdrawals: Decimal
    other: Decimal  # any other pool movement (should be zero)
    closing: Decimal
    ended: bool
    record: YearEnd | None
    amount_holds: bool | None  # the record's amount equals the pool balance on its date
    digest_holds: bool | None  # the record's digest still matches the period it sealed

    def as_json(self) -> dict[str, Any]:
        return {
            "fy": self.fy.label, "opening": decimal_string(self.opening),
            "contributions": decimal_string(self.contributions),
            "spend": decimal_string(self.spend), "withdrawals": decimal_string(self.withdrawals),
            "other": decimal_string(self.other), "closing": decimal_string(self.closing),
            "ended": self.ended,
            "year_end": None if self.record is None else {
                "amount": decimal_string(self.record.amount), "digest": self.record.digest,
                "file": self.record.source.filename, "line": self.record.source.lineno},
            "amount_holds": self.amount_holds, "digest_holds": self.digest_holds,
        }


def roll_forward(books: Books, as_of: datetime.date) -> tuple[YearEndLine, ...]:
    """Each FY from the first with pool money (or the first term) to the FY of ``as_of``,
    or of the last pool movement or term end when those are earlier."""
    starts = [m.date for m in books.movements[:1]] + [a.start for a in books.terms.agreements[:1]]
    if not starts:
        return ()
    first = fy_of(min(starts))
    ends = [m.date for m in books.movements[-1:]] + [a.end for a in books.terms.agreements]
    last = fy_of(min(as_of, max(ends)))
    fys = [FinancialYear(year) for year in range(first.start_year, last.start_year + 1)]
    lines = []
    for fy in fys:
        through = min(as_of, fy.end)
        movements = books.movements_between(fy.start, through)
        contributions = sum((a for m in movements for _, a in m.contributions), ZERO)
        spend = sum((a for m in movements for _, a in m.spend), ZERO)
        withdrawals = sum((a for m in movements for _, a in m.returned), ZERO)
        opening = books.balance_on(fy.start - datetime.timedelta(days=1))
        closing = books.balance_on(through)
        other = closing - opening - contributions + spend + withdrawals
        record = books.terms.year_end(fy)  # the first, if an FY has two (period-lock)
        record = record if record is not None and record.date <= as_of else None
        lines.append(YearEndLine(
            fy=fy, opening=opening, contributions=contributions, spend=spend,
            withdrawals=withdrawals, other=other, closing=closing, ended=fy.end <= as_of,
            record=record,
            amount_holds=None if record is None else record.amount == books.balance_on(fy.end),
            digest_holds=None if record is None or record.digest is None
            else record.digest == books.seal_now(record),
        ))
    return tuple(lines)
