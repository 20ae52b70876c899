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

from kcst_budget.amounts import ZERO
from kcst_budget.briefing import Briefing
from kcst_budget.money.forecast import months_text
from kcst_budget.periods import long_date
from kcst_budget.rules._common import clause_words
from kcst_budget.source import Source

GBP_FORMAT = '"£"#,##0.00;[Red]-"£"#,##0.00'
DATE_FORMAT = "yyyy-mm-dd"
#: How a text cell may start that a spreadsheet would read as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Rows = Sequence[Mapping[str, Any]]


class TotalRow(dict):
    """A row of totals: written like any row, then set in bold."""


def audit_sheets(pack: Briefing) -> dict[str, Rows]:
    """The pack's schedules as rows, sheet by sheet (the order of the HTML pack), each
    schedule with its totals, then the forecast and the portions."""
    audit = pack.audit
    summary, in_fy = audit["summary"], pack.audit_fy["summary"]
    s, t, f, listing = pack.statement, pack.trial, pack.forecast, pack.listing
    return {
        "Summary": [
            {"Item": "Title", "Value": pack.title},
            {"Item": "Ledger", "Value": pack.ledger},
            {"Item": "Agreement", "Value": pack.standing.words},
            {"Item": "Financial year", "Value": pack.fy.label},
            {"Item": "Judged as of", "Value": pack.as_of},
            {"Item": "Breaches", "Value": summary["breaches"]},
            {"Item": "Warnings", "Value": summary["warnings"]},
            {"Item": f"Breaches dated in {pack.fy}", "Value": in_fy["breaches"]},
            {"Item": f"Warnings dated in {pack.fy}", "Value": in_fy["warnings"]},
            {"Item": "Rules passed", "Value": summary["rules_passed"]},
            {"Item": "Rules failed", "Value": summary["rules_failed"]},
            {"Item": "Rules not applicable", "Value": summary["rules_not_applicable"]},
            {"Item": "Books' fingerprint", "Value": pack.fingerprint},
        ],
        "Compliance": [
            {"Clause": clause_words(rule["clause"]), "Rule": rule["id"], "Title": rule["title"],
             "Status": rule["status"],
             "Severity": finding["severity"] if finding else None,
             "Date": datetime.date.fromisoformat(finding["date"]) if finding else None,
             "Message": finding["message"] if finding else None,
             "File:line": Source(finding["file"], finding["line"]).display() if finding else None,
             "Evidence": pack.evidence.get((finding["file"], finding["line"])) if finding else None}
            for rule in audit["rules"] for finding in (rule["findings"] or [None])],
        "Trial balance": [
            *({"Account": line.account, "Brought forward": line.opening,
               "Movement": line.movement, "Closing": line.closing} for line in t.lines),
            TotalRow({"Account": "Total", "Brought forward": t.total_opening,
                      "Movement": t.total_movement, "Closing": t.total_closing}),
            TotalRow({"Account": "Debits (closing)", "Closing": t.debits}),
            TotalRow({"Account": "Credits (closing)", "Closing": t.credits}),
        ],
        "Pool transactions": [
            {"Date": pack.fy.start, "Payee": None, "Narration": "Opening balance (brought forward)",
             "Account": None, "Amount": None, "Balance": listing.opening, "Ref": None,
             "File:line": None},
            *({"Date": line.date, "Payee": line.payee, "Narration": line.narration,
               "Account": ", ".join(line.accounts), "Amount": line.amount,
               "Balance": line.balance, "Ref": line.ref, "File:line": line.source.display()}
              for line in listing.lines),
            TotalRow({"Date": None, "Narration": "Money in", "Amount": listing.money_in}),
            TotalRow({"Date": None, "Narration": "Money out", "Amount": -listing.money_out}),
            TotalRow({"Date": listing.through, "Narration": "Closing balance",
                      "Balance": listing.closing}),
        ],
        "Contributions": [
            *({"Partner": c.partner, "FY": pack.fy.label, "Minimum": c.due,
               "Received": c.received, "Outstanding": c.outstanding} for c in s.contributions),
            TotalRow({"Partner": "Total", "FY": pack.fy.label, "Minimum": s.total_due,
                      "Received": s.total_received, "Outstanding": s.total_outstanding}),
        ],
        "Posts": [
            *({"Post": c.post.title, "Host": c.post.host, "Account": c.post.account,
               "Start": c.post.start, "Last day": c.post.last_day, "Months": c.post.months,
               "Annual cost": c.post.annual_cost, "Months in term": months_text(c.months_in_term),
               "Committed in term": c.committed, "Spent to date": c.spent,
               "Remaining": c.remaining} for c in pack.posts),
            *([] if pack.posts else [{"Post": "No post in the books."}]),
            TotalRow({"Post": "Total",
                      "Committed in term": sum((c.committed for c in pack.posts), ZERO),
                      "Spent to date": sum((c.spent for c in pack.posts), ZERO),
                      "Remaining": sum((c.remaining for c in pack.posts), ZERO)}),
        ],
        "Spend by line": [
            *({"Line": line.line, "FY": pack.fy.label, "Budget": line.budget,
               "Budget to date": line.budget_to_date, "Actual": line.actual,
               "Variance to date": line.variance_to_date, "Outturn": line.outturn,
               "Variance": line.variance} for line in s.spend),
            TotalRow({"Line": "Total", "FY": pack.fy.label, "Budget": s.total_budget,
                      "Budget to date": s.total_budget_to_date, "Actual": s.total_actual,
                      "Variance to date": s.total_variance_to_date, "Outturn": s.total_outturn,
                      "Variance": s.total_variance}),
        ],
        "Forecast": [
            {"Item": "Agreement", "Amount": None, "Note": pack.standing.words},
            {"Item": f"Pool balance on {long_date(f.as_of)}", "Amount": f.balance_as_of,
             "Note": None},
            *(({"Item": "+ contributions still due", "Amount": f.outstanding_contributions,
                "Note": "the minimums to the term end"},
               {"Item": "- posts still to pay in the term", "Amount": f.remaining_post_commitments,
                "Note": None},
               {"Item": "- approved spend still to pay", "Amount": f.remaining_approved_spend,
                "Note": "SMT decisions' limits not yet spent"}) if f.in_force else ()),
            TotalRow({"Item": f"Balance at the end of the term ({long_date(f.term_end)})"
                      if f.term_end else "Balance at the end of the term",
                      "Amount": f.balance_at_term_end,
                      "Note": "forecast" if f.in_force else "actual: no agreement in force"}),
            {"Item": "Shortfall", "Amount": f.shortfall, "Note": None},
            *({"Item": f"Top-up: {code}", "Amount": amount,
               "Note": "in proportion to the minimums"}
              for code, amount in f.top_up_per_partner.items() if f.shortfall > 0),
            {"Item": "The pool runs out", "Amount": None,
             "Note": f.exhaustion_words if f.in_force else None},
        ],
        "Portions": [
            *({"Partner": r.partner, "Net contributions": r.contributed, "Share": r.share,
               "Portion": r.portion, "Withdrawn": r.withdrawn} for r in pack.portions.partners),
            TotalRow({"Partner": "Pool balance",
                      "Net contributions": sum((r.contributed for r in pack.portions.partners),
                                               ZERO),
                      "Portion": pack.portions.balance}),
        ],
        "Roll-forward": [
            {"FY": r.fy.label, "Opening": r.opening, "Contributions": r.contributions,
             "Spend": r.spend, "Withdrawals": r.withdrawals, "Other": r.other,
             "Closing": r.closing,
             "Carried forward (record)": r.record.amount if r.record else None,
             "Amount holds": r.amount_holds, "Digest holds": r.digest_holds}
            for r in pack.roll],
        "Decisions": [
            {"Decision": d.decision.id, "Date": d.decision.date, "Text": d.decision.text,
             "Limit": d.decision.limit, "Spend items": d.spend_count, "Spent": d.spent,
             "Remaining": d.remaining,
             "Projects approved (their spend: sheet Projects)": ", ".join(d.projects)}
            for d in pack.decisions]
        or [{"Decision": None, "Text": f"No SMT decision to {long_date(pack.as_of)}."}],
        "Projects": _projects(pack),
        "Spend by priority": _spend_by_priority(pack),
        "Sealed periods": [
            {"FY": r.fy.label, "Sealed at": r.record.source.display() if r.record else None,
             "Digest": r.record.digest if r.record else None,
             "Amount holds": r.amount_holds, "Digest holds": r.digest_holds}
            for r in pack.sealed]
        or [{"FY": None, "Sealed at": "No FY has been closed.", "Digest": None}],
    }


