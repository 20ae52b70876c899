"""Books nobody here wrote: leap days, withdrawals and payouts, refunds and reversals,
rounding. Each figure worked by hand from the ledger text (contract v1.1 sections 1, 2,
5, 7)."""

from __future__ import annotations

import datetime
import textwrap
from decimal import Decimal

from kcst_budget.money.forecast import forecast
from kcst_budget.money.portions import portions
from kcst_budget.money.statement import fy_statement
from kcst_budget.mou import contributions_due, post_cost, post_months, withdrawn
from kcst_budget.periods import FinancialYear
from kcst_budget.rules import judge

from ..conftest import HEAD_LINES

D = datetime.date
FUNDS = """\
2018-04-20 * "Kent Fire and Rescue Service" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KFRS    -16000.00 GBP
2018-05-03 * "Kent County Council" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KCC     -16000.00 GBP
2018-06-11 * "Kent Police" "Contribution 2018/19"
  Assets:KFRS:KCST-Pool         16000.00 GBP
  Income:Contributions:KP      -16000.00 GBP
"""


def test_a_post_over_a_leap_february_is_costed_by_its_29_days(books_of_text) -> None:
    books = books_of_text("""\
        2020-02-15 custom "kcst-post" "Temporary analyst" Expenses:Staff:Analyst 12000.00 GBP
          host: "KCC"
          months: 1
    """)
    (post,) = books.terms.posts
    assert post.last_day == D(2020, 3, 14)
    # 15 of February's 29 days and 14 of March's 31: 1,000.00 x (15/29 + 14/31) = 968.85
    assert post_months(post, D(2020, 1, 1), D(2020, 12, 31)) * 29 * 31 == 15 * 31 + 14 * 29
    assert post_cost(post, D(2020, 1, 1), D(2020, 12, 31)) == Decimal("968.85")
    # 2019/20 holds all of it (to 31 March 2020); 2020/21 none
    assert post_cost(post, D(2019, 4, 1), D(2020, 3, 31)) == Decimal("968.85")
    assert post_cost(post, D(2020, 4, 1), D(2021, 3, 31)) == Decimal("0.00")


def test_a_partner_paid_out_holds_no_portion_owes_nothing_and_tops_up_nothing(
        books_of_text) -> None:
    books = books_of_text(FUNDS + textwrap.dedent("""\
        2018-06-01 custom "kcst-withdrawal-notice" "KP" 2018-12-01
          to-smt: TRUE
          to-kcsp-chair: TRUE
        2018-12-10 * "KFRS" "KP's portion of the remaining funds (cl. 8.1, 12.1)"
          withdrawal: "KP"
          Equity:Withdrawn:KP           16000.00 GBP
          Assets:KFRS:KCST-Pool        -16000.00 GBP
        2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 60000.00 GBP
          host: "KCC"
          months: 18
    """))
    assert withdrawn(books, D(2018, 12, 9)) == frozenset()
    assert withdrawn(books, D(2018, 12, 10)) == frozenset({"KP"})
    shares = portions(books, D(2018, 12, 31))
    # 48,000 - 16,000 paid to KP = 32,000, split between KCC and KFRS (16,000 each)
    assert {p.partner: (p.portion, p.withdrawn) for p in shares.partners} == {
        "KCC": (Decimal("16000.00"), False), "KFRS": (Decimal("16000.00"), False),
        "KP": (Decimal("0.00"), True)}
    # 2019/20 is due from KCC and KFRS only (KP's notice took effect before it began)
    assert contributions_due(books, FinancialYear(2019), D(2018, 12, 31)) == {
        "KCC": Decimal("16000.00"), "KFRS": Decimal("16000.00")}
    result = forecast(books, D(2018, 12, 31))
    # 32,000 + 32,000 due - the analyst's 18 months at 5,000 = 90,000 -> -26,000
    assert result.balance_at_term_end == Decimal("-26000.00")
    assert result.top_up_per_partner == {"KCC": Decimal("13000.00"),
                                         "KFRS": Decimal("13000.00")}


