"""The SMT dashboard: a Fava extension (``KCSTDashboard``) registered by the plugin, so a
ledger needs nothing beyond ``plugin "kcst_budget.plugin"`` to have it.

The books are read once per ledger load (``after_load_file``: the plugin's reading,
``kcst_budget.books.books_of``); each request asks for a briefing (an as-of date with
``?as_of=``, an FY with Fava's time filter, e.g. ``?time=FY2019``), kept for the next
few requests. The page only lays the briefing out. Its forms that record entries are at
``record`` (``kcst_budget.dashboard.record``).

On each load the extension also guards Fava's writers: they take the ledger folder's lock
(``ledgerio.guard_fava_writes``) and refuse any change to a sealed period
(``sealguard.guard_sealed_periods``). A verdict the plugin judged as of today is judged
again at the first request of another day (``before_request``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from fava.ext import FavaExtensionBase, extension_endpoint
from flask import Response, g, request, url_for

from kcst_budget import asof
from kcst_budget.amounts import decimal_string
from kcst_budget.books import Books, books_of
from kcst_budget.briefing import Briefing
from kcst_budget.dashboard.sealguard import guard_sealed_periods
from kcst_budget.dashboard.view import Briefings, Request, balance_chart, budget_chart, read_request
from kcst_budget.ledgerio import guard_fava_writes
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.rules._common import plural
from kcst_budget.source import Source


class KCSTDashboard(FavaExtensionBase):
    """The SMT's page at each meeting: pool, contributions, spend, forecast, governance."""

    report_title = "KCST dashboard"

    books: Books | None = None
    briefings: Briefings | None = None
    #: The day the plugin judged the books as of, when that was today (no as-of on its line).
    judged_on: datetime.date | None = None

    def after_load_file(self) -> None:
        ledger: Any = self.ledger
        guard_fava_writes(ledger)  # Fava's saves take turns with kcst record/import/close-year
        guard_sealed_periods(ledger)  # and never change a sealed period
        self.books = books_of(ledger.all_entries, ledger.load_errors, ledger.options,
                              ledger.beancount_file_path)
        self.briefings = Briefings(self.books)
        self.judged_on = _today() if self.books.reading.plugin_as_of is None else None

    def before_request(self) -> None:
        """A verdict judged as of today is judged again once the day has changed: the
        ledger is loaded afresh (the plugin judges it), never shown from yesterday."""
        if self.judged_on is not None and _today() != self.judged_on:
            self.ledger.load_file()

    @extension_endpoint("record", ["GET", "POST"])
    def record(self) -> Response:
        """The forms that record entries (``kcst_budget.dashboard.record``)."""
        from kcst_budget.dashboard.record import page

        return page(self)

    def request(self) -> Request:
        """The as-of date (``?as_of=``) and FY (Fava's time filter) of this request."""
        fy = None
        date_range = getattr(getattr(g, "filtered", None), "date_range", None)
        if date_range is not None:
            fy = fy_of(date_range.begin)
        return read_request(request.args.get("as_of"), fy)

    def view(self) -> Briefing:
        assert self.briefings is not None
        return self.briefings.get(self.request())

    def error(self) -> str | None:
        """The error of a malformed ``?as_of=``, or of the plugin line's ``as-of``, shown at
        the top of the page (never silently replaced by another date)."""
        asked = self.request().error
        if asked is not None or self.books is None:
            return asked
        return self.books.reading.as_of_error

    def balance_chart(self, b: Briefing) -> str:
        return balance_chart(b)

    def budget_chart(self, b: Briefing) -> str:
        return budget_chart(b)

    @staticmethod
    def fava_fy(fy: FinancialYear) -> str:
        """Fava's name of an FY with ``fiscal-year-end 03-31``: 2018/19 is ``FY2019``."""
        return f"FY{fy.start_year + 1}"

    def fy_link(self, fy: FinancialYear) -> str:
        """The query selecting ``fy`` with Fava's time filter, keeping any ``?as_of=``."""
        query = {"time": self.fava_fy(fy)}
        if request.args.get("as_of"):
            query["as_of"] = request.args["as_of"]
        return "?" + urlencode(query)

    def source_url(self, filename: str, line: int) -> str:
        """Fava's editor at the entry's line."""
        return url_for("report", report_name="editor", file_path=filename, line=line)

    @staticmethod
    def money(amount: Decimal) -> str:
        """An amount as the JSON outputs carry it: a decimal string, two places, no float."""
        return decimal_string(amount)

    @staticmethod
    def long_date(date: datetime.date) -> str:
        return f"{date.day} {date:%B %Y}"

    @staticmethod
    def plural(count: int, word: str) -> str:
        return plural(count, word)

    def place(self, filename: str, line: int) -> str:
        return Source(filename, line).display()


def _today() -> datetime.date | None:
    try:
        return asof.today()
    except asof.AsOfError:  # a malformed KCST_TODAY: the plugin reports it at the load
        return None
