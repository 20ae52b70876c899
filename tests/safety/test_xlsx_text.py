"""The auditor's workbook keeps every text of the books as text: a decision or a post
title that looks like a formula is never one, and money stays numeric."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl

from tests.conftest import HEAD

HOSTILE = HEAD + """\
2018-04-01 custom "kcst-post" "+44 1622 Analyst" Expenses:Staff:Analyst 24000.00 GBP
  host: "KCC"
  months: 24
2018-04-18 * "Kent Police" "Contribution 2018/19 (cl. 8.2)"
  Assets:KFRS:KCST-Pool   16000.00 GBP
  Income:Contributions:KP  -16000.00 GBP
2018-05-10 custom "kcst-meeting" "SMT"
  kcc: "present"
  kfrs: "present"
  kp: "present"
  budget-reviewed: TRUE
2018-05-10 custom "kcst-decision" "D-2018-05-1" "=HYPERLINK(\\"http://x\\",\\"y\\")"
  limit: 800.00 GBP
2018-05-10 custom "kcst-decision" "D-2018-05-2" "=1+1"
2018-05-10 custom "kcst-decision" "D-2018-05-3" "@SUM(A1:A2)"
2018-05-10 custom "kcst-decision" "D-2018-05-4" "-2+3 hot desks"
2017-04-01 custom "kcst-priority" "p1" "=cmd|' /C calc'!A0"
2018-05-10 custom "kcst-project" "P-1" "+SUM(1,2) seminars" 500.00 GBP
  priority: "p1"
  decision: "D-2018-05-2"
  ends: 2018-05-31
2018-05-11 custom "kcst-outcome" "P-1" "@outcome: done"
"""


def cells(sheet) -> dict[str, list]:
    header = [cell.value for cell in sheet[1]]
    return {name: [row[index] for row in sheet.iter_rows(min_row=2)]
            for index, name in enumerate(header)}


def test_formula_like_texts_are_stored_as_text_and_money_as_numbers(tmp_path: Path, kcst_in) -> None:
    ledger = tmp_path / "main.beancount"
    ledger.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out" / "pack.xlsx"
    run = kcst_in("report", "audit", "--ledger", ledger, "--as-of", "2018-06-30", "--fy",
                  "2018/19", "--format", "xlsx", "--output", out)
    assert run.exit_code == 0, run.output
    book = openpyxl.load_workbook(out)
    decisions = cells(book["Decisions"])
    texts = {cell.value: cell for cell in decisions["Text"]}
    for text in ('=HYPERLINK("http://x","y")', "=1+1", "@SUM(A1:A2)", "-2+3 hot desks"):
        assert texts[text].data_type == "s", text
        assert texts[text].quotePrefix, text
    limits = [cell for cell in decisions["Limit"] if cell.value is not None]
    assert [(cell.value, cell.data_type) for cell in limits] == [(800, "n")]
    posts = cells(book["Posts"])
    assert [(cell.value, cell.data_type) for cell in posts["Post"]] == [
        ("+44 1622 Analyst", "s"), ("Total", "s")]  # and the schedule's total row
    assert all(cell.data_type == "n" for cell in posts["Annual cost"] if cell.value is not None)
    projects, priorities = cells(book["Projects"]), cells(book["Spend by priority"])
    for cell in (projects["Title"][0], projects["Priority title"][0], projects["Outcome"][0],
                 priorities["Title"][0]):
        assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert [(cell.value, cell.data_type) for cell in projects["Budget"][:2]] == [(500, "n")] * 2
    with zipfile.ZipFile(out) as archive:  # no formula anywhere in the workbook
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(name) or b"<f " in archive.read(name)
                                  for name in sheets)
