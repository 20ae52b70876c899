"""The printed and the spreadsheet forms: the PDF's text (``pdftotext``) holds the key
figures of ``kcst forecast``, ``kcst shares`` and ``kcst audit``; the workbook reads back
with pandas to the package's numbers, in a GBP number format."""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kcst_budget.amounts import gbp
from kcst_budget.books import load_books
from kcst_budget.money.registers import decision_register, trial_balance
from kcst_budget.money.statement import fy_statement
from kcst_budget.money.yearend import roll_forward
from kcst_budget.periods import parse_fy
from kcst_budget.reports.xlsx import GBP_FORMAT

from ..conftest import BUNDLED
from .conftest import LAPSES, kcst, kcst_json


def pdf_text(path: Path) -> str:
    assert path.read_bytes().startswith(b"%PDF-")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_the_smt_paper_pdf_holds_the_key_figures(tmp_path) -> None:
    out = tmp_path / "smt.pdf"
    result = kcst("report", "smt", "--ledger", str(BUNDLED), "--as-of", "2019-01-17",
                  "--format", "pdf", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out)
    figures = kcst_json("forecast", "--ledger", str(BUNDLED), "--as-of", "2019-01-17")
    assert Decimal(figures["shortfall"]) > 0
    for key in ("balance_as_of", "outstanding_contributions", "balance_at_term_end", "shortfall"):
        assert gbp(Decimal(figures[key])) in text, key
    for amount in figures["top_up_per_partner"].values():
        assert gbp(Decimal(amount)) in text
    assert figures["exhaustion_month"] == "2019-03" and "March 2019" in text
    shares = kcst_json("shares", "--ledger", str(BUNDLED), "--as-of", "2019-01-17")
    for share in shares["partners"].values():
        assert gbp(Decimal(share["portion"])) in text
    assert "The minimum contributions do not cover the budget" in text
    assert "budget monitoring report, 2018/19" in text
    assert "as of 17 January 2019" in text and "page 1 of" in text  # the footer on each page


