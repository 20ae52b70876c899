"""The SMT dashboard: a Fava extension (``KCSTDashboard``) registered by the plugin, so a
ledger needs nothing beyond ``plugin "kcst_budget.plugin"`` to have it.

Figures are gathered once per ledger load (``after_load_file``) for the ledger's as-of
date (today, or the plugin line's ``as-of``) and every FY of the books, so choosing a
year with Fava's time filter (e.g. ``?time=FY2019``) only renders. Another as-of date
(``?as_of=2019-01-17``) is gathered on its first request and kept until the next load.
The page only lays the figures out.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import urlencode
from typing import Any

from fava.ext import FavaExtensionBase
from flask import g, request, url_for

from kcst_budget.amounts import decimal_string
from kcst_budget.books import Books, books_of
from kcst_budget.dashboard.view import (DashboardView, books_fys, dashboard_view, default_fy,
                                        for_fy)
from kcst_budget.ledgerio import guard_fava_writes
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.rules import ledger_as_of
from kcst_budget.source import Source


class KCSTDashboard(FavaExtensionBase):
    """The SMT's page at each meeting: pool, contributions, spend, forecast, governance."""

    report_title = "KCST dashboard"

    books: Books | None = None
    default: tuple[datetime.date, FinancialYear] | None = None

    def after_load_file(self) -> None:
        ledger: Any = self.ledger
        guard_fava_writes(ledger)  # Fava's saves take turns with kcst record/import/close-year
        self.books = books_of(ledger.all_entries, ledger.load_errors, ledger.options,
                              ledger.beancount_file_path)
        self._views: dict[tuple[datetime.date, FinancialYear], DashboardView] = {}
        as_of = ledger_as_of(self.books)
        self.default = (as_of, default_fy(self.books, as_of))
        first = self._view(*self.default)
        for fy in books_fys(first, self.default[1]):
            self._views.setdefault((as_of, fy), for_fy(first, self.books, fy))

    def _view(self, as_of: datetime.date, fy: FinancialYear) -> DashboardView:
        assert self.books is not None
        key = (as_of, fy)
        if key not in self._views:
            shared = next((v for (date, _), v in self._views.items() if date == as_of), None)
            self._views[key] = (for_fy(shared, self.books, fy) if shared is not None
                                else dashboard_view(self.books, as_of, fy))
        return self._views[key]

    def view(self) -> DashboardView:
        """The view for this request: ``?as_of=`` and Fava's time filter, else the default."""
        assert self.default is not None
        as_of, fy = self.default
        text = request.args.get("as_of")
        if text:
            try:
                as_of = datetime.date.fromisoformat(text)
            except ValueError:
                pass
            fy = default_fy(self.books, as_of)
        date_range = getattr(getattr(g, "filtered", None), "date_range", None)
        if date_range is not None:
            fy = fy_of(date_range.begin)
        return self._view(as_of, fy)

    def fys(self) -> tuple[FinancialYear, ...]:
        """The FYs gathered at load, for the year links (the as-of date's view)."""
        assert self.default is not None
        return tuple(sorted(fy for date, fy in self._views if date == self.default[0]))

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

    def place(self, filename: str, line: int) -> str:
        return Source(filename, line).display()
