"""The auditor's pack: compliance clause by clause with the evidence of every finding,
and the schedules an auditor ties back to the books (trial balance, contributions,
post costs, roll-forward, decisions, sealed periods)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from kcst_budget.audit import audit_report
from kcst_budget.books import Books
from kcst_budget.money.forecast import Forecast, forecast
from kcst_budget.money.registers import (DecisionLine, TrialBalanceLine, decision_register,
                                         trial_balance)
from kcst_budget.money.statement import FyStatement, fy_statement
from kcst_budget.money.yearend import YearEndLine, roll_forward
from kcst_budget.periods import FinancialYear, fy_of
from kcst_budget.reports.render import render
from kcst_budget.rules import judgement_of
from kcst_budget.source import Source, entry_text


@dataclass(frozen=True)
class AuditPack:
    as_of: datetime.date
    fy: FinancialYear
    title: str
    ledger: str
    audit: dict[str, Any]  # the same dict as ``kcst audit --format json``
    evidence: dict[tuple[str, int], str]  # (file, line) -> the entry's text
    trial: tuple[TrialBalanceLine, ...]
    statement: FyStatement
    forecast: Forecast
    roll: tuple[YearEndLine, ...]
    decisions: tuple[DecisionLine, ...]

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


def audit_html(pack: AuditPack) -> str:
    return render("audit.html", pack=pack)


GBP_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'


def audit_xlsx(pack: AuditPack, output: Path) -> None:
    """One sheet per schedule; amounts as numbers in GBP format."""
    import pandas as pd

    def num(value: Decimal | None) -> float | None:
        # openpyxl stores numbers as IEEE doubles; pennies survive the round trip exactly
        return None if value is None else float(value)

    sheets = {
        "Compliance": pd.DataFrame([
            {"clause": r["clause"], "rule": r["id"], "title": r["title"], "status": r["status"],
             "severity": f["severity"] if f else "", "date": f["date"] if f else "",
             "message": f["message"] if f else "",
             "file:line": f"{Source(f['file'], f['line'])}" if f else "",
             "evidence": pack.evidence.get((f["file"], f["line"]), "") if f else ""}
            for r in pack.audit["rules"] for f in (r["findings"] or [None])]),
        "Trial balance": pd.DataFrame([
            {"account": t.account, "opening": num(t.opening), "movement": num(t.movement),
             "closing": num(t.closing)} for t in pack.trial]),
        "Contributions": pd.DataFrame([
            {"partner": c.partner, "fy": pack.fy.label, "minimum": num(c.due),
             "received": num(c.received), "outstanding": num(c.outstanding)}
            for c in pack.statement.contributions]),
        "Posts": pd.DataFrame([
            {"post": c.post.title, "host": c.post.host, "account": c.post.account,
             "start": c.post.start.isoformat(), "last day": c.post.last_day.isoformat(),
             "months": c.post.months, "annual cost": num(c.post.annual_cost),
             "months in term": c.months_in_term, "committed in term": num(c.committed),
             "spent to date": num(c.spent), "remaining": num(c.remaining)}
            for c in pack.forecast.commitments]),
        "Spend by line": pd.DataFrame([
            {"line": s.line, "budget": num(s.budget), "budget to date": num(s.budget_to_date),
             "actual": num(s.actual), "variance to date": num(s.variance_to_date),
             "outturn": num(s.outturn), "variance": num(s.variance)}
            for s in pack.statement.spend]),
        "Roll-forward": pd.DataFrame([
            {"fy": r.fy.label, "opening": num(r.opening), "contributions": num(r.contributions),
             "spend": num(r.spend), "withdrawals": num(r.withdrawals), "other": num(r.other),
             "closing": num(r.closing),
             "carried forward (record)": num(r.record.amount) if r.record else None,
             "amount holds": r.amount_holds, "digest holds": r.digest_holds}
            for r in pack.roll]),
        "Decisions": pd.DataFrame([
            {"decision": d.decision.id, "date": d.decision.date.isoformat(),
             "text": d.decision.text, "limit": num(d.decision.limit),
             "spend items": d.spend_count, "spent": num(d.spent), "remaining": num(d.remaining)}
            for d in pack.decisions]),
        "Sealed periods": pd.DataFrame([
            {"fy": r.fy.label, "sealed at": f"{r.record.source}", "digest": r.record.digest,
             "amount holds": r.amount_holds, "digest holds": r.digest_holds}
            for r in pack.sealed]),
    }
    money_columns = {"opening", "movement", "closing", "minimum", "received", "outstanding",
                     "annual cost", "committed in term", "spent to date", "remaining", "budget",
                     "budget to date", "actual", "variance to date", "outturn", "variance",
                     "contributions", "spend", "withdrawals", "other", "carried forward (record)",
                     "limit", "spent"}
    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for index, column in enumerate(frame.columns, start=1):
                letter = sheet.cell(row=1, column=index).column_letter
                sheet.column_dimensions[letter].width = max(12, min(60, len(str(column)) + 4))
                if column in money_columns:
                    for row in range(2, len(frame) + 2):
                        sheet.cell(row=row, column=index).number_format = GBP_FORMAT
