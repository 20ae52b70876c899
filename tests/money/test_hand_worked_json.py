"""The JSON every presenter reads (spec section 6), worked by hand from the two fixture
ledgers of ``tests/reports/conftest`` as of 20 November 2018 (the working is in
``tests/reports/test_hand_worked_figures.py``'s docstring)."""

from __future__ import annotations

import datetime

from kcst_budget.money.forecast import forecast
from kcst_budget.money.portions import portions
from kcst_budget.money.statement import fy_statement
from kcst_budget.periods import FinancialYear

from ..reports.conftest import COVERED, UNDERFUNDED

AS_OF = datetime.date(2018, 11, 20)
PARTNERS = ("KCC", "KFRS", "KP")


def test_the_forecast_json_of_the_underfunded_ledger(books_of_text) -> None:
    shown = forecast(books_of_text(UNDERFUNDED), AS_OF).as_json()
    months = {m["month"]: m for m in shown.pop("months")}
    assumptions = shown.pop("assumptions")
    assert shown == {
        "as_of": "2018-11-20", "agreement": "MoU 2018-2020", "in_force": True,
        "standing": "MoU 2018-2020 is in force on 20 November 2018 (from 1 January 2018 to "
                    "31 March 2020).",
        "term_end": "2020-03-31", "balance_as_of": "39083.33",
        "outstanding_contributions": "55000.00", "remaining_commitments": "147333.33",
        "remaining_post_commitments": "147333.33", "remaining_approved_spend": "0.00",
        "balance_at_term_end": "-53250.00", "shortfall": "53250.00",
        "top_up_per_partner": dict.fromkeys(PARTNERS, "17750.00"),
        "exhaustion_month": "2019-09",
        "outstanding": [
            {"partner": "KCC", "fy": "2018/19", "minimum": "16000.00", "contributed": "16000.00",
             "outstanding": "0.00"},
            {"partner": "KFRS", "fy": "2018/19", "minimum": "16000.00",
             "contributed": "16000.00", "outstanding": "0.00"},
            {"partner": "KP", "fy": "2018/19", "minimum": "16000.00", "contributed": "9000.00",
             "outstanding": "7000.00"},
        ] + [{"partner": code, "fy": "2019/20", "minimum": "16000.00", "contributed": "0.00",
              "outstanding": "16000.00"} for code in PARTNERS],
        "posts": [
            {"post": "KCST Administration Officer", "account": "Expenses:Staff:Admin",
             "months_in_term": "24", "committed": "48000.00", "spent": "14000.00",
             "remaining": "34000.00"},
            {"post": "KCST Coordinator", "account": "Expenses:Staff:Coordinator",
             "months_in_term": "21", "committed": "78750.00", "spent": "15000.00",
             "remaining": "63750.00"},
            {"post": "KCST Analyst", "account": "Expenses:Staff:Analyst",
             "months_in_term": "18", "committed": "52500.00", "spent": "2916.67",
             "remaining": "49583.33"},
        ],
        "decisions": [],
    }
    assert len(months) == 27 and len(assumptions) == 6
    assert months["2018-01"] == {"month": "2018-01", "actual": True, "contributions": "30000.00",
                                 "spend": "0.00", "balance": "30000.00"}
    assert months["2018-10"] == {"month": "2018-10", "actual": True, "contributions": "0.00",
                                 "spend": "8666.67", "balance": "39083.33"}
    assert months["2018-11"] == {"month": "2018-11", "actual": False, "contributions": "7000.00",
                                 "spend": "8666.61", "balance": "37416.72"}
    assert months["2019-04"] == {"month": "2019-04", "actual": False,
                                 "contributions": "48000.00", "spend": "8666.67",
                                 "balance": "42083.37"}
    assert months["2020-03"]["balance"] == "-53250.00"


def test_the_forecast_json_lists_each_decisions_approved_spend(books_of_text) -> None:
    shown = forecast(books_of_text(COVERED), AS_OF).as_json()
    assert shown["decisions"] == [{"decision": "D-2018-05-1", "limit": "3000.00",
                                   "spent": "2400.00", "remaining": "600.00"}]
    assert (shown["top_up_per_partner"], shown["exhaustion_month"]) == (
        {"KCC": "0.00", "KFRS": "0.00", "KP": "0.00"}, None)


def test_a_post_starting_mid_month_counts_its_part_month_by_days(books_of_text) -> None:
    books = books_of_text(
        '2019-10-15 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin '
        '24000.00 GBP\n  host: "KCC"\n  months: 12\n')
    (post,) = forecast(books, datetime.date(2019, 11, 1)).as_json()["posts"]
    # 17 of October's 31 days and November to March: 5.548... months x GBP 2,000
    assert (post["months_in_term"], post["committed"]) == ("5.55", "11096.77")


