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


POOL_2018_19 = """\
2018-04-10 * "Kent County Council" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KCC     -16000.00 GBP
2018-04-12 * "Kent Fire and Rescue Service" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KFRS    -16000.00 GBP
2018-04-20 * "Kent Police" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KP      -16000.00 GBP
"""


def test_a_post_begun_before_the_term_commits_only_its_months_inside_it(books_of_text) -> None:
    books = books_of_text("""\
        2017-10-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
          host: "KCC"
          months: 12
    """)
    (commitment,) = forecast(books, D(2018, 1, 15)).commitments
    # January to September 2018 fall inside a term starting 1 January 2018: 9 x 2000
    assert (commitment.months_in_term, commitment.committed) == (9, Decimal("18000.00"))


def test_before_any_term_there_is_nothing_to_forecast(books_of_text) -> None:
    books = books_of_text("""\
        2017-10-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
          host: "KCC"
          months: 12
    """)
    result = forecast(books, D(2017, 12, 1))
    assert result.standing.words == ("No agreement is in force on 1 December 2017: "
                                     "MoU 2018-2020 starts on 1 January 2018.")
    assert (result.agreement, result.commitments, result.months, result.shortfall) == (
        None, (), (), 0)


def test_a_partner_leaving_owes_nothing_for_the_years_after_its_notice_takes_effect(
        books_of_text) -> None:
    books = books_of_text(POOL_2018_19 + textwrap.dedent("""\
        2018-09-01 custom "kcst-withdrawal-notice" "KP" 2019-03-31
          to-smt: TRUE
          to-kcsp-chair: TRUE
        2018-10-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 100000.00 GBP
          host: "KFRS"
          months: 18
    """))
    result = forecast(books, D(2018, 10, 1))
    # 2018/19 is paid; in 2019/20 only KCC and KFRS are still partners (cl. 12.1)
    assert [(o.partner, o.fy.label, o.outstanding) for o in result.outstanding] == [
        ("KCC", "2018/19", 0), ("KFRS", "2018/19", 0), ("KP", "2018/19", 0),
        ("KCC", "2019/20", Decimal("16000.00")), ("KFRS", "2019/20", Decimal("16000.00"))]
    # 48000 + 32000 - 150000 (18 months of 8333.33...) = -70000
    assert result.balance_at_term_end == Decimal("-70000.00")
    # KP has given notice but not withdrawn (no money paid to it): it shares the top-up
    # (spec section 5); the penny left over goes to the first in the agreement's order
    assert result.top_up_per_partner == {"KCC": Decimal("23333.34"),
                                         "KFRS": Decimal("23333.33"), "KP": Decimal("23333.33")}


def test_a_partner_that_has_withdrawn_owes_nothing_and_tops_up_nothing(books_of_text) -> None:
    books = books_of_text(POOL_2018_19 + textwrap.dedent("""\
        2018-04-01 custom "kcst-withdrawal-notice" "KP" 2018-10-01
          to-smt: TRUE
          to-kcsp-chair: TRUE
        2018-10-02 * "KFRS" "KP withdraws its portion"
          withdrawal: "KP"
          Equity:Withdrawn:KP           16000.00 GBP
          Assets:KFRS:KCST-Pool        -16000.00 GBP
        2018-04-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 60000.00 GBP
          host: "KFRS"
          months: 24
    """))
    result = forecast(books, D(2018, 11, 1))
    assert {o.partner for o in result.outstanding} == {"KCC", "KFRS"}
    # 32000 + 32000 - 120000 = -56000, split between the two partners left
    assert result.shortfall == Decimal("56000.00")
    assert result.top_up_per_partner == {"KCC": Decimal("28000.00"),
                                         "KFRS": Decimal("28000.00")}


SUCCESSOR = """\
2020-04-01 custom "kcst-agreement" "MoU 2020-2022" 2022-03-31
  partners: "KCC KFRS KP"
  host: "KFRS"
  pool: Assets:KFRS:KCST-Pool
  meeting-interval-months: 2
  notice-months: 6
  reviews: "2021-01"
2019-04-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 48000.00 GBP
  host: "KFRS"
  months: 36
2019-04-25 * "KFRS" "Coordinator, April 2019"
  Expenses:Staff:Coordinator     4000.00 GBP
  Assets:KFRS:KCST-Pool         -4000.00 GBP
2020-04-25 * "KFRS" "Coordinator, April 2020"
  Expenses:Staff:Coordinator     4000.00 GBP
  Assets:KFRS:KCST-Pool         -4000.00 GBP
"""


