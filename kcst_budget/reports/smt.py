"""The SMT's budget-monitoring paper (cl. 8.1: "SMT will review the budget at each
meeting"), in the shape of a UK local-government committee report: a cover with author,
date and version; summary; recommendations (the decisions required); financial
implications; the budget-monitoring tables with totals; the forecast outturn; portions;
risks; governance; compliance.

Every figure is the briefing's (``kcst_budget.briefing``): the same as the dashboard's,
the auditor's pack's and ``kcst forecast``'s, ``kcst shares``' and ``kcst audit``'s for
the same as-of date.
"""

from __future__ import annotations

import datetime

from kcst_budget.books import Books
from kcst_budget.briefing import Briefing, briefing
from kcst_budget.reports import charts
from kcst_budget.reports.render import long_date, render


def smt_paper(books: Books, as_of: datetime.date | None = None) -> Briefing:
    """The briefing the paper shows: as of the one as-of date, for its default FY."""
    return briefing(books, as_of)


def caption(paper: Briefing) -> str:
    """The title every page of the printed paper carries."""
    return (f"{paper.title}: SMT budget monitoring {paper.statement.label}, "
            f"as of {long_date(paper.as_of)}")


def default_author(paper: Briefing) -> str:
    """Who reports to the SMT when no ``--author`` is given: the host's finance officer."""
    agreement = paper.standing.agreement
    if agreement is None:
        return "The finance officer of the host of the pool"
    return (f"The finance officer, {paper.books.terms.name_of(agreement.host)} "
            f"({agreement.host}, host of the pool)")


def render_smt(paper: Briefing, author: str | None = None, version: str = "1") -> str:
    """The paper as one self-contained A4 HTML page, its two charts inline SVG; the cover
    names its author and version, as every committee report does."""
    balance = charts.balance_chart(
        paper.balance_series, "Pool balance month by month: actual, then forecast to the term end")
    spend = charts.budget_chart(paper.budget_series,
                                f"Spend against budget by line, {paper.fy}")
    return render("smt.html", paper=paper, caption=caption(paper), balance_chart=balance,
                  budget_chart=spend, author=author or default_author(paper), version=version)
