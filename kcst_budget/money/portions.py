"""Each partner's portion of remaining funds (cl. 8.1, 12; spec section 5).

cl. 8.1: "each constituent partner reserves the right to withdraw their portion of any
remaining funds from this budget".

The MoU does not say how a portion is measured; we use the method used for UK pooled
funds: pro rata to net contributions. A partner's portion on a date = pool balance x
(its net contributions to date / all partners' net contributions to date), counting only
partners that have not withdrawn. Negative when the pool is overdrawn: that partner's
share of the deficit. A partner has withdrawn once money has been paid to it as a
withdrawal (``mou.withdrawn``). The balance is split exactly (``amounts.split_exactly``):
each portion rounded down to the penny, the pennies left over to the largest remainders,
so the portions add up to the balance.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcst_budget.amounts import ZERO, decimal_string, split_exactly
from kcst_budget.books import Books
from kcst_budget.mou import withdrawn

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


def portions(books: Books, as_of: datetime.date) -> Portions:
    """Every partner's net contributions, share and portion of the pool on ``as_of``."""
    balance = books.balance_on(as_of)
    gone = withdrawn(books, as_of)
    contributed = {code: books.net_contributions(code, datetime.date.min, as_of)
                   for code in books.terms.partners}
    holders = {code: amount for code, amount in contributed.items() if code not in gone}
    total = sum(holders.values(), ZERO)
    shares = {code: holders[code] / total if code in holders and total else ZERO
              for code in contributed}
    amounts = split_exactly(balance, holders)
    rows = tuple(PartnerPortion(code, amount, shares[code], amounts.get(code, ZERO), code in gone)
                 for code, amount in contributed.items())
    return Portions(as_of, balance, rows)
