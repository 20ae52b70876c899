"""The auditor's pack: compliance clause by clause with the evidence of every finding,
and the schedules an auditor ties back to the books (trial balance, contributions,
post costs, roll-forward, decisions, sealed periods)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from kcst_budget.audit import audit_report
from kcst_budget.books import Books
from kcst_budget.money.forecast import Forecast, forecast
from kcst_budget.money.registers import (DecisionLine, TrialBalance, decision_register,
                                         trial_balance)
from kcst_budget.money.statement import FyStatement, fy_statement
from kcst_budget.money.yearend import YearEndLine, roll_forward
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.reports.render import long_date, render
from kcst_budget.rules import judgement_of
from kcst_budget.source import Source, entry_text


@dataclass(frozen=True)
class AuditPack:
    """Everything the pack shows, each figure from its one function."""

    as_of: datetime.date
    fy: FinancialYear
    title: str
    ledger: str
    audit: dict[str, Any]  # the same dict as ``kcst audit --format json``
    evidence: dict[tuple[str, int], str]  # (file, line) -> the entry's text
    trial: TrialBalance
    statement: FyStatement
    forecast: Forecast
    roll: tuple[YearEndLine, ...]
    decisions: tuple[DecisionLine, ...]

    @property
    def caption(self) -> str:
        """The title every page of the printed pack carries."""
        return f"{self.title}: auditor's pack {self.fy}, as of {long_date(self.as_of)}"

    @property
    def sealed(self) -> tuple[YearEndLine, ...]:
        return tuple(line for line in self.roll if line.record is not None)


def default_fy(books: Books, as_of: datetime.date) -> FinancialYear:
    """The FY of the as-of date, or of the books' last entry when that is earlier."""
    last = books.last_date
    return fy_of(min(as_of, last) if last else as_of)


def audit_pack(books: Books, as_of: datetime.date, fy: FinancialYear | None = None) -> AuditPack:
    fy = fy or default_fy(books, as_of)
    report = audit_report(books, judgement_of(books, as_of), fy)
    evidence = {}
    for rule in report["rules"]:
        for finding in rule["findings"]:
            key = (finding["file"], finding["line"])
            evidence[key] = entry_text(Source(*key))
    return AuditPack(
        as_of=as_of, fy=fy, title=str(books.options.get("title") or "KCST Pooled Budget"),
        ledger=Source(books.path or "<string>", 0).display().rsplit(":", 1)[0],
        audit=report, evidence=evidence, trial=trial_balance(books, fy, as_of),
        statement=fy_statement(books, fy, as_of), forecast=forecast(books, min(as_of, fy.end)),
        roll=roll_forward(books, as_of), decisions=decision_register(books, as_of),
    )


def render_audit(pack: AuditPack) -> str:
    """The pack as one self-contained A4 HTML page."""
    return render("audit.html", pack=pack)