def _projects(pack: Briefing) -> list[Mapping[str, Any]]:
    """The project register (contract section 8): a row per project, the totals, then the
    spend on ``Expenses:Projects`` citing no project (not in the totals)."""
    register, fy = pack.projects, pack.fy.label
    rows: list[Mapping[str, Any]] = [
        {"Project": line.project.id, "Title": line.project.title,
         "Priority": line.project.priority,
         "Priority title": line.priority.title if line.priority else "(no such priority in the books)",
         "Decision": line.project.decision,
         "Decision date": line.decision.date if line.decision else None,
         "Starts": line.project.date, "Last day": line.last_day,
         "Ended": line.ended, "Budget": line.budget, f"Spent in {fy}": line.spent_in_fy,
         "Spent to date": line.spent, "Remaining": line.remaining,
         "Outcome date": line.outcome.date if line.outcome else None,
         "Outcome": line.outcome.text if line.outcome else None,
         "Outcome due": line.outcome_due, "Outcome overdue": line.outcome_overdue,
         "Entry": line.project.source.display()}
        for line in register.projects]
    if not rows:
        rows.append({"Project": None, "Title": f"No project in the books by {long_date(pack.as_of)}."})
    rows.append(TotalRow({"Project": "Total", "Budget": register.total_budget,
                          f"Spent in {fy}": register.total_spent_in_fy,
                          "Spent to date": register.total_spent,
                          "Remaining": register.total_remaining}))
    rows.append({"Project": None, "Title": "Spend on Expenses:Projects citing no project in the "
                 "books (serves no priority; not in the total)",
                 f"Spent in {fy}": register.unlinked_in_fy, "Spent to date": register.unlinked})
    return rows