def test_a_refund_through_the_pool_lowers_net_contributions(books_of_text) -> None:
    books = books_of_text(FUNDS + textwrap.dedent("""\
        2018-07-01 * "Kent Police" "Overpayment refunded"
          Income:Contributions:KP        1000.00 GBP
          Assets:KFRS:KCST-Pool         -1000.00 GBP
    """))
    statement = fy_statement(books, FinancialYear(2018), D(2019, 6, 30))
    assert {c.partner: c.received for c in statement.contributions}["KP"] == Decimal("15000.00")
    findings = judge(books, D(2019, 6, 30)).findings
    # short of the minimum, and money returned to a partner other than as a withdrawal
    assert {f.rule for f in findings if f.severity == "breach"} >= {
        "contribution-minimum", "roll-forward"}


def test_an_entry_and_its_reversal_cancel_in_every_figure_and_rule(books_of_text) -> None:
    books = books_of_text(FUNDS + textwrap.dedent("""\
        2018-07-02 * "Desks Ltd" "Desks (posted without the SMT's decision)"
          ref: "PO-1"
          Expenses:Accommodation:HotDesking   900.00 GBP
          Assets:KFRS:KCST-Pool              -900.00 GBP
        2018-07-09 * "Desks Ltd" "Reversal of PO-1: entered in error"
          reverses: "PO-1"
          Expenses:Accommodation:HotDesking  -900.00 GBP
          Assets:KFRS:KCST-Pool               900.00 GBP
    """))
    assert books.errors == ()
    # between the two the pool is as if neither happened; no prior-approval breach
    assert books.balance_on(D(2018, 7, 5)) == Decimal("48000.00")
    assert [m for m in books.movements if m.date >= D(2018, 7, 1)] == []
    assert not [f for f in judge(books, D(2019, 6, 30)).findings if f.rule == "prior-approval"]


def test_a_reversal_that_is_not_the_exact_opposite_is_an_error_of_the_books(
        books_of_text) -> None:
    books = books_of_text(FUNDS + textwrap.dedent("""\
        2018-07-02 * "Desks Ltd" "Desks"
          ref: "PO-1"
          Expenses:Accommodation:HotDesking   900.00 GBP
          Assets:KFRS:KCST-Pool              -900.00 GBP
        2018-07-09 * "Desks Ltd" "Reversal"
          reverses: "PO-1"
          Expenses:Accommodation:HotDesking  -800.00 GBP
          Assets:KFRS:KCST-Pool               800.00 GBP
        2018-07-10 * "Desks Ltd" "Reversal of nothing"
          reverses: "PO-9"
          Expenses:Accommodation:HotDesking  -10.00 GBP
          Assets:KFRS:KCST-Pool               10.00 GBP
    """))
    messages = [e.message for e in books.errors]
    assert len(messages) == 2
    assert messages[0].startswith("reverses: 'PO-1': its postings are not the exact opposite "
                                  "of the entry at ")
    assert messages[1] == "reverses: 'PO-9': no entry has that ref"
    assert [e.source["lineno"] for e in books.errors] == [
        HEAD_LINES + 9 + 5, HEAD_LINES + 9 + 9]  # FUNDS is nine lines


def test_portions_of_an_awkward_balance_add_up_to_it(books_of_text) -> None:
    books = books_of_text(textwrap.dedent("""\
        2018-04-20 * "Kent Fire and Rescue Service" "Contribution"
          Assets:KFRS:KCST-Pool         333.34 GBP
          Income:Contributions:KFRS    -333.34 GBP
        2018-05-03 * "Kent County Council" "Contribution"
          Assets:KFRS:KCST-Pool         333.33 GBP
          Income:Contributions:KCC     -333.33 GBP
        2018-06-11 * "Kent Police" "Contribution"
          Assets:KFRS:KCST-Pool         333.33 GBP
          Income:Contributions:KP      -333.33 GBP
        2018-06-20 * "Agency" "Temporary clerk"
          Expenses:Staff:Other          900.00 GBP
          Assets:KFRS:KCST-Pool        -900.00 GBP
    """))
    shares = portions(books, D(2018, 6, 30))
    # 100.00 x 333.34/1000, x 333.33/1000: 33.334 for KFRS, 33.333 for KCC and KP; each
    # rounded down to 33.33 leaves a penny, which goes to the largest remainder, KFRS's
    assert {p.partner: p.portion for p in shares.partners} == {
        "KCC": Decimal("33.33"), "KFRS": Decimal("33.34"), "KP": Decimal("33.33")}
    assert sum(p.portion for p in shares.partners) == shares.balance == Decimal("100.00")
