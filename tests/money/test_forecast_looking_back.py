"""Looking back (``--as-of`` in the past): money recorded after the as-of date is not yet
there, for the year in progress nor for any later year (spec sections 4, 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kcst_budget.money.forecast import forecast

from ..rules.conftest import contribution

D = datetime.date


def test_a_contribution_dated_after_the_as_of_date_counts_for_no_year(books_of_text) -> None:
    # every 2018/19 minimum paid in May; KP pays again in February 2019, after the as-of date
    books = books_of_text("".join(contribution("2018-05-01", p, "16000.00")
                                  for p in ("KCC", "KFRS", "KP"))
                          + contribution("2019-02-01", "KP", "5000.00"))
    result = forecast(books, D(2018, 11, 1))
    assert {(o.partner, o.fy.label): (o.contributed, o.outstanding) for o in result.outstanding} == {
        (code, "2019/20"): (Decimal("0.00"), Decimal("16000.00")) for code in ("KCC", "KFRS", "KP")
    } | {(code, "2018/19"): (Decimal("16000.00"), Decimal("0.00"))
         for code in ("KCC", "KFRS", "KP")}
    assert result.outstanding_contributions == Decimal("48000.00")


def test_net_contributions_over_no_days_are_nothing(books_of_text) -> None:
    books = books_of_text(contribution("2019-02-01", "KP", "5000.00"))
    assert books.net_contributions("KP", D(2019, 4, 1), D(2018, 11, 1)) == Decimal("0")
    assert books.net_contributions("KP", D(2019, 2, 1), D(2019, 2, 1)) == Decimal("5000.00")