def _spend_by_priority(pack: Briefing) -> list[Mapping[str, Any]]:
    """The spend by CSA priority in the pack's FY and to date, its totals (the projects'),
    then the spend citing no project."""
    register, fy = pack.projects, pack.fy.label
    kinds = {"": "priority", "Cross-cutting themes": "cross-cutting theme"}
    rows: list[Mapping[str, Any]] = [
        {"Priority": line.id, "Title": line.title,
         "Kind": kinds.get(heading, "not in the books"), "Projects' budgets": line.budget,
         f"Spent in {fy}": line.spent_in_fy, "Spent to date": line.spent}
        for heading, lines in register.priority_groups for line in lines]
    if not rows:
        rows.append({"Priority": None, "Title": "No priority of the Community Safety Agreement "
                     "in the books."})
    rows.append(TotalRow({"Priority": "Total", "Projects' budgets": register.total_budget,
                          f"Spent in {fy}": register.total_spent_in_fy,
                          "Spent to date": register.total_spent}))
    rows.append({"Priority": None, "Title": "Spend on Expenses:Projects citing no project in the "
                 "books (serves no priority; not in the total)",
                 f"Spent in {fy}": register.unlinked_in_fy, "Spent to date": register.unlinked})
    return rows


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
            _emphasise(sheet, rows)


def _emphasise(sheet: Any, rows: Rows) -> None:
    """Styling after the cells are written: the header row bold on a tint (frozen above),
    each row of totals bold, a share as a percentage, and the sheet ready to filter."""
    from openpyxl.styles import Border, Font, PatternFill, Side

    bold, tint = Font(bold=True), PatternFill("solid", start_color="FFDCE6F2")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, tint
    rule = Border(top=Side(style="thin"))
    for index, row in enumerate(rows, start=2):
        if isinstance(row, TotalRow):
            for cell in sheet[index]:
                cell.font, cell.border = bold, rule
    for column, header in enumerate(sheet[1], start=1):
        if header.value == "Share":
            for row in range(2, sheet.max_row + 1):
                sheet.cell(row=row, column=column).number_format = "0.00%"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions


def keep_as_text(cell: Any, text: str) -> None:
    """Store ``text`` in ``cell`` as a string that no spreadsheet evaluates."""
    cell.value = text
    cell.data_type = "s"  # openpyxl made a text starting with "=" a formula
    cell.quotePrefix = True  # Excel and LibreOffice keep it text when the cell is edited


def _shown(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"£{value:,.2f}"
    return "" if value is None else str(value).split("\n")[0]
