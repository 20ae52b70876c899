"""The auditor's pack as a workbook: one sheet per schedule, amounts as numbers.

Every amount is written from its ``Decimal`` (openpyxl stores a Decimal as a number, as
written, with no float in between) and shown in a GBP number format; dates are dates.
The sheets hold the same figures as the HTML pack, from the same ``Briefing``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from kcst_budget.briefing import Briefing
from kcst_budget.money.forecast import months_text
from kcst_budget.source import Source

GBP_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"

Rows = Sequence[Mapping[str, Any]]


def audit_sheets(pack: Briefing) -> dict[str, Rows]:
    """The pack's schedules as rows, sheet by sheet (the order of the HTML pack)."""
    audit = pack.audit
    summary, in_fy = audit["summary"], pack.audit_fy["summary"]
    return {
        "Summary": [
            {"item": "Title", "value": pack.title},
            {"item": "Ledger", "value": pack.ledger},
            {"item": "Agreement", "value": pack.standing.words},
            {"item": "Financial year", "value": pack.fy.label},
            {"item": "Judged as of", "value": pack.as_of},
            {"item": "Breaches", "value": summary["breaches"]},
            {"item": "Warnings", "value": summary["warnings"]},
            {"item": f"Breaches dated in {pack.fy}", "value": in_fy["breaches"]},
            {"item": f"Warnings dated in {pack.fy}", "value": in_fy["warnings"]},
            {"item": "Rules passed", "value": summary["rules_passed"]},
            {"item": "Rules failed", "value": summary["rules_failed"]},
            {"item": "Rules not applicable", "value": summary["rules_not_applicable"]},
        ],
        "Compliance": [
            {"clause": rule["clause"], "rule": rule["id"], "title": rule["title"],
             "status": rule["status"],
             "severity": finding["severity"] if finding else None,
             "date": datetime.date.fromisoformat(finding["date"]) if finding else None,
             "message": finding["message"] if finding else None,
             "file:line": Source(finding["file"], finding["line"]).display() if finding else None,
             "evidence": pack.evidence.get((finding["file"], finding["line"])) if finding else None}
            for rule in audit["rules"] for finding in (rule["findings"] or [None])],
        "Trial balance": [
            {"account": line.account, "opening": line.opening, "movement": line.movement,
             "closing": line.closing} for line in pack.trial.lines],
        "Contributions": [
            {"partner": c.partner, "fy": pack.fy.label, "minimum": c.due, "received": c.received,
             "outstanding": c.outstanding} for c in pack.statement.contributions],
        "Posts": [
            {"post": c.post.title, "host": c.post.host, "account": c.post.account,
             "start": c.post.start, "last day": c.post.last_day, "months": c.post.months,
             "annual cost": c.post.annual_cost, "months in term": months_text(c.months_in_term),
             "committed in term": c.committed, "spent to date": c.spent, "remaining": c.remaining}
            for c in pack.posts],
        "Spend by line": [
            {"line": s.line, "fy": pack.fy.label, "budget": s.budget,
             "budget to date": s.budget_to_date, "actual": s.actual,
             "variance to date": s.variance_to_date, "outturn": s.outturn,
             "variance": s.variance} for s in pack.statement.spend],
        "Roll-forward": [
            {"fy": r.fy.label, "opening": r.opening, "contributions": r.contributions,
             "spend": r.spend, "withdrawals": r.withdrawals, "other": r.other,
             "closing": r.closing,
             "carried forward (record)": r.record.amount if r.record else None,
             "amount holds": r.amount_holds, "digest holds": r.digest_holds}
            for r in pack.roll],
        "Decisions": [
            {"decision": d.decision.id, "date": d.decision.date, "text": d.decision.text,
             "limit": d.decision.limit, "spend items": d.spend_count, "spent": d.spent,
             "remaining": d.remaining} for d in pack.decisions],
        "Sealed periods": [
            {"fy": r.fy.label, "sealed at": r.record.source.display() if r.record else None,
             "digest": r.record.digest if r.record else None,
             "amount holds": r.amount_holds, "digest holds": r.digest_holds}
            for r in pack.sealed],
    }


def audit_xlsx(pack: Briefing, output: Path) -> None:
    write_workbook(audit_sheets(pack), output)


def write_workbook(sheets: Mapping[str, Rows], output: Path) -> None:
    """One sheet per schedule: a header row, then a row per line; Decimal amounts in GBP
    format, dates as dates, columns wide enough to read."""
    import pandas as pd

    with pd.ExcelWriter(output, engine="openpyxl") as writer:
        for name, rows in sheets.items():
            frame = pd.DataFrame(list(rows))
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for column, header in enumerate(frame.columns, start=1):
                values = list(frame[header])
                letter = sheet.cell(row=1, column=column).column_letter
                widest = max([len(str(header)), *(len(_shown(v)) for v in values)])
                sheet.column_dimensions[letter].width = max(10, min(60, widest + 2))
                for row, value in enumerate(values, start=2):
                    if isinstance(value, Decimal):
                        sheet.cell(row=row, column=column).number_format = GBP_FORMAT
                    elif isinstance(value, datetime.date):
                        sheet.cell(row=row, column=column).number_format = DATE_FORMAT
            sheet.freeze_panes = "A2"


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return "" if value is None else str(value).split("\n")[0]
