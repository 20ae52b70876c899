"""roll-forward (cl. 8.2): the pooled fund is rolled forward at the end of each FY.

cl. 8.2: "It is intended that the pooled fund will be rolled forward at the end of each
financial year." cl. 8.1: "each constituent partner reserves the right to withdraw
their portion of any remaining funds from this budget".

So money goes back to a partner only as a withdrawal (``withdrawal: "<CODE>"``), and each
FY that overlaps a term ends with a ``kcst-year-end`` record carrying the pool balance
forward (``kcst close-year`` writes it). Kept::

    2019-03-31 custom "kcst-year-end" "2018/19" -4890.00 GBP
      digest: "sha256:..."

Broken: a year-end amount that is not the pool balance on its date; or a refund to a
partner outside a withdrawal::

    2018-11-02 * "Kent Police" "Refund of overpayment"
      Income:Contributions:KP    500.00 GBP
      Assets:KFRS:KCST-Pool     -500.00 GBP

Warned: an FY that has ended with no ``kcst-year-end`` (cites the FY's last movement of
the pool, or the agreement).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, WARNING, Finding
from kcst_budget.mou import years_to_roll_forward
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date

ID, CLAUSE = "roll-forward", "8.2"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    for movement in books.movements_between(datetime.date.min, as_of):
        if movement.pool_change >= 0 or not (movement.contributions or movement.returned):
            continue
        returned: dict[str, Decimal] = {}
        for code, amount in movement.contributions:
            if amount < 0:  # a contribution paid back
                returned[code] = returned.get(code, ZERO) - amount
        for code, amount in movement.returned:
            if amount > 0:
                returned[code] = returned.get(code, ZERO) + amount
        for code, amount in returned.items():
            if movement.withdrawal == code:
                continue
            yield Finding(movement.date, ID, CLAUSE, BREACH,
                          f"{gbp(amount)} left the pool to {code} on {long_date(movement.date)} "
                          f"other than as a withdrawal by {code}: the pooled fund is rolled "
                          "forward, and a partner takes money out only by withdrawing its "
                          "portion", movement.source)

    for year_end in terms.year_ends:
        if year_end.date > as_of:
            break
        balance = books.balance_on(year_end.date)
        if year_end.amount != balance:
            yield Finding(year_end.date, ID, CLAUSE, BREACH,
                          f"the {year_end.fy} year-end record carries forward "
                          f"{gbp(year_end.amount)} but the pool balance on "
                          f"{long_date(year_end.date)} is {gbp(balance)}", year_end.source)

    closed = {y.fy for y in terms.year_ends}
    for fy in years_to_roll_forward(books, as_of):
        if fy.end >= as_of or fy in closed:
            continue
        in_year = books.movements_between(fy.start, fy.end)
        cited = in_year[-1].source if in_year else terms.agreements[0].source
        yield Finding(fy.end, ID, CLAUSE, WARNING,
                      f"{fy} has ended with no kcst-year-end record: the pool balance of "
                      f"{gbp(books.balance_on(fy.end))} on {long_date(fy.end)} is not yet "
                      f"rolled forward (kcst close-year {fy})", cited)


def applies(books: Books, as_of: datetime.date) -> bool:
    return any(a.start <= as_of for a in books.terms.agreements)


RULE = Rule(ID, CLAUSE, "The pooled fund is rolled forward at each year end", check, applies)
