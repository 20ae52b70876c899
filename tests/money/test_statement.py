"""The FY statement the SMT reviews at each meeting (cl. 8.1), against hand-worked figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kcst_budget.money.statement import OTHER, fy_statement
from kcst_budget.periods import FinancialYear

D = datetime.date
FY_2018_19 = FinancialYear(2018)
BOOKS = """\
2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
  host: "KCC"
  months: 18
2018-04-10 * "Kent County Council" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KCC     -16000.00 GBP
2018-06-01 * "Kent Police" "Contribution 2018/19, first part"
  Assets:KFRS:KCST-Pool         10000.00 GBP
  Income:Contributions:KP      -10000.00 GBP
2018-05-10 custom "kcst-decision" "D-1" "Hot desks at Loose Road"
  limit: 1000.00 GBP
2018-06-05 * "Desks Ltd" "Hot desks"
  decision: "D-1"
  Expenses:Accommodation:HotDesking   400.00 GBP
  Assets:KFRS:KCST-Pool              -400.00 GBP
2018-07-02 * "Agency" "Temporary clerk"
  Expenses:Staff:Other           250.00 GBP
  Assets:KFRS:KCST-Pool         -250.00 GBP
2018-10-25 * "Kent County Council" "Recharge: KCST Analyst, October 2018"
  Expenses:Staff:Analyst         2916.67 GBP
  Assets:KFRS:KCST-Pool         -2916.67 GBP
"""


def lines_of(statement) -> dict[str, tuple[Decimal, ...]]:
    return {s.line: (s.budget, s.budget_to_date, s.actual, s.outturn, s.variance)
            for s in statement.spend}


def test_contributions_due_received_and_outstanding_in_the_year(books_of_text) -> None:
    statement = fy_statement(books_of_text(BOOKS), FY_2018_19, D(2018, 11, 15))
    assert [(c.partner, c.due, c.received, c.outstanding) for c in statement.contributions] == [
        ("KCC", Decimal("16000.00"), Decimal("16000.00"), Decimal("0")),
        ("KFRS", Decimal("16000.00"), Decimal("0"), Decimal("16000.00")),
        ("KP", Decimal("16000.00"), Decimal("10000.00"), Decimal("6000.00"))]
    assert statement.opening_balance == 0
    assert statement.balance == Decimal("22433.33")  # 26000 - 400 - 250 - 2916.67


def test_spend_by_cost_line_against_budget_during_the_year(books_of_text) -> None:
    statement = fy_statement(books_of_text(BOOKS), FY_2018_19, D(2018, 11, 15))
    assert lines_of(statement) == {
        # 6 months of 35000 / 12 in 2018/19; to date October and 15/30 of November:
        # 2916.666... x 1.5 = 4375.00. October paid; November not yet paid, so its cost
        # is still to come with December to March: 2916.67 + 14583.33 = 17500.00
        "KCST Analyst": (Decimal("17500.00"), Decimal("4375.00"), Decimal("2916.67"),
                         Decimal("17500.00"), Decimal("0.00")),
        # the limit of D-1, taken in the year; its 600 unspent is still to come
        "Hot desking": (Decimal("1000.00"), Decimal("1000.00"), Decimal("400.00"),
                        Decimal("1000.00"), Decimal("0.00")),
        # no budget: the pool funds the core posts only (cl. 8.3)
        OTHER: (Decimal("0"), Decimal("0"), Decimal("250.00"), Decimal("250.00"),
                Decimal("-250.00")),
    }
    analyst = statement.spend[0]
    assert analyst.variance_to_date == Decimal("1458.33")  # half of November not yet paid
    assert statement.gap == Decimal("48000.00") - Decimal("18500.00")


def test_a_month_left_unpaid_shows_in_the_outturn(books_of_text) -> None:
    # as of 15 December: October paid, November never paid, December not yet due:
    # outturn = 2916.67 + December to March (4 x 2916.666... = 11666.67) = 14583.34
    statement = fy_statement(books_of_text(BOOKS), FY_2018_19, D(2018, 12, 15))
    budget, _, actual, outturn, variance = lines_of(statement)["KCST Analyst"]
    assert (budget, actual, outturn, variance) == (
        Decimal("17500.00"), Decimal("2916.67"), Decimal("14583.34"), Decimal("2916.66"))


def test_a_month_paid_counts_from_the_next_month_on(books_of_text) -> None:
    # the November recharge paid on 14 November: the cost to come starts in December
    books = books_of_text(BOOKS + """\
2018-11-14 * "Kent County Council" "Recharge: KCST Analyst, November 2018"
  Expenses:Staff:Analyst         2916.67 GBP
  Assets:KFRS:KCST-Pool         -2916.67 GBP
""")
    _, _, actual, outturn, _ = lines_of(fy_statement(books, FY_2018_19, D(2018, 11, 15)))[
        "KCST Analyst"]
    assert (actual, outturn) == (Decimal("5833.34"), Decimal("17500.01"))


def test_once_the_year_has_ended_the_outturn_is_the_actual(books_of_text) -> None:
    statement = fy_statement(books_of_text(BOOKS), FY_2018_19, D(2019, 6, 30))
    assert statement.through == D(2019, 3, 31)
    assert lines_of(statement)["KCST Analyst"][2:] == (
        Decimal("2916.67"), Decimal("2916.67"), Decimal("14583.33"))
    assert lines_of(statement)["Hot desking"][2:] == (
        Decimal("400.00"), Decimal("400.00"), Decimal("600.00"))


def test_a_post_budget_is_its_months_in_the_year(books_of_text) -> None:
    statement = fy_statement(books_of_text(BOOKS), FinancialYear(2019), D(2019, 4, 1))
    assert lines_of(statement)["KCST Analyst"][0] == Decimal("35000.00")  # 12 months
    assert statement.opening_balance == Decimal("22433.33")


def test_a_partner_gone_before_the_year_began_owes_nothing_for_it(books_of_text) -> None:
    books = books_of_text(BOOKS + """\
