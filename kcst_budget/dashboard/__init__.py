"""The SMT dashboard: a Fava extension (``KCSTDashboard``) registered by the plugin, so a
ledger needs nothing beyond ``plugin "kcst_budget.plugin"`` to have it.

Figures are gathered once per ledger load (``after_load_file``) for the ledger's as-of
date (today, or the plugin line's ``as-of``) and the default FY; another FY (Fava's time
filter, e.g. ``?time=FY2019``) or as-of date (``?as_of=2019-01-17``) is gathered on its
first request and kept until the next load.
The page only lays the figures out.
"""

from __future__ import annotations

import datetime
from typing import Any

from fava.ext import FavaExtensionBase
from flask import g, request, url_for

from kcst_budget.books import Books, books_of
from kcst_budget.dashboard.view import DashboardView, dashboard_view, default_fy
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
        self.books = books_of(ledger.all_entries, ledger.load_errors, ledger.options,
                              ledger.beancount_file_path)
        self._views: dict[tuple[datetime.date, FinancialYear], DashboardView] = {}
        as_of = ledger_as_of(self.books)
        self.default = (as_of, default_fy(self.books, as_of))
        self._view(*self.default)

    def _view(self, as_of: datetime.date, fy: FinancialYear) -> DashboardView:
        assert self.books is not None
        key = (as_of, fy)
        if key not in self._views:
            self._views[key] = dashboard_view(self.books, as_of, fy)
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

    def source_url(self, filename: str, line: int) -> str:
        """Fava's editor at the entry's line."""
        return url_for("report", report_name="editor", file_path=filename, line=line)

    def place(self, filename: str, line: int) -> str:
        return Source(filename, line).display()
