"""Forecast to term end (spec section 5), checked against hand-worked figures."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

from kcst_budget.money.forecast import forecast

D = datetime.date
ANALYST = """\
2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
  host: "KCC"
  months: 18
"""


def test_analyst_of_18_months_from_october_2018_commits_52500(books_of_text) -> None:
    result = forecast(books_of_text(ANALYST), D(2018, 9, 1))
    (commitment,) = result.commitments
    assert commitment.months_in_term == 18
    assert commitment.committed == Decimal("52500.00")
    assert commitment.remaining == Decimal("52500.00")


def test_post_running_past_the_term_commits_only_its_months_inside_it(books_of_text) -> None:
    books = books_of_text("""\
        2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
          host: "KFRS"
          months: 24
    """)
    (commitment,) = forecast(books, D(2018, 6, 1)).commitments
    assert (commitment.months_in_term, commitment.committed) == (21, Decimal("78750.00"))


def test_balance_at_term_end_and_shortfall_split_by_minimums(books_of_text) -> None:
    books = books_of_text(ANALYST + textwrap.dedent("""\
        2018-04-10 * "KCC" "Contribution 2018/19"
          Assets:KFRS:KCST-Pool         16000.00 GBP
          Income:Contributions:KCC     -16000.00 GBP
        2018-10-25 * "KCC" "Analyst, October"
          Expenses:Staff:Analyst         2916.67 GBP
          Assets:KFRS:KCST-Pool         -2916.67 GBP
        2018-05-10 custom "kcst-decision" "D-1" "Hot desks"
          limit: 1000.00 GBP
        2018-06-01 * "Desks Ltd" "Desks"
          decision: "D-1"
          Expenses:Accommodation:HotDesking   400.00 GBP
          Assets:KFRS:KCST-Pool              -400.00 GBP
    """))
    result = forecast(books, D(2018, 11, 1))
    assert result.balance_as_of == Decimal("12683.33")  # 16000 - 2916.67 - 400
    # 2018/19: KFRS and KP owe 16000 each; 2019/20: all three owe 16000
    assert result.outstanding_contributions == Decimal("80000.00")
    assert result.outstanding_by_partner() == {"KCC": Decimal("16000.00"),
                                               "KFRS": Decimal("32000.00"),
                                               "KP": Decimal("32000.00")}
    assert result.remaining_post_commitments == Decimal("49583.33")  # 52500 - 2916.67
    assert result.remaining_approved_spend == Decimal("600.00")
    assert result.balance_at_term_end == Decimal("42500.00")  # 12683.33 + 80000 - 49583.33 - 600
    assert result.shortfall == Decimal("0")
    assert result.months[-1].balance == result.balance_at_term_end


def test_shortfall_is_split_to_the_penny(books_of_text) -> None:
    books = books_of_text("""\
        2018-04-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
          host: "KFRS"
          months: 24
    """)
    result = forecast(books, D(2018, 4, 1))
    # 96000 due in 2018/19 and 2019/20 against 90000 of coordinator: no shortfall
    assert result.balance_at_term_end == Decimal("6000.00")
    books = books_of_text("""\
        2018-04-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 100000.01 GBP
          host: "KFRS"
          months: 24
    """)
    result = forecast(books, D(2018, 4, 1))
    assert result.shortfall == Decimal("104000.02")  # 200000.02 - 96000
    assert sum(result.top_up_per_partner.values()) == result.shortfall
    assert sorted(result.top_up_per_partner.values()) == [
        Decimal("34666.67"), Decimal("34666.67"), Decimal("34666.68")]
    # 2018/19's 48000 arrives in April and pays 5.76 months of 8333.33
    assert result.exhaustion_month == "2018-09"


def test_bundled_ledger_at_the_january_2019_review_shows_the_shortfall(bundled) -> None:
    """The figure the illustrative SMT acted on (decision D-2019-01-1)."""
    result = forecast(bundled, D(2019, 1, 17))
    assert result.balance_as_of == Decimal("21109.99")
    assert result.outstanding_contributions == Decimal("48000.00")
    assert result.remaining_post_commitments == Decimal("129999.99")
    assert result.remaining_approved_spend == Decimal("360.00")
    assert result.balance_at_term_end == Decimal("-61250.00")
    assert result.shortfall == Decimal("61250.00")
    assert result.exhaustion_month == "2019-03"
    assert result.months[-1].balance == result.balance_at_term_end


def test_after_the_term_the_forecast_is_all_actuals(bundled) -> None:
    result = forecast(bundled, D(2026, 11, 23))
    assert result.balance_at_term_end == Decimal("370.00")
    assert result.remaining_commitments == Decimal("0")
    assert all(month.actual for month in result.months)
    assert result.as_json()["term_end"] == "2020-03-31"
