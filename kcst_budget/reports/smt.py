"""The SMT's budget-monitoring paper (cl. 8.1: "SMT will review the budget at each
meeting"), in the shape of a pooled-fund monitoring return."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from kcst_budget.audit import audit_report
from kcst_budget.books import Books
from kcst_budget.governance import Governance, governance
from kcst_budget.money.forecast import Forecast, forecast
from kcst_budget.money.portions import Portions, portions
from kcst_budget.money.statement import FyStatement, fy_statement
from kcst_budget.periods import fy_of
from kcst_budget.reports import charts
from kcst_budget.reports.render import long_date, render
from kcst_budget.rules import judgement_of


@dataclass(frozen=True)
class SmtPaper:
    """Everything the paper shows, each figure from its one function."""

    as_of: datetime.date
    title: str
    statement: FyStatement
    forecast: Forecast
    portions: Portions
    governance: Governance
    since: datetime.date | None  # the previous meeting, from which governance is listed
    audit: dict[str, Any]  # the same dict as ``kcst audit --format json``

    @property
    def caption(self) -> str:
        """The title every page of the printed paper carries."""
        return (f"{self.title}: SMT budget monitoring {self.statement.fy}, "
                f"as of {long_date(self.as_of)}")

    @property
    def since_last_meeting(self) -> dict[str, tuple]:
        """Meetings, decisions, notices and reviews from the last meeting on."""
        return self.governance.since(self.since) if self.since else {}


def smt_paper(books: Books, as_of: datetime.date) -> SmtPaper:
    """The paper for the FY of ``as_of``: the statement, the forecast to term end, the
    portions, governance since the last meeting and the judgement, as of that date."""
    gov = governance(books, as_of)
    previous = gov.meetings[-1].meeting.date if gov.meetings else None
    return SmtPaper(
        as_of=as_of, title=str(books.options.get("title") or "KCST Pooled Budget"),
        statement=fy_statement(books, fy_of(as_of), as_of), forecast=forecast(books, as_of),
        portions=portions(books, as_of), governance=gov, since=previous,
        audit=audit_report(books, judgement_of(books, as_of)),
    )


def render_smt(paper: SmtPaper) -> str:
    """The paper as one self-contained A4 HTML page, its two charts inline SVG."""
    balance = charts.balance_chart(
        [(f"{m.month:%Y-%m}", m.balance, m.actual) for m in paper.forecast.months],
        "Pool balance month by month: actual, then forecast to the term end")
    spend = charts.budget_chart(
        [(line.line, line.budget, line.actual) for line in paper.statement.spend],
        f"Spend against budget by line, {paper.statement.fy}")
    return render("smt.html", paper=paper, balance_chart=balance, budget_chart=spend)
