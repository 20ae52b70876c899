"""A successor agreement with a fourth partner (ledger/examples/successor.beancount),
against figures worked by hand from the ledger text (contract v1.1 sections 1, 2, 5)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from kcst_budget.books import Books, load_books
from kcst_budget.cli import app
from kcst_budget.money.forecast import forecast
from kcst_budget.money.portions import portions
from kcst_budget.money.statement import fy_statement
from kcst_budget.mou import in_force, post_cost
from kcst_budget.periods import FinancialYear

from ..conftest import ROOT

SUCCESSOR = ROOT / "ledger" / "examples" / "successor.beancount"
D = datetime.date
runner = CliRunner()


@pytest.fixture(scope="module")
def books() -> Books:
    loaded = load_books(SUCCESSOR)
    assert loaded.errors == ()
    return loaded


def cli_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--ledger", str(SUCCESSOR), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_the_varied_agreement_with_four_partners_succeeds_the_first(books) -> None:
    assert in_force(books.terms, D(2021, 3, 31)).partners == ("KCC", "KFRS", "KP")
    assert in_force(books.terms, D(2021, 4, 1)).partners == ("KCC", "KFRS", "KP", "OPCC")
    assert books.terms.name_of("OPCC") == "Office of the Kent Police and Crime Commissioner"


def test_the_forecast_as_of_the_plugin_line_is_worked_by_hand(books) -> None:
    # in: 370 + 3 x 16,000 + 3 x 15,000 (2020/21) + 16,000 + 16,000 + 8,000 + 8,000 (2021/22)
    # out: 2020/21 7,500 + 38,333.33 + 24,000 + 19,400 + 2,400; 2021/22 2 x 26,500
    # balance: 141,370.00 - 144,633.33 = -3,263.33
    result = cli_json("forecast")  # as of 31 October 2021, the plugin line's date
    assert result["as_of"] == "2021-10-31" and result["in_force"] is True
    assert result["agreement"] == "MoU 2020-2023 (varied 2021: OPCC joins)"
    assert result["balance_as_of"] == "-3263.33"
    # KP owes 8,000 of 2021/22; 2022/23: three partners 16,000 and the OPCC 8,000
    assert result["outstanding_contributions"] == "64000.00"
    # coordinator 24 x 46,000/12 = 92,000 - 23,000; admin 48,000 - 12,000; analyst
    # 36,000/12 x (11 + 16/31) = 34,548.39 - 18,000
    assert result["remaining_commitments"] == "121548.39"
    assert result["balance_at_term_end"] == "-60811.72"
    assert result["shortfall"] == "60811.72"
    # split 2:2:2:1 (minimums 32,000 x 3 and 16,000 to the term end): 17,374.777... and
    # 8,687.388...; rounded down, the three pennies left go to the OPCC (.857) then KCC
    # and KFRS (.71, in the agreement's order)
    assert result["top_up_per_partner"] == {"KCC": "17374.78", "KFRS": "17374.78",
                                            "KP": "17374.77", "OPCC": "8687.39"}
    assert result["exhaustion_month"] == "2021-10"


def test_the_first_coordinators_spend_is_not_counted_against_the_second(books) -> None:
    # as of 31 July 2020: the 2018 contract cost 7,500 in the term (April and May) and
    # was paid it; the new coordinator's 34 months to 31 March 2023 are 130,333.33, of
    # which June's 3,833.33 is paid
    result = forecast(books, D(2020, 7, 31))
    by_title = {c.post.title: (c.committed, c.spent, c.remaining) for c in result.commitments}
    assert by_title["KCST Coordinator (2018 contract)"] == (
        Decimal("7500.00"), Decimal("7500.00"), Decimal("0.00"))
    assert by_title["KCST Coordinator"] == (
        Decimal("130333.33"), Decimal("3833.33"), Decimal("126500.00"))


def test_a_mid_month_post_is_budgeted_by_days_in_each_fy(books) -> None:
    analyst = next(p for p in books.terms.posts if p.title == "KCST Analyst")
    # 17 to 30 September 2020 (14/30) and six months: 3,000 x 6.4666... = 19,400.00
    assert post_cost(analyst, D(2020, 4, 1), D(2021, 3, 31)) == Decimal("19400.00")
    # April 2021 to 16 March 2022: eleven months and 16/31 of March = 34,548.39
    assert post_cost(analyst, D(2021, 4, 1), D(2022, 3, 31)) == Decimal("34548.39")
    lines = {s.line: s for s in fy_statement(books, FinancialYear(2020), D(2021, 6, 30)).spend}
    assert (lines["KCST Analyst"].budget, lines["KCST Analyst"].actual,
            lines["KCST Analyst"].variance) == (Decimal("19400.00"), Decimal("19400.00"), 0)


def test_a_reclassification_moves_a_receipt_between_partners(books) -> None:
    # KFRS's 16,000 was posted to KCC on 20 April 2020 and moved by a journal on 2 July
    before = portions(books, D(2020, 6, 30))
    assert {p.partner: p.contributed for p in before.partners}["KCC"] == Decimal("32000.00")
    after = portions(books, D(2020, 7, 31))
    assert {p.partner: p.contributed for p in after.partners} == {
        "KCC": Decimal("32000.00") - Decimal("16000.00"), "KFRS": Decimal("16000.00"),
        "KP": Decimal("16000.00"), "OPCC": Decimal("0")}
    statement = fy_statement(books, FinancialYear(2020), D(2021, 3, 31))
    assert {c.partner: (c.received, c.outstanding) for c in statement.contributions} == {
        "KCC": (Decimal("31000.00"), 0), "KFRS": (Decimal("31000.00"), 0),
        "KP": (Decimal("31000.00"), 0)}  # 16,000 and the 15,000 top-up each


def test_the_portions_of_four_partners_add_up_to_the_pool(books) -> None:
    shares = cli_json("shares")
    partners = shares["partners"]
    # net contributions 47,000, 47,000, 39,000 and 8,000 of 141,000; the pool -3,263.33
    assert {code: p["contributed"] for code, p in partners.items()} == {
        "KCC": "47000.00", "KFRS": "47000.00", "KP": "39000.00", "OPCC": "8000.00"}
    assert {code: p["portion"] for code, p in partners.items()} == {
        "KCC": "-1087.78", "KFRS": "-1087.78", "KP": "-902.62", "OPCC": "-185.15"}
    assert sum(Decimal(p["portion"]) for p in partners.values()) == Decimal(shares["balance"])


def test_the_opcc_owes_its_own_minimum_from_the_year_it_joined(books) -> None:
    due = {c.partner: c.due for c in fy_statement(books, FinancialYear(2021), D(2021, 10, 31))
           .contributions}
    assert due == {"KCC": Decimal("16000.00"), "KFRS": Decimal("16000.00"),
                   "KP": Decimal("16000.00"), "OPCC": Decimal("8000.00")}
    assert "OPCC" not in {c.partner for c in fy_statement(books, FinancialYear(2020),
                                                           D(2021, 3, 31)).contributions}


def test_the_audit_judges_the_varied_agreement_with_four_partners(books) -> None:
    audit = cli_json("audit")
    assert audit["in_force"] and audit["summary"] == {
        "breaches": 0, "warnings": 3, "rules_passed": 15, "rules_failed": 0,
        "rules_not_applicable": 4}  # no notice, so no withdrawal or dissolution; no deadline;
    # no project
    assert [p["code"] for p in audit["parties"]] == ["KCC", "KFRS", "KP", "OPCC"]
