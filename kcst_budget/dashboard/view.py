"""What the SMT dashboard shows for one as-of date and FY, gathered from the functions
every presenter shares (the dashboard computes no figure of its own)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from kcst_budget.audit import audit_report
from kcst_budget.books import Books
from kcst_budget.governance import Governance, governance
from kcst_budget.money.forecast import Forecast, forecast
from kcst_budget.money.portions import Portions, portions
from kcst_budget.money.statement import FyStatement, fy_statement
from kcst_budget.money.yearend import YearEndLine, roll_forward
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.reports import charts
from kcst_budget.rules import Judgement, judgement_of


@dataclass(frozen=True)
class DashboardView:
    as_of: datetime.date
    fy: FinancialYear
    balance: Any  # Decimal: the pool balance on the as-of date
    statement: FyStatement
    forecast: Forecast
    portions: Portions
    roll: tuple[YearEndLine, ...]
    governance: Governance
    judgement: Judgement
    audit: dict[str, Any]
    balance_chart: str
    budget_chart: str


def default_fy(books: Books, as_of: datetime.date) -> FinancialYear:
    """The FY of the as-of date if the books reach it, else the FY of their last entry."""
    last = books.last_date
    if last is None or fy_of(last) >= fy_of(as_of):
        return fy_of(as_of)
    return fy_of(last)


def dashboard_view(books: Books, as_of: datetime.date, fy: FinancialYear) -> DashboardView:
    result = forecast(books, as_of)
    statement, budget_chart = _fy_parts(books, fy, as_of)
    judgement = judgement_of(books, as_of)
    return DashboardView(
        as_of=as_of, fy=fy, balance=books.balance_on(as_of), statement=statement,
        forecast=result, portions=portions(books, as_of), roll=roll_forward(books, as_of),
        governance=governance(books, as_of), judgement=judgement,
        audit=audit_report(books, judgement),
        balance_chart=charts.balance_chart(
            [(f"{m.month:%Y-%m}", m.balance, m.actual) for m in result.months],
            "Pool balance: actual, then forecast to term end"),
        budget_chart=budget_chart,
    )


def for_fy(view: DashboardView, books: Books, fy: FinancialYear) -> DashboardView:
    """The same as-of date's view for another FY: only the FY's statement and its chart
    are gathered again; the forecast, portions, roll-forward, governance and judgement
    (which do not depend on the FY shown) are shared."""
    statement, budget_chart = _fy_parts(books, fy, view.as_of)
    return replace(view, fy=fy, statement=statement, budget_chart=budget_chart)


def _fy_parts(books: Books, fy: FinancialYear, as_of: datetime.date) -> tuple[FyStatement, str]:
    statement = fy_statement(books, fy, as_of)
    return statement, charts.budget_chart(
        [(line.line, line.budget, line.actual) for line in statement.spend],
        f"Spend against budget, {fy}")


def books_fys(view: DashboardView, default: FinancialYear) -> tuple[FinancialYear, ...]:
    """The FYs the page can show without gathering anything on a request: every FY of the
    roll-forward and the default FY."""
    return tuple(sorted({line.fy for line in view.roll} | {default}))