def test_the_statement_json_of_the_underfunded_ledger(books_of_text) -> None:
    shown = fy_statement(books_of_text(UNDERFUNDED), FinancialYear(2018), AS_OF).as_json()
    assert shown == {
        "fy": "2018/19", "as_of": "2018-11-20", "through": "2018-11-20",
        "period": {"first": "2018-04-01", "last": "2019-03-31", "label": "2018/19"},
        "opening_balance": "30000.00", "balance": "39083.33",
        "contributions": [
            {"partner": "KCC", "due": "16000.00", "received": "16000.00", "outstanding": "0.00"},
            {"partner": "KFRS", "due": "16000.00", "received": "16000.00",
             "outstanding": "0.00"},
            {"partner": "KP", "due": "16000.00", "received": "9000.00", "outstanding": "7000.00"},
        ],
        "spend": [
            {"line": "KCST Administration Officer", "accounts": ["Expenses:Staff:Admin"],
             "budget": "24000.00", "budget_to_date": "15333.33", "actual": "14000.00",
             "variance_to_date": "1333.33", "outturn": "24000.00", "variance": "0.00"},
            {"line": "KCST Coordinator", "accounts": ["Expenses:Staff:Coordinator"],
             "budget": "33750.00", "budget_to_date": "17500.00", "actual": "15000.00",
             "variance_to_date": "2500.00", "outturn": "33750.00", "variance": "0.00"},
            {"line": "KCST Analyst", "accounts": ["Expenses:Staff:Analyst"],
             "budget": "17500.00", "budget_to_date": "4861.11", "actual": "2916.67",
             "variance_to_date": "1944.44", "outturn": "17500.00", "variance": "0.00"},
        ],
        # to date: 15,333.33 + 17,500.00 + 4,861.11 budgeted, 1,333.33 + 2,500.00 + 1,944.44
        # not yet spent
        "totals": {"due": "48000.00", "received": "41000.00", "outstanding": "7000.00",
                   "budget": "75250.00", "budget_to_date": "37694.44", "actual": "31916.67",
                   "variance_to_date": "5777.77", "outturn": "75250.00", "variance": "0.00",
                   "gap": "-27250.00"},
    }


def test_the_statement_shows_the_smt_approved_spend_against_its_decisions(books_of_text) -> None:
    shown = fy_statement(books_of_text(COVERED), FinancialYear(2018), AS_OF).as_json()
    assert shown["spend"] == [
        {"line": "KCST Administration Officer", "accounts": ["Expenses:Staff:Admin"],
         "budget": "24000.00", "budget_to_date": "15333.33", "actual": "14000.00",
         "variance_to_date": "1333.33", "outturn": "24000.00", "variance": "0.00"},
        {"line": "Hot desking", "accounts": ["Expenses:Accommodation:HotDesking"],
         "budget": "3000.00", "budget_to_date": "3000.00", "actual": "2400.00",
         "variance_to_date": "600.00", "outturn": "3000.00", "variance": "0.00"},
    ]
    assert shown["totals"]["gap"] == "21000.00"  # 48,000 due against 27,000 budgeted


def test_a_portion_is_found_by_its_partner_code(books_of_text) -> None:
    result = portions(books_of_text(UNDERFUNDED), AS_OF)
    kp = result.of("KP")
    assert kp is not None and (kp.partner, str(kp.portion)) == ("KP", "10458.92")
    assert result.of("NHS") is None
    assert result.as_json()["partners"]["KP"] == {"contributed": "19000.00", "share": "0.2676",
                                                  "portion": "10458.92", "withdrawn": False}


def test_before_any_term_the_forecast_says_so_and_projects_nothing(books_of_text) -> None:
    shown = forecast(books_of_text(""), datetime.date(2017, 12, 1)).as_json()
    assert {key: shown[key] for key in ("as_of", "agreement", "in_force", "term_end",
                                        "balance_as_of", "balance_at_term_end", "shortfall",
                                        "top_up_per_partner", "exhaustion_month", "outstanding",
                                        "posts", "decisions", "months")} == {
        "as_of": "2017-12-01", "agreement": None, "in_force": False, "term_end": None,
        "balance_as_of": "0.00", "balance_at_term_end": "0.00", "shortfall": "0.00",
        "top_up_per_partner": {}, "exhaustion_month": None, "outstanding": [], "posts": [],
        "decisions": [], "months": []}
    assert shown["standing"] == ("No agreement is in force on 1 December 2017: MoU 2018-2020 "
                                 "starts on 1 January 2018.")


def test_after_the_term_an_overdrawn_pool_is_the_shortfall_to_share(books_of_text) -> None:
    books = books_of_text(
        '2020-03-01 * "Supplier" "Desks"\n  Expenses:Accommodation:HotDesking  500.00 GBP\n'
        "  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    shown = forecast(books, datetime.date(2020, 6, 30)).as_json()
    assert (shown["in_force"], shown["balance_at_term_end"], shown["shortfall"]) == (
        False, "-500.00", "500.00")
    assert shown["top_up_per_partner"] == {"KCC": "166.67", "KFRS": "166.67", "KP": "166.66"}
