"""The FY statement and the roll-forward at their edges: the FY's first day, several
payments on one line, a withdrawal, a year end read on its own day."""

from __future__ import annotations

import datetime

from kcst_budget.money.statement import OTHER, fy_statement
from kcst_budget.money.yearend import roll_forward
from kcst_budget.periods import FinancialYear

from ..rules.conftest import contribution, meeting, spend

D = datetime.date
FY = FinancialYear(2018)
HOT_DESKING = "Expenses:Accommodation:HotDesking"


def test_a_contribution_on_the_first_day_of_the_fy_is_received_in_it(books_of_text) -> None:
    books = books_of_text(contribution("2018-03-31", "KP", "10000.00")
                          + contribution("2018-04-01", "KP", "16000.00"))
    statement = fy_statement(books, FY, D(2018, 4, 1))
    received = {line.partner: str(line.received) for line in statement.contributions}
    assert received == {"KCC": "0.00", "KFRS": "0.00", "KP": "16000.00"}
    (year_2017, year_2018) = roll_forward(books, D(2018, 4, 1))
    assert (str(year_2017.closing), year_2017.ended) == ("10000.00", True)
    assert (str(year_2018.opening), str(year_2018.contributions), str(year_2018.closing)) == (
        "10000.00", "16000.00", "26000.00")


def test_other_pool_spend_adds_up_every_payment_on_its_accounts(books_of_text) -> None:
    books = books_of_text(spend("2018-05-01", "Expenses:Staff:Other", "100.00")
                          + spend("2018-06-01", "Expenses:Staff:Other", "50.00"))
    (other,) = [line for line in fy_statement(books, FY, D(2018, 6, 30)).spend
                if line.line == OTHER]
    assert (other.accounts, str(other.actual), str(other.budget)) == (
        ("Expenses:Staff:Other",), "150.00", "0.00")


def test_approved_spend_still_to_come_is_the_limit_less_every_payment_citing_it(
        books_of_text) -> None:
    books = books_of_text(
        meeting("2018-05-10") + '2018-05-10 custom "kcst-decision" "D-1" "Desks"\n'
        "  limit: 1000.00 GBP\n"
        + spend("2018-06-01", HOT_DESKING, "300.00", decision="D-1")
        + spend("2018-07-01", HOT_DESKING, "200.00", decision="D-1"))
    (line,) = fy_statement(books, FY, D(2018, 7, 31)).spend
    assert (line.line, str(line.budget), str(line.actual), str(line.outturn)) == (
        "Hot desking", "1000.00", "500.00", "1000.00")
    (ended,) = fy_statement(books, FY, D(2019, 4, 30)).spend
    assert str(ended.outturn) == "500.00"  # once the FY has ended, the outturn is the actual


def test_a_decision_taken_on_the_first_day_of_the_fy_budgets_that_fy(books_of_text) -> None:
    books = books_of_text('2018-04-01 custom "kcst-decision" "D-1" "Desks"\n'
                          "  limit: 1000.00 GBP\n")
    (line,) = fy_statement(books, FY, D(2018, 4, 1)).spend
    assert (str(line.budget), str(line.outturn)) == ("1000.00", "1000.00")


def test_a_withdrawal_is_reconciled_as_a_withdrawal(books_of_text) -> None:
    books = books_of_text(contribution("2018-05-01", "KP", "16000.00")
                          + '2018-06-01 * "KFRS" "KP\'s portion"\n  withdrawal: "KP"\n'
                            "  Equity:Withdrawn:KP  1000.00 GBP\n"
                            "  Assets:KFRS:KCST-Pool  -1000.00 GBP\n")
    (_, year) = roll_forward(books, D(2018, 6, 30))
    assert (str(year.withdrawals), str(year.other), str(year.closing)) == (
        "1000.00", "0.00", "15000.00")


def test_a_year_end_record_is_read_on_its_own_day(books_of_text) -> None:
    books = books_of_text(contribution("2018-05-01", "KP", "16000.00")
                          + '2019-03-31 custom "kcst-year-end" "2018/19" 16000.00 GBP\n')
    (_, on_the_day) = roll_forward(books, D(2019, 3, 31))
    assert (on_the_day.ended, on_the_day.amount_holds) == (True, True)
    (_, day_before) = roll_forward(books, D(2019, 3, 30))
    assert (day_before.ended, day_before.record) == (False, None)