2018-09-01 custom "kcst-withdrawal-notice" "KP" 2019-03-31
  to-smt: TRUE
  to-kcsp-chair: TRUE
""")
    statement = fy_statement(books, FinancialYear(2019), D(2019, 5, 1))
    assert {c.partner: c.due for c in statement.contributions} == {
        "KCC": Decimal("16000.00"), "KFRS": Decimal("16000.00"), "KP": Decimal("0")}


def test_the_bundled_statement_of_2018_19_shows_the_gap(bundled) -> None:
    statement = fy_statement(bundled, FY_2018_19, D(2019, 1, 17))
    assert statement.balance == Decimal("21109.99")
    # posts 24000 + 33750 + 17500 and hot-desking 8000 against 48000 of minimums
    assert statement.total_budget == Decimal("83250.00")
    assert statement.gap == Decimal("-35250.00")
    assert statement.as_json()["totals"]["gap"] == "-35250.00"


# ---- Any period (the dashboard follows Fava's time filter) ---------------------------------

def test_a_month_has_its_own_budget_actual_and_outturn(books_of_text) -> None:
    """October 2018 as of 15 November 2018: the analyst's first month (35000 / 12 =
    2916.67), paid on 25 October; nothing is due (no financial year ends in October);
    KCC's and KP's contributions came in April and June, not in October."""
    from kcst_budget.money.statement import statement
    from kcst_budget.periods import Period

    month = statement(books_of_text(BOOKS), Period(D(2018, 10, 1), D(2018, 10, 31)),
                      D(2018, 11, 15))
    assert (month.label, month.fy, month.ended, month.gap) == ("October 2018", None, True, None)
    assert lines_of(month) == {"KCST Analyst": (Decimal("2916.67"), Decimal("2916.67"),
                                                Decimal("2916.67"), Decimal("2916.67"),
                                                Decimal("0.00"))}
    assert [(c.partner, c.due, c.received, c.outstanding) for c in month.contributions] == [
        ("KCC", 0, 0, 0), ("KFRS", 0, 0, 0), ("KP", 0, 0, 0)]
    assert (month.total_budget_to_date, month.total_variance_to_date) == (Decimal("2916.67"), 0)


def test_a_month_shows_spend_approved_in_an_earlier_month_as_budgeted(books_of_text) -> None:
    """June 2018: the hot desks (400.00) cite D-1, taken on 10 May with a limit of 1000.00:
    approved in advance, so June's budget for the line is the 400.00 spent, not nil."""
    from kcst_budget.money.statement import statement
    from kcst_budget.periods import Period

    june = statement(books_of_text(BOOKS), Period(D(2018, 6, 1), D(2018, 6, 30)), D(2018, 11, 15))
    lines = lines_of(june)
    assert lines["Hot desking"] == (Decimal("400.00"), Decimal("400.00"), Decimal("400.00"),
                                    Decimal("400.00"), Decimal("0.00"))
    assert [(c.partner, c.received) for c in june.contributions] == [
        ("KCC", 0), ("KFRS", 0), ("KP", Decimal("10000.00"))]


def test_a_year_ending_31_october_is_not_an_mou_year_but_counts_the_march_minimums(
        books_of_text) -> None:
    """Fava's FY2019 on books whose fiscal-year-end is 10-31: 1 November 2018 to 31 October
    2019, as of 15 November 2018. 2018/19 ends inside it (31 March 2019), so its minimums
    (16000.00 each) are due in it; received in it: nothing yet (the contributions came in
    April and June 2018); outstanding is what 2018/19 still lacks: KFRS 16000.00, KP
    6000.00. The analyst costs 12 months of 2916.666... = 35000.00; to date 15/30 of
    November = 1458.33; November not yet paid, so the outturn is the whole year."""
    from kcst_budget.money.statement import statement
    from kcst_budget.periods import Period

    year = statement(books_of_text(BOOKS), Period(D(2018, 11, 1), D(2019, 10, 31)),
                     D(2018, 11, 15))
    assert (year.label, year.fy) == ("November 2018 to October 2019", None)
    assert [(c.partner, c.due, c.received, c.outstanding) for c in year.contributions] == [
        ("KCC", Decimal("16000.00"), 0, 0), ("KFRS", Decimal("16000.00"), 0, Decimal("16000.00")),
        ("KP", Decimal("16000.00"), 0, Decimal("6000.00"))]
    assert lines_of(year)["KCST Analyst"] == (Decimal("35000.00"), Decimal("1458.33"), 0,
                                              Decimal("35000.00"), Decimal("0.00"))


def test_the_fy_as_a_period_is_the_fy_statement(books_of_text) -> None:
    from kcst_budget.money.statement import statement

    books = books_of_text(BOOKS)
    assert statement(books, FY_2018_19.period, D(2018, 11, 15)) == \
        fy_statement(books, FY_2018_19, D(2018, 11, 15))
    assert FY_2018_19.period.label == "2018/19" and FY_2018_19.period.fy == FY_2018_19
