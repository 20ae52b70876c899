"""The SMT dashboard: a Fava extension (``KCSTDashboard``) registered by the plugin, so a
ledger needs nothing beyond ``plugin "kcst_budget.plugin"`` to have it (and only books
with a ``kcst-agreement`` get it).

The books are read once per ledger load (``after_load_file``: the plugin's reading,
``kcst_budget.books.books_of``); each request asks for a briefing (an as-of date with
``?as_of=``, a period with Fava's time filter read as Fava reads it, the ledger's
``fiscal-year-end`` included), kept for the next few requests. The page only lays the
briefing out, in Fava's own colours (its CSS variables, light and dark). Fava's account
and tag/payee filters and its conversion are not applied, and the page says so: the MoU
counts the whole pool, in GBP.

``calendar.ics`` serves the calendar of obligations (contract v1.1 section 9), the same
file ``kcst calendar`` writes, for the SMT to subscribe to.
Its forms that record entries are at ``record`` (``kcst_budget.dashboard.record``).

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
from flask import Response, request, url_for

from kcst_budget import asof
from kcst_budget.amounts import decimal_string
from kcst_budget.books import Books, books_of
from kcst_budget.briefing import Briefing
from kcst_budget.dashboard.sealguard import guard_sealed_periods
from kcst_budget.dashboard.view import (Briefings, Request, balance_chart, budget_chart,
                                        fava_time, read_request)
from kcst_budget.ledgerio import guard_fava_writes
from kcst_budget.periods import FinancialYear, Period, long_date, month_words
from kcst_budget.rules._common import clause_words, id_words, plural
from kcst_budget.source import Source

#: Fava's filters the page does not apply, with what each would have done.
NOT_APPLIED = {"account": "account filter", "filter": "filter", "conversion": "conversion"}


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

    @property
    def fiscal_year_end(self) -> Any:
        """Fava's ``fiscal-year-end`` option of the ledger (12-31 when unset)."""
        return getattr(getattr(self.ledger, "fava_options", None), "fiscal_year_end", None)

    @property
    def fiscal_year_end_pair(self) -> tuple[int, int]:
        fye = self.fiscal_year_end
        return (fye.month_of_year, fye.day) if fye is not None else (12, 31)

    def request(self) -> Request:
        """The as-of date (``?as_of=``) and period (Fava's time filter) of this request."""
        return read_request(request.args.get("as_of"), request.args.get("time"),
                            self.fiscal_year_end)

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

    def time_error(self) -> str | None:
        """The error of a time filter Fava cannot read."""
        return self.request().time_error

    def not_applied(self) -> list[tuple[str, str]]:
        """Fava's filters set on this request that the page does not apply: (name, value)."""
        return [(words, request.args[name]) for name, words in NOT_APPLIED.items()
                if request.args.get(name)]

    def fava_fy_words(self) -> str:
        """What Fava's ``FY2019`` means on these books, in words."""
        from fava.util.date import parse_date

        begin, end = parse_date("FY2019", self.fiscal_year_end)
        assert begin is not None and end is not None
        fava_year = Period(begin, end - datetime.timedelta(days=1))
        month, day = self.fiscal_year_end_pair
        if fava_year.fy is not None:
            return f"Fava's FY2019 is the MoU's {fava_year.fy} (fiscal-year-end {month:02d}-{day:02d})"
        return (f"On these books Fava's FY2019 is {fava_year.label} (fiscal-year-end "
                f"{month:02d}-{day:02d}), not an MoU financial year (1 April to 31 March): the "
                "year links pick the MoU's")

    def balance_chart(self, b: Briefing) -> str:
        return balance_chart(b)

    def budget_chart(self, b: Briefing) -> str:
        return budget_chart(b)

    def fava_fy(self, fy: FinancialYear) -> str:
        """Fava's time filter selecting the MoU's ``fy`` on these books."""
        return fava_time(fy, self.fiscal_year_end_pair)

    def fy_link(self, fy: FinancialYear) -> str:
        """The query selecting ``fy`` with Fava's time filter, keeping any ``?as_of=``."""
        query = {"time": self.fava_fy(fy)}
        if request.args.get("as_of"):
            query["as_of"] = request.args["as_of"]
        return "?" + urlencode(query)

    def kept_arguments(self) -> list[tuple[str, str]]:
        """The request's arguments the as-of form keeps (Fava's filters), not the date."""
        return [(name, value) for name, value in request.args.items(multi=True)
                if name not in ("as_of", "partial")]

    def calendar_url(self) -> str:
        """The calendar of obligations, as of the page's ``?as_of=`` when one is given."""
        page = url_for("extension_report", extension_name=self.name).split("?", 1)[0]
        query = urlencode({"as_of": request.args["as_of"]}) if request.args.get("as_of") else ""
        return page + "calendar.ics" + (f"?{query}" if query else "")

    def source_url(self, filename: str, line: int) -> str:
        """Fava's editor at the entry's line."""
        return url_for("report", report_name="editor", file_path=filename, line=line)

    def pool_url(self, b: Briefing) -> str | None:
        """Fava's own account page (its balance chart and journal) for the pool."""
        agreement = b.standing.agreement
        if agreement is None:
            return None
        return url_for("account", name=agreement.pool)

    @staticmethod
    def money(amount: Decimal) -> str:
        """An amount as the JSON outputs carry it: a decimal string, two places, no float."""
        return decimal_string(amount)

    @staticmethod
    def long_date(date: datetime.date) -> str:
        return f"{date.day} {date:%B %Y}"

    @staticmethod
    def day(iso: str) -> str:
        """A finding's ISO date in words: ``5 July 2018``."""
        return long_date(datetime.date.fromisoformat(iso))

    @staticmethod
    def month_words(date: datetime.date) -> str:
        return month_words(date)

    @staticmethod
    def plural(count: int, word: str) -> str:
        return plural(count, word)

    @staticmethod
    def words(name: str) -> str:
        return id_words(name)

    @staticmethod
    def clause(clause: str) -> str:
        return clause_words(clause)

    def place(self, filename: str, line: int) -> str:
        return Source(filename, line).display()

    @extension_endpoint("calendar.ics")
    def calendar_ics(self) -> Response:
        """The calendar of obligations as of ``?as_of=`` (else the one as-of rule's date):
        the file ``kcst calendar`` writes."""
        from kcst_budget.reports.ics import books_ics

        if self.books is None or not self.books.terms.agreements:
            return Response("no kcst-agreement in the books\n", status=404, mimetype="text/plain")
        given = request.args.get("as_of")
        try:
            date = self.books.as_of(asof.parse_date(given, "?as_of=") if given else None)
        except asof.AsOfError as problem:
            return Response(f"{problem}\n", status=400, mimetype="text/plain")
        return Response(books_ics(self.books, date), mimetype="text/calendar",
                        headers={"Content-Disposition":
                                 f'inline; filename="kcst-obligations-{date}.ics"'})

def _today() -> datetime.date | None:
    try:
        return asof.today()
    except asof.AsOfError:  # a malformed KCST_TODAY: the plugin reports it at the load
        return None
