"""What the SMT dashboard shows for a request: the briefing (``kcst_budget.briefing``) for
an as-of date and an FY, kept for a few requests, and its two charts.

The as-of date follows the one as-of rule (``?as_of=``, else the plugin line's, else
today); a malformed ``?as_of=`` is shown on the page as an error, never replaced.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass

from kcst_budget import asof
from kcst_budget.books import Books
from kcst_budget.briefing import Briefing, briefing, default_fy
from kcst_budget.periods import FinancialYear
from kcst_budget.reports import charts

#: How many (as-of, FY) briefings one loaded ledger keeps for the next requests.
KEPT = 8


@dataclass(frozen=True)
class Request:
    """What a request asks: an as-of date (None: the rule's default) and an FY (None: the
    as-of date's default), or the error of a malformed ``?as_of=``."""

    as_of: datetime.date | None
    fy: FinancialYear | None
    error: str | None = None


def read_request(as_of_text: str | None, fy: FinancialYear | None) -> Request:
    if not as_of_text:
        return Request(None, fy)
    try:
        return Request(asof.parse_date(as_of_text, "?as_of="), fy)
    except asof.AsOfError as problem:
        return Request(None, fy, str(problem))


class Briefings:
    """The briefings of one loaded ledger, the last ``KEPT`` asked for."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self._kept: OrderedDict[tuple[datetime.date, FinancialYear], Briefing] = OrderedDict()

    def get(self, request: Request) -> Briefing:
        date = self.books.as_of(request.as_of)
        fy = request.fy or default_fy(self.books, date)
        key = (date, fy)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        made = self._kept[key] = briefing(self.books, date, fy)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return made


def balance_chart(b: Briefing) -> str:
    return charts.balance_chart(b.balance_series, "Pool balance: actual, then forecast to term end")


def budget_chart(b: Briefing) -> str:
    return charts.budget_chart(b.budget_series, f"Spend against budget, {b.fy}")
