"""The auditor's pack as a workbook: one sheet per schedule, amounts as numbers.

Every amount is written from its ``Decimal`` (openpyxl stores a Decimal as a number, as
written, with no float in between) and shown in a GBP number format; dates are dates.
The sheets hold the same figures as the HTML pack, from the same ``Briefing``.

Every text comes from the books, and the books are typed by people and imported from
other systems: a decision's text ``=HYPERLINK("http://...","minutes")`` or a post title
``+44 ...`` is text, never a formula a spreadsheet would run (formula injection). A text
cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is stored as a
string (type ``s``) with Excel's quote prefix, so that even editing the cell keeps it text.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from kcst_budget.briefing import Briefing
from kcst_budget.money.forecast import months_text
from kcst_budget.source import Source

GBP_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
#: How a text cell may start that a spreadsheet would read as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

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


def audit_xlsx(pack: Briefing) -> bytes:
    """The pack's workbook, as the bytes of an ``.xlsx`` file."""
    buffer = io.BytesIO()
    write_workbook(audit_sheets(pack), buffer)
    return buffer.getvalue()


def write_workbook(sheets: Mapping[str, Rows], output: Path | IO[bytes]) -> None:
    """One sheet per schedule: a header row, then a row per line; Decimal amounts in GBP
    format, dates as dates, text as text, columns wide enough to read."""
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
                    cell = sheet.cell(row=row, column=column)
                    if isinstance(value, Decimal):
                        cell.number_format = GBP_FORMAT
                    elif isinstance(value, datetime.date):
                        cell.number_format = DATE_FORMAT
                    elif isinstance(value, str) and value.startswith(FORMULA_STARTS):
                        keep_as_text(cell, value)
            sheet.freeze_panes = "A2"


def keep_as_text(cell: Any, text: str) -> None:
    """Store ``text`` in ``cell`` as a string that no spreadsheet evaluates."""
    cell.value = text
    cell.data_type = "s"  # openpyxl made a text starting with "=" a formula
    cell.quotePrefix = True  # Excel and LibreOffice keep it text when the cell is edited


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return "" if value is None else str(value).split("\n")[0]
