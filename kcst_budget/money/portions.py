"""Each partner's portion of remaining funds (cl. 8.1, 12; spec section 5).

cl. 8.1: "each constituent partner reserves the right to withdraw their portion of any
remaining funds from this budget".

The MoU does not say how a portion is measured; we use the method used for UK pooled
funds: pro rata to net contributions. A partner's portion on a date = pool balance x
(its net contributions to date / all partners' net contributions to date), counting only
partners that have not withdrawn. Negative when the pool is overdrawn: that partner's
share of the deficit. Portions are rounded to the penny; a penny left by rounding goes
to the remaining partners in the agreement's order, so they add up to the balance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcst_budget.amounts import PENNY, ZERO, decimal_string
from kcst_budget.books import Books

METHOD = ("pro rata to net contributions: portion = pool balance x (the partner's net "
          "contributions to date / all remaining partners' net contributions to date); "
          "a partner that has withdrawn holds no portion")


@dataclass(frozen=True)
class PartnerPortion:
    partner: str
    contributed: Decimal  # net contributions to date
    share: Decimal  # fraction of the remaining partners' contributions (0 once withdrawn)
    portion: Decimal  # of the pool balance, to the penny
    withdrawn: bool


@dataclass(frozen=True)
class Portions:
    as_of: datetime.date
    balance: Decimal
    partners: tuple[PartnerPortion, ...]
    method: str = METHOD

    def of(self, partner: str) -> PartnerPortion | None:
        return next((p for p in self.partners if p.partner == partner), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "balance": decimal_string(self.balance),
            "method": self.method,
            "partners": {
                p.partner: {"contributed": decimal_string(p.contributed),
                            "share": str(p.share.quantize(Decimal("0.0001"))),
                            "portion": decimal_string(p.portion),
                            "withdrawn": p.withdrawn}
                for p in self.partners
            },
        }


def withdrawn_partners(books: Books, as_of: datetime.date) -> frozenset[str]:
    """Partners that have taken money out of the pool as a withdrawal on or before ``as_of``."""
    return frozenset(
        m.withdrawal for m in books.movements_between(datetime.date.min, as_of)
        if m.withdrawal is not None and m.pool_change < 0
    )


def portions(books: Books, as_of: datetime.date) -> Portions:
    """Every partner's net contributions, share and portion of the pool on ``as_of``."""
    balance = books.balance_on(as_of)
    withdrawn = withdrawn_partners(books, as_of)
    contributed = {code: ZERO for code in books.terms.partners}
    for movement in books.movements_between(datetime.date.min, as_of):
        for code, amount in movement.contributions:
            contributed[code] = contributed.get(code, ZERO) + amount
    remaining = {code: amount for code, amount in contributed.items() if code not in withdrawn}
    total = sum(remaining.values(), ZERO)
    shares = {code: amount / total if code in remaining and total else ZERO
              for code, amount in contributed.items()}
    amounts = {code: (balance * share).quantize(PENNY) for code, share in shares.items()}
    # rounding to the penny may leave a penny or two: give them, one each, to the remaining
    # partners in the agreement's order, so the portions add up to the balance exactly
    holders = [code for code in contributed if shares[code]]
    left = balance - sum(amounts.values(), ZERO) if holders else ZERO
    step = PENNY if left > 0 else -PENNY
    for code in holders[:int(abs(left) / PENNY)]:
        amounts[code] += step
    rows = tuple(PartnerPortion(code, amount, shares[code], amounts[code], code in withdrawn)
                 for code, amount in contributed.items())
    return Portions(as_of, balance, rows)