def test_the_audit_pack_pdf_holds_the_summary_and_the_evidence(tmp_path) -> None:
    out = tmp_path / "audit.pdf"
    result = kcst("report", "audit", "--ledger", str(LAPSES), "--as-of", "2019-04-30",
                  "--fy", "2018/19", "--format", "pdf", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    text = pdf_text(out)
    audit = kcst_json("audit", "--ledger", str(LAPSES), "--as-of", "2019-04-30")
    summary = audit["summary"]
    assert f"{summary['breaches']} breaches, {summary['warnings']} warnings as of 30 April 2019" \
        in " ".join(text.split())
    for rule in audit["rules"]:
        for finding in rule["findings"]:
            assert f"lapses.beancount:{finding['line']}" in text
    books = load_books(LAPSES)
    trial = trial_balance(books, parse_fy("2018/19"), datetime.date(2019, 4, 30))
    assert gbp(trial.debits) in text
    assert "Trial balance, 2018/19" in text and "Sealed periods" in text


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xlsx") / "audit.xlsx"
    result = kcst("report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30",
                  "--fy", "2018/19", "--format", "xlsx", "--output", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def pennies(value: float) -> Decimal:
    return Decimal(str(value.item() if hasattr(value, "item") else value)).quantize(Decimal("0.01"))


def test_the_workbook_has_one_sheet_per_schedule(workbook) -> None:
    assert list(pd.read_excel(workbook, sheet_name=None)) == [
        "Summary", "Compliance", "Trial balance", "Pool transactions", "Contributions", "Posts",
        "Spend by line", "Forecast", "Portions", "Roll-forward", "Decisions", "Projects",
        "Spend by priority", "Sealed periods"]


def test_the_workbook_reads_back_to_the_same_numbers(workbook) -> None:
    sheets = pd.read_excel(workbook, sheet_name=None)
    books = load_books(BUNDLED)
    as_of, fy = datetime.date(2020, 6, 30), parse_fy("2018/19")

    trial = sheets["Trial balance"].set_index("Account")
    tb = trial_balance(books, fy, as_of)
    assert list(trial.index) == [line.account for line in tb.lines] + [
        "Total", "Debits (closing)", "Credits (closing)"]
    for line in tb.lines:
        assert [pennies(trial.loc[line.account, c]) for c in ("Brought forward", "Movement",
                                                                "Closing")] \
            == [line.opening, line.movement, line.closing]
    assert pennies(trial.loc["Debits (closing)", "Closing"]) == tb.debits
    assert pennies(trial.loc["Credits (closing)", "Closing"]) == tb.credits

    statement = fy_statement(books, fy, as_of)
    contributions = sheets["Contributions"].set_index("Partner")
    for line in statement.contributions:
        assert pennies(contributions.loc[line.partner, "Minimum"]) == line.due
        assert pennies(contributions.loc[line.partner, "Received"]) == line.received
        assert pennies(contributions.loc[line.partner, "Outstanding"]) == line.outstanding
    assert pennies(contributions.loc["Total", "Received"]) == statement.total_received
    spend = sheets["Spend by line"].set_index("Line")
    for line in statement.spend:
        assert pennies(spend.loc[line.line, "Actual"]) == line.actual
        assert pennies(spend.loc[line.line, "Variance"]) == line.variance
    assert pennies(spend.loc["Total", "Budget to date"]) == statement.total_budget_to_date
    assert pennies(spend.loc["Total", "Variance to date"]) == statement.total_variance_to_date

    # each post's cost over its span inside the MoU's term, and its spend there: the
    # coordinator's 1 July 2018 to 31 March 2020 is 21 months of 3,750.00
    posts = sheets["Posts"].set_index("Post")
    assert pennies(posts.loc["KCST Coordinator", "Committed in term"]) == Decimal("78750.00")
    for post in books.terms.posts:
        spent = sum((a for m in books.movements for account, a in m.spend
                     if account == post.account and post.start <= m.date <= post.last_day
                     and m.date <= datetime.date(2020, 3, 31)), Decimal(0))
        assert pennies(posts.loc[post.title, "Spent to date"]) == spent

    roll = sheets["Roll-forward"].set_index("FY")
    for year in roll_forward(books, as_of):
        assert pennies(roll.loc[year.fy.label, "Closing"]) == year.closing
        if year.record is not None:
            assert pennies(roll.loc[year.fy.label, "Carried forward (record)"]) == year.record.amount
            assert bool(roll.loc[year.fy.label, "Digest holds"]) is year.digest_holds

    decisions = sheets["Decisions"].set_index("Decision")
    for line in decision_register(books, as_of):
        assert pennies(decisions.loc[line.decision.id, "Spent"]) == line.spent
    # a decision approving projects names them: their payments cite the project instead
    approves = decisions["Projects approved (their spend: sheet Projects)"].fillna("")
    assert approves.loc["D-2019-01-2"] == "P-2019-01, P-2019-02"
    assert approves.loc["D-2019-05-1"] == "P-2019-03"
    assert approves.loc["D-2018-05-1"] == ""

    audit = kcst_json("audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30")
    compliance = sheets["Compliance"]
    assert set(compliance["Rule"]) == {r["id"] for r in audit["rules"]}
    assert int((compliance["Severity"] == "breach").sum()) == audit["summary"]["breaches"]
    assert int((compliance["Severity"] == "warning").sum()) == audit["summary"]["warnings"]


def test_amounts_are_numbers_in_a_gbp_format_and_dates_are_dates(workbook) -> None:
    book = openpyxl.load_workbook(workbook)
    sheet = book["Contributions"]
    header = [cell.value for cell in sheet[1]]
    received = sheet.cell(row=2, column=header.index("Received") + 1)
    assert received.data_type == "n" and received.number_format == GBP_FORMAT
    posts = book["Posts"]
    header = [cell.value for cell in posts[1]]
    start = posts.cell(row=2, column=header.index("Start") + 1)
    assert start.is_date
