"""What the SMT dashboard shows for a request: the briefing (``kcst_budget.briefing``) for
an as-of date and a period, kept for a few requests, and its two charts.

The as-of date follows the one as-of rule (``?as_of=``, else the plugin line's, else
today); a malformed ``?as_of=`` is shown on the page as an error, never replaced. The
period is Fava's time filter read the way Fava reads it (``fava.util.date.parse_date``
with the ledger's ``fiscal-year-end``): ``FY2019``, ``2019-06``, ``2019-Q2``,
``2018-07 - 2018-12``; without one, the MoU financial year of the as-of date.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from dataclasses import dataclass

from kcst_budget import asof
from kcst_budget.books import Books
from kcst_budget.briefing import Briefing, briefing
from kcst_budget.periods import FinancialYear, Period
from kcst_budget.reports import charts

#: How many (as-of, period) briefings one loaded ledger keeps for the next requests.
KEPT = 8


@dataclass(frozen=True)
class Request:
    """What a request asks: an as-of date (None: the rule's default) and a period (None:
    the as-of date's FY), or the errors of a malformed ``?as_of=`` or time filter."""

    as_of: datetime.date | None
    period: Period | None
    error: str | None = None
    time_error: str | None = None


def read_request(as_of_text: str | None, time_text: str | None,
                 fiscal_year_end: object | None = None) -> Request:
    """The request's as-of date and period; ``fiscal_year_end`` is Fava's option (the
    ledger's ``fava-option "fiscal-year-end"``, 12-31 when unset)."""
    period, time_error = read_time(time_text, fiscal_year_end)
    if not as_of_text:
        return Request(None, period, None, time_error)
    try:
        return Request(asof.parse_date(as_of_text, "?as_of="), period, None, time_error)
    except asof.AsOfError as problem:
        return Request(None, period, str(problem), time_error)


def read_time(text: str | None, fiscal_year_end: object | None) -> tuple[Period | None, str | None]:
    """Fava's time filter as a period of days, with Fava's own parser, or the error."""
    if not text or not text.strip():
        return None, None
    from fava.util.date import parse_date

    try:
        begin, end = parse_date(text, fiscal_year_end)  # type: ignore[arg-type]
    except ValueError as problem:  # e.g. fiscal quarters on a year not ending a month
        return None, f"Fava's time filter {text!r}: {problem}"
    if begin is None or end is None or end <= begin:
        return None, f"Fava's time filter {text!r} is not a date or period Fava reads"
    last = end - datetime.timedelta(days=1)
    if begin < asof.EARLIEST or last > asof.LATEST:
        return None, (f"Fava's time filter {text!r} runs outside the dates the books can be "
                      f"shown for ({asof.EARLIEST} to {asof.LATEST})")
    return Period(begin, last), None


class Briefings:
    """The briefings of one loaded ledger, the last ``KEPT`` asked for."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self._kept: OrderedDict[tuple[datetime.date, Period | None], Briefing] = OrderedDict()

    def get(self, request: Request) -> Briefing:
        date = self.books.as_of(request.as_of)
        key = (date, request.period)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        made = self._kept[key] = briefing(self.books, date, period=request.period)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return made


def fava_time(fy: FinancialYear, fiscal_year_end: tuple[int, int]) -> str:
    """Fava's time filter selecting the MoU financial year ``fy``: ``FY2019`` on books whose
    ``fiscal-year-end`` is 03-31 (2018/19), else the months, ``2018-04 - 2019-03``."""
    if fiscal_year_end == (3, 31):
        return f"FY{fy.start_year + 1}"
    return f"{fy.start:%Y-%m} - {fy.end:%Y-%m}"


def balance_chart(b: Briefing) -> str:
    return charts.balance_chart(b.balance_series, "Pool balance: actual, then forecast to term end")


def budget_chart(b: Briefing) -> str:
    return charts.budget_chart(b.budget_series, f"Spend against budget, {b.statement.label}")
