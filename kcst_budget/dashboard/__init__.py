"""The SMT dashboard: a Fava extension (``KCSTDashboard``) registered by the plugin.

Figures are read once per ledger load (``after_load_file``) from the functions every
presenter shares; the page never computes a figure of its own.
"""

from __future__ import annotations

from typing import Any

from fava.ext import FavaExtensionBase

from kcst_budget.books import Books, books_of
from kcst_budget.rules import Judgement, judgement_of


class KCSTDashboard(FavaExtensionBase):
    """The SMT's page at each meeting: pool, contributions, spend, forecast, governance."""

    report_title = "KCST dashboard"

    books: Books | None = None
    judgement: Judgement | None = None

    def after_load_file(self) -> None:
        ledger: Any = self.ledger
        self.books = books_of(ledger.all_entries, ledger.errors, ledger.options,
                              ledger.beancount_file_path)
        self.judgement = judgement_of(self.books)
