"""The money views against figures worked out here, independently, from the ledger text.

Nothing below asks the package what the answer should be: each property computes the
expected figure from the generated movements themselves, in the words of spec section 5
(and the projection's assumptions in docs/money.md), or reads it through Beancount's own
realization, and only then asks ``kcst_budget`` and compares.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from beancount import loader
from beancount.core import data, realization
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kcst_budget.amounts import split_exactly
from kcst_budget.books import load_books_string
from kcst_budget.cli import app
from kcst_budget.money.forecast import forecast
from kcst_budget.money.portions import portions
from kcst_budget.mou import post_cost, post_months
from kcst_budget.periods import FinancialYear
from kcst_budget.source import Source
from kcst_budget.terms import Post

from ..conftest import HEAD

D = datetime.date
PARTNERS = ("KCC", "KFRS", "KP")
POOL = "Assets:KFRS:KCST-Pool"
TERM_START, TERM_END = D(2018, 1, 1), D(2020, 3, 31)  # HEAD's agreement
DECISION_DATE, DECISION_LIMIT = D(2018, 5, 10), Decimal("8000.00")
HOT_DESKING = "Expenses:Accommodation:HotDesking"
PENNY = Decimal("0.01")

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# ---- Independent arithmetic ---------------------------------------------------------------

def pennies(amount: Decimal) -> int:
    return int(amount * 100)


def to_penny(exact: Fraction) -> Decimal:
    """Rounded once to the penny, halves away from zero (costs are never negative)."""
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        PENNY, rounding=ROUND_HALF_UP)


def fy_year(day: datetime.date) -> int:
    """The year in which the FY holding ``day`` begins (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def months_by_days(first: datetime.date, last: datetime.date) -> Fraction:
    """Spec section 2, counted a day at a time: each day is 1/(days in its month) of a
    month, so a month covered in full counts 1 and a part month its share of days."""
    return sum((Fraction(1, calendar.monthrange(day.year, day.month)[1])
                for day in days(first, last)), Fraction(0))


def term_months() -> list[datetime.date]:
    return [D(2018 + (m // 12), m % 12 + 1, 1) for m in range(27)]  # Jan 2018 - Mar 2020


def last_of(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def assert_split_by_the_rounding_rule(parts: dict[str, Decimal], total: Decimal,
                                      weights: dict[str, Fraction]) -> None:
    """Spec section 5: "each part rounded down to the penny, and the pennies left over go
    one each to the partners with the largest remainders, ties in the agreement's order;
    the parts always add up to the total". Checked as what it says, not re-run."""
    order = list(weights)
    assert list(parts) == order
    assert sum(parts.values(), Decimal(0)) == total  # exactly
    whole = sum(weights.values(), Fraction(0))
    share = ({code: Fraction(w) / whole for code, w in weights.items()} if whole
             else dict.fromkeys(order, Fraction(1, len(order))))
    exact = {code: Fraction(pennies(total)) * share[code] for code in order}
    floor = {code: math.floor(exact[code]) for code in order}
    extra = {code: pennies(parts[code]) - floor[code] for code in order}
    assert set(extra.values()) <= {0, 1}, (parts, exact)
    remainder = {code: exact[code] - floor[code] for code in order}
    for got in (c for c in order if extra[c]):
        for missed in (c for c in order if not extra[c]):
            # a penny went to ``got`` before ``missed``: larger remainder, or tied and earlier
            assert (remainder[got] > remainder[missed]
                    or (remainder[got] == remainder[missed]
                        and order.index(got) < order.index(missed))), (parts, exact)


# ---- The rounding rule itself (amounts.split_exactly) ------------------------------------

def test_hand_worked_splits_follow_the_rounding_rule() -> None:
    thirds = dict.fromkeys(PARTNERS, Fraction(1))
    cases = [
        # GBP 100.00 in three: 33.33 each and a penny over, to the first in order
        (Decimal("100.00"), thirds, ["33.34", "33.33", "33.33"]),
        # two pennies over: the first two in order
        (Decimal("0.02"), thirds, ["0.01", "0.01", "0.00"]),
        # an overdraft: each part rounded down (towards minus infinity), two pennies back
        (Decimal("-100.00"), thirds, ["-33.33", "-33.33", "-33.34"]),
        # 26 : 26 : 19 of GBP 39,083.33 (the underfunded fixture's portions)
        (Decimal("39083.33"), {"KCC": Fraction(26000), "KFRS": Fraction(26000),
                               "KP": Fraction(19000)}, ["14312.21", "14312.20", "10458.92"]),
        # the largest remainder wins over the agreement's order: 10 in 1 : 2 : 3
        (Decimal("0.10"), {"KCC": Fraction(1), "KFRS": Fraction(2), "KP": Fraction(3)},
         ["0.02", "0.03", "0.05"]),
    ]
    for total, weights, expected in cases:
        parts = split_exactly(total, weights)
        assert [str(parts[c]) for c in weights] == expected, (total, weights)
        assert_split_by_the_rounding_rule(parts, total, weights)


@settings(max_examples=300, deadline=None)
@given(st.integers(-10**9, 10**9).map(lambda n: Decimal(n) / 100),
       st.lists(st.integers(0, 10**6), min_size=1, max_size=5))
@example(Decimal("100.00"), [1, 1, 1])
@example(Decimal("-0.01"), [1, 1, 1])
@example(Decimal("0.05"), [0, 0, 0])
def test_any_split_adds_up_exactly_and_follows_the_rounding_rule(total, raw_weights) -> None:
    weights = {f"P{i}": Fraction(w) for i, w in enumerate(raw_weights)}
    assert_split_by_the_rounding_rule(split_exactly(total, weights), total, weights)


# ---- Generated books --------------------------------------------------------------------

dates = st.dates(TERM_START, TERM_END)
amounts = st.integers(1, 3_000_000).map(lambda n: Decimal(n) / 100)
contribution = st.tuples(st.just("c"), dates, st.sampled_from(PARTNERS), amounts)
spend = st.tuples(st.just("s"), dates,
                  st.sampled_from(["Expenses:Staff:Coordinator", "Expenses:Staff:Analyst",
                                   HOT_DESKING]), amounts)
movements = st.lists(st.one_of(contribution, spend), min_size=1, max_size=25)


@st.composite
def posts(draw) -> list[tuple[str, datetime.date, Decimal, int]]:
    """The coordinator and the analyst, each from any day, for any fixed term."""
    return [(account, draw(st.dates(D(2017, 6, 1), D(2019, 12, 31))),
             Decimal(draw(st.integers(1_000_000, 6_000_000))) / 100, draw(st.integers(1, 30)))
            for account in ("Expenses:Staff:Coordinator", "Expenses:Staff:Analyst")]


def ledger(items, post_rows=(), extra: str = "") -> str:
    text = [HEAD]
    for n, (account, start, annual, months) in enumerate(post_rows):
        text.append(f'{start} custom "kcst-post" "Post {n}" {account} {annual} GBP\n'
                    f'  host: "KFRS"\n  months: {months}\n')
    text.append(f'{DECISION_DATE} custom "kcst-decision" "D-1" "Hot desks"\n'
                f"  limit: {DECISION_LIMIT} GBP\n")
    for kind, date, who, amount in items:
        if kind == "c":
            text.append(f'{date} * "{who}" "Contribution"\n  {POOL}  {amount} GBP\n'
                        f"  Income:Contributions:{who}  -{amount} GBP\n")
        else:
            cites = '  decision: "D-1"\n' if who == HOT_DESKING else ""
            text.append(f'{date} * "Payee" "Spend"\n{cites}  {who}  {amount} GBP\n'
                        f"  {POOL}  -{amount} GBP\n")
    return "\n".join(text) + extra


def pool_on(items, day: datetime.date) -> Decimal:
    return sum((a if k == "c" else -a for k, d, _, a in items if d <= day), Decimal(0))


def paid_by(items, partner: str, first: datetime.date, last: datetime.date) -> Decimal:
    return sum((a for k, d, p, a in items if k == "c" and p == partner and first <= d <= last),
               Decimal(0))


def spent_on(items, account: str, first: datetime.date, last: datetime.date) -> Decimal:
    return sum((a for k, d, acc, a in items if k == "s" and acc == account and first <= d <= last),
               Decimal(0))


# ---- Portions (spec section 5) ----------------------------------------------------------

@SETTINGS
@given(movements, st.dates(D(2017, 12, 1), D(2020, 6, 30)))
def test_portions_split_the_pool_balance_pro_rata_to_net_contributions(items, as_of) -> None:
    result = portions(load_books_string(ledger(items)), as_of)
    balance = pool_on(items, as_of)
    assert result.balance == balance
    contributed = {p: paid_by(items, p, D.min, as_of) for p in PARTNERS}
    assert {p.partner: p.contributed for p in result.partners} == contributed
    parts = {p.partner: p.portion for p in result.partners}
    assert sum(parts.values(), Decimal(0)) == balance  # exactly, not within a penny
    if any(contributed.values()):
        assert_split_by_the_rounding_rule(parts, balance,
                                          {p: Fraction(c) for p, c in contributed.items()})


# ---- The forecast, month by month (spec section 5, docs/money.md) --------------------------

def minimum(fy: int) -> Decimal:
    return Decimal("10000.00") if fy < 2018 else Decimal("16000.00")  # HEAD's minimums


def expected_forecast(items, post_rows, as_of: datetime.date) -> dict:
    """The forecast worked out from the movements in the spec's words."""
    balance = pool_on(items, as_of)
    current = fy_year(as_of)
    # contributions still due: each FY from the as-of date's to the term end's
    due = {}
    for fy in range(current, fy_year(TERM_END) + 1):
        for partner in PARTNERS:
            paid = paid_by(items, partner, D(fy, 4, 1), min(D(fy + 1, 3, 31), as_of))
            due[(fy, partner)] = max(Decimal(0), minimum(fy) - paid)
    # each post: its cost over the part of its span inside the term, less its spend there
    commitments = []
    for account, start, annual, months in post_rows:
        last = start + relativedelta(months=months) - datetime.timedelta(days=1)
        first_in, last_in = max(start, TERM_START), min(last, TERM_END)
        committed = (to_penny(Fraction(annual) / 12 * months_by_days(first_in, last_in))
                     if first_in <= last_in else Decimal(0))
        spent = spent_on(items, account, first_in, min(last_in, as_of))
        commitments.append((account, start, last, annual, max(Decimal(0), committed - spent)))
    approved = Decimal(0)
    if DECISION_DATE <= as_of:
        cited = sum((a for k, d, acc, a in items if acc == HOT_DESKING and d <= as_of), Decimal(0))
        approved = max(Decimal(0), DECISION_LIMIT - cited)
    at_end = (balance + sum(due.values(), Decimal(0))
              - sum((c[-1] for c in commitments), Decimal(0)) - approved)
    shortfall = max(Decimal(0), -at_end)
    # the minimums are equal: the shortfall in equal parts, pennies over in the agreement's order
    each, over = divmod(pennies(shortfall), len(PARTNERS))
    top_ups = {p: Decimal(each + (i < over)) / 100 for i, p in enumerate(PARTNERS)}

    # month by month: actuals to the as-of date, then (docs/money.md) a contribution due for
    # the current FY in the as-of month, a later FY's in its April; the approved spend in
    # the as-of month; each post's cost in each later month of its span, months paid ahead
    # coming off the first of them, months begun but unpaid in the as-of month
    landing = as_of.replace(day=1)
    money_in: dict[datetime.date, Decimal] = defaultdict(Decimal)
    money_out: dict[datetime.date, Decimal] = defaultdict(Decimal)
    for (fy, _), amount in due.items():
        money_in[landing if fy == current else D(fy, 4, 1)] += amount
    money_out[landing] += approved
    for _, start, last, annual, remaining in commitments:
        later = []
        for month in term_months():
            first, end = max(month, start), min(last_of(month), last)
            if month > landing:
                later.append((month, to_penny(Fraction(annual) / 12 * months_by_days(first, end))
                              if first <= end else Decimal(0)))
        ahead = sum((cost for _, cost in later), Decimal(0)) - remaining
        for month, cost in later:
            off = min(cost, max(Decimal(0), ahead))
            ahead -= off
            money_out[month] += cost - off
        money_out[landing] += max(Decimal(0), -(sum((c for _, c in later), Decimal(0)) - remaining))
    rows, projected = [], Decimal(0)
    for month in term_months():
        upto = min(last_of(month), as_of)
        actual = [(k, a) for k, d, _, a in items if month <= d <= upto]
        projected += money_in[month] - money_out[month]
        rows.append((f"{month:%Y-%m}",
                     last_of(month) <= as_of and not (money_in[month] or money_out[month]),
                     sum((a for k, a in actual if k == "c"), Decimal(0)) + money_in[month],
                     sum((a for k, a in actual if k == "s"), Decimal(0)) + money_out[month],
                     pool_on(items, upto) + projected))
    exhaustion = next((m for m, _, _, _, b in rows if m >= f"{landing:%Y-%m}" and b < 0), None)
    return {"balance_as_of": balance, "outstanding": sum(due.values(), Decimal(0)),
            "posts": sum((c[-1] for c in commitments), Decimal(0)), "approved": approved,
            "at_end": at_end, "shortfall": shortfall, "top_ups": top_ups, "rows": rows,
            "exhaustion": exhaustion}


@settings(SETTINGS, max_examples=40)
@given(movements, posts(), dates)
def test_the_forecast_equals_a_month_by_month_recomputation_from_the_movements(
        items, post_rows, as_of) -> None:
    expected = expected_forecast(items, post_rows, as_of)
    result = forecast(load_books_string(ledger(items, post_rows)), as_of)
    assert result.in_force
    assert result.balance_as_of == expected["balance_as_of"]
    assert result.outstanding_contributions == expected["outstanding"]
    assert result.remaining_post_commitments == expected["posts"]
    assert result.remaining_approved_spend == expected["approved"]
    assert result.balance_at_term_end == expected["at_end"]
    assert result.shortfall == expected["shortfall"]
    if expected["shortfall"]:
        assert result.top_up_per_partner == expected["top_ups"]
    assert [(f"{m.month:%Y-%m}", m.actual, m.contributions, m.spend, m.balance)
            for m in result.months] == expected["rows"]
    assert result.months[-1].balance == expected["at_end"]
    assert result.exhaustion_month == expected["exhaustion"]


# ---- Year end: what kcst close-year writes, against Beancount's realization ------------------

@settings(SETTINGS, max_examples=5)
@given(movements)
def test_each_year_end_carries_forward_the_pool_balance_beancount_realizes(
        tmp_path_factory, items) -> None:
    folder = tmp_path_factory.mktemp("close")
    main = folder / "main.beancount"
    main.write_text(ledger(items), encoding="utf-8")
    runner = CliRunner()
    for fy in ("2017/18", "2018/19", "2019/20"):
        result = runner.invoke(app, ["close-year", fy, "--ledger", str(main)])
        assert result.exit_code == 0, result.output
    entries, errors, _ = loader.load_file(str(main))
    # the books load; the plugin's rule findings (the SMT never met here) are not our business
    assert [e for e in errors if type(e).__name__ != "RuleError"] == []
    year_ends = {e.values[0].value: e for e in entries
                 if isinstance(e, data.Custom) and e.type == "kcst-year-end"}
    assert sorted(year_ends) == ["2017/18", "2018/19", "2019/20"]
    for label, record in year_ends.items():
        root = realization.realize([e for e in entries if e.date <= record.date])
        pool = realization.get(root, POOL)
        realized = pool.balance.get_currency_units("GBP").number if pool is not None else Decimal(0)
        amount = record.values[1].value
        assert (amount.number, amount.currency) == (realized, "GBP"), label
        assert record.date == FinancialYear(int(label[:4])).end


# ---- A post's cost over consecutive FYs and over its span (spec section 2) ----------------

def post(start: datetime.date, months: int, annual: Decimal) -> Post:
    return Post("KCST Coordinator", start, "Expenses:Staff:Coordinator", annual, "KFRS",
                months, False, Source("<test>", 1))


@settings(max_examples=200, deadline=None)
@given(st.dates(D(2016, 1, 1), D(2021, 12, 31)), st.integers(1, 48),
       st.integers(1, 20_000_000).map(lambda n: Decimal(n) / 100))
@example(D(2018, 7, 1), 24, Decimal("45000.00"))
@example(D(2018, 1, 31), 1, Decimal("35000.00"))
def test_a_posts_cost_by_financial_year_adds_up_to_its_cost_over_its_span(start, months,
                                                                          annual) -> None:
    the_post = post(start, months, annual)
    last = start + relativedelta(months=months) - datetime.timedelta(days=1)
    assert the_post.last_day == last
    span = post_months(the_post, start, last)
    assert span == months_by_days(start, last)  # a day at a time, independently
    if start.day == 1:
        assert span == months  # whole months from the first of a month
    years = [FinancialYear(y) for y in range(fy_year(start), fy_year(last) + 1)]
    by_year = [post_months(the_post, fy.start, fy.end) for fy in years]
    assert sum(by_year, Fraction(0)) == span  # the unrounded months add up exactly
    for fy, months_in_fy in zip(years, by_year, strict=True):
        assert months_in_fy == months_by_days(max(start, fy.start), min(last, fy.end))
        assert post_cost(the_post, fy.start, fy.end) == to_penny(Fraction(annual) / 12
                                                                * months_in_fy)
    whole = post_cost(the_post, start, last)
    assert whole == to_penny(Fraction(annual) / 12 * span)
    # each period's cost is rounded once: the parts may miss the whole by a penny a boundary
    parts = sum((post_cost(the_post, fy.start, fy.end) for fy in years), Decimal(0))
    assert abs(parts - whole) <= PENNY * (len(years) - 1)


# ---- Net contributions and a reclassification (spec section 1) ----------------------------

def reclassification(date: datetime.date, source: str, target: str, amount: Decimal) -> str:
    """A journal moving a misposted receipt from ``source``'s account to ``target``'s."""
    return (f'{date} * "KFRS finance" "Reclassification of a misposted receipt"\n'
            f"  Income:Contributions:{source}  {amount} GBP\n"
            f"  Income:Contributions:{target}  -{amount} GBP\n")


@SETTINGS
@given(movements, st.sampled_from(PARTNERS), st.sampled_from(PARTNERS), amounts,
       dates, dates, dates)
def test_a_reclassification_and_its_reversal_leave_net_contributions_as_they_were(
        items, source, target, amount, first, second, as_of) -> None:
    assume(source != target)
    first, second = sorted((first, second))
    plain = load_books_string(ledger(items))
    moved = load_books_string(ledger(items, extra="\n" + reclassification(first, source, target,
                                                                          amount)
                                     + "\n" + reclassification(second, target, source, amount)))
    assert moved.errors == ()
    for partner in PARTNERS:
        expected = paid_by(items, partner, D.min, as_of)
        if first <= as_of < second:  # between the two: moved from source to target
            expected += {source: -amount, target: amount}.get(partner, Decimal(0))
        assert moved.net_contributions(partner, D.min, as_of) == expected
        assert plain.net_contributions(partner, D.min, as_of) == paid_by(items, partner, D.min,
                                                                         as_of)
    assert moved.balance_on(as_of) == plain.balance_on(as_of) == pool_on(items, as_of)
    if as_of >= second:
        assert portions(moved, as_of) == portions(plain, as_of)
