"""The auditor's registers (``money.registers``, ``money.yearend``) on the covered fixture
ledger (``tests/reports/conftest.COVERED``) as of 20 November 2018, worked by hand:

- 2017/18: the three January contributions, GBP 10,000 each, into the pool;
- 2018/19 to 20 November: GBP 16,000 from each partner, GBP 2,400 of hot desks citing
  D-2018-05-1 (limit GBP 3,000) and seven admin salaries of GBP 2,000.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from kcst_budget.money.registers import decision_register, trial_balance
from kcst_budget.money.yearend import roll_forward
from kcst_budget.periods import FinancialYear

from ..reports.conftest import COVERED

AS_OF = datetime.date(2018, 11, 20)
FY = FinancialYear(2018)


def test_the_trial_balance_brings_the_pool_forward_and_closes_income_into_equity(
        books_of_text) -> None:
    trial = trial_balance(books_of_text(COVERED), FY, AS_OF)
    assert trial.through == AS_OF
    lines = {line.account: (str(line.opening), str(line.movement), str(line.closing))
             for line in trial.lines}
    assert lines == {
        "Assets:KFRS:KCST-Pool": ("30000.00", "31600.00", "61600.00"),
        "Equity:Earnings:Previous": ("-30000.00", "0.00", "-30000.00"),
        "Income:Contributions:KCC": ("0.00", "-16000.00", "-16000.00"),
        "Income:Contributions:KFRS": ("0.00", "-16000.00", "-16000.00"),
        "Income:Contributions:KP": ("0.00", "-16000.00", "-16000.00"),
        "Expenses:Accommodation:HotDesking": ("0.00", "2400.00", "2400.00"),
        "Expenses:Staff:Admin": ("0.00", "14000.00", "14000.00"),
    }
    assert (trial.debits, trial.credits, trial.balances) == (Decimal("78000.00"),
                                                              Decimal("-78000.00"), True)
    shown = trial.as_json()
    assert (shown["fy"], shown["through"], shown["debits"], shown["credits"]) == (
        "2018/19", "2018-11-20", "78000.00", "-78000.00")
    assert {"account": "Assets:KFRS:KCST-Pool", "opening": "30000.00", "movement": "31600.00",
            "closing": "61600.00"} in shown["accounts"]


def test_the_decision_register_counts_the_spend_citing_each_decision(books_of_text) -> None:
    books = books_of_text(COVERED)
    (line,) = decision_register(books, AS_OF)
    assert (line.decision.id, line.spend_count, line.spent, line.remaining) == (
        "D-2018-05-1", 1, Decimal("2400.00"), Decimal("600.00"))
    assert decision_register(books, datetime.date(2018, 5, 9)) == ()  # not yet taken
    (before_spend,) = decision_register(books, datetime.date(2018, 6, 19))
    assert (before_spend.spend_count, before_spend.spent, before_spend.remaining) == (
        0, Decimal("0"), Decimal("3000.00"))


def test_the_roll_forward_reconciles_each_year(books_of_text) -> None:
    lines = roll_forward(books_of_text(COVERED), AS_OF)
    assert [line.as_json() for line in lines] == [
        {"fy": "2017/18", "opening": "0.00", "contributions": "30000.00", "spend": "0.00",
         "withdrawals": "0.00", "other": "0.00", "closing": "30000.00", "ended": True,
         "year_end": None, "amount_holds": None, "digest_holds": None},
        {"fy": "2018/19", "opening": "30000.00", "contributions": "48000.00",
         "spend": "16400.00", "withdrawals": "0.00", "other": "0.00", "closing": "61600.00",
         "ended": False, "year_end": None, "amount_holds": None, "digest_holds": None},
    ]


def test_a_year_end_record_is_shown_with_whether_its_amount_holds(books_of_text) -> None:
    record = '2018-03-31 custom "kcst-year-end" "2017/18" 29999.99 GBP\n'
    books = books_of_text(COVERED + record)
    (first, _) = roll_forward(books, AS_OF)
    shown = first.as_json()
    assert shown["year_end"] == {"amount": "29999.99", "digest": None,
                                 "file": books.path, "line": books.terms.year_ends[0].source.lineno}
    assert (shown["amount_holds"], shown["digest_holds"], shown["closing"]) == (False, None,
                                                                                 "30000.00")
    right = roll_forward(books_of_text(COVERED + record.replace("29999.99", "30000.00")), AS_OF)
    assert (right[0].amount_holds, right[0].record.amount) == (True, Decimal("30000.00"))


def test_the_trial_balance_counts_the_as_of_day_and_not_the_day_after(books_of_text) -> None:
    late = ('2018-11-{day} * "Kent Police" "Contribution"\n  Assets:KFRS:KCST-Pool  1.00 GBP\n'
            "  Income:Contributions:KP  -1.00 GBP\n")
    books = books_of_text(COVERED + late.format(day="20") + late.format(day="21"))
    pool = next(line for line in trial_balance(books, FY, AS_OF).lines
                if line.account == "Assets:KFRS:KCST-Pool")
    assert (str(pool.movement), str(pool.closing)) == ("31601.00", "61601.00")