def test_a_successor_agreement_forecasts_to_its_own_term_end(books_of_text) -> None:
    result = forecast(books_of_text(SUCCESSOR), D(2020, 5, 1))
    assert (result.agreement.name, result.term_end) == ("MoU 2020-2022", D(2022, 3, 31))
    (commitment,) = result.commitments
    # April 2020 - March 2022 inside the new term; only the spend within it counts
    assert (commitment.months_in_term, commitment.committed) == (24, Decimal("96000.00"))
    assert (commitment.spent, commitment.remaining) == (Decimal("4000.00"), Decimal("92000.00"))
    assert [o.fy.label for o in result.outstanding][::3] == ["2020/21", "2021/22"]


def test_the_earlier_term_is_forecast_until_it_ends(books_of_text) -> None:
    result = forecast(books_of_text(SUCCESSOR), D(2019, 5, 1))
    (commitment,) = result.commitments
    assert (result.term_end, commitment.months_in_term) == (D(2020, 3, 31), 12)
    assert commitment.remaining == Decimal("44000.00")


def test_after_the_term_the_balance_is_the_one_at_its_end(books_of_text) -> None:
    books = books_of_text(POOL_2018_19 + textwrap.dedent("""\
        2020-05-01 * "KFRS" "Dissolution: KCC's portion returned"
          withdrawal: "KCC"
          Equity:Withdrawn:KCC          16000.00 GBP
          Assets:KFRS:KCST-Pool        -16000.00 GBP
    """))
    result = forecast(books, D(2020, 6, 30))
    # no agreement is in force: the position at the end of the last term, no projection
    assert not result.in_force and result.agreement.name == "MoU 2018-2020"
    assert result.standing.words == ("No agreement is in force on 30 June 2020: "
                                     "MoU 2018-2020 ended on 31 March 2020.")
    assert result.balance_at_term_end == Decimal("48000.00")  # at 31 March 2020
    assert result.balance_as_of == Decimal("32000.00")  # after KCC's portion was paid out
    assert result.outstanding == () and result.commitments == () and result.shortfall == 0
    assert result.exhaustion_month is None and all(m.actual for m in result.months)
    assert result.assumptions == ("No agreement is in force: these are the actual figures at "
                                  "the end of MoU 2018-2020 on 2020-03-31; nothing is projected.",)


def test_months_are_actual_to_the_as_of_date_then_projected(books_of_text) -> None:
    books = books_of_text(POOL_2018_19 + textwrap.dedent("""\
        2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
          host: "KCC"
          months: 24
        2018-04-25 * "KCC" "Admin, April"
          Expenses:Staff:Admin           2000.00 GBP
          Assets:KFRS:KCST-Pool         -2000.00 GBP
    """))
    result = forecast(books, D(2018, 6, 15))
    months = {f"{m.month:%Y-%m}": m for m in result.months}
    assert months["2018-04"].actual and months["2018-04"].balance == Decimal("46000.00")
    assert months["2018-05"].actual and months["2018-05"].spend == 0  # May's cost unpaid
    # June carries May's arrears and June's own month: 2 x 2000
    assert not months["2018-06"].actual
    assert months["2018-06"].spend == Decimal("4000.00")
    assert months["2019-04"].contributions == Decimal("48000.00")  # 2019/20 arrives in April
    assert months["2020-03"].balance == result.balance_at_term_end == Decimal("48000.00")
    assert result.exhaustion_month is None


def test_a_later_years_minimum_is_due_in_full_before_it_begins(bundled) -> None:
    # at the start of Phase 2 nothing of 2018/19 or 2019/20 is paid: 2 x 3 x 16,000 due
    result = forecast(bundled, D(2018, 4, 1))
    assert {(o.partner, o.fy.label): o.outstanding for o in result.outstanding} == {
        (code, fy): Decimal("16000.00") for code in ("KCC", "KFRS", "KP")
        for fy in ("2018/19", "2019/20")}
    # 30,000 brought forward + 96,000 due - (48,000 + 21 x 3,750 + 18 x 35,000 / 12)
    assert result.balance_at_term_end == Decimal("30000") + 96000 - 48000 - 78750 - 52500
