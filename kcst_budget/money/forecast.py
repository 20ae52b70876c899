"""Forecast to term end: will the money last to the end of the agreement? (spec section 5)

cl. 8.6 commits each partner to GBP 16,000 a year and the pool to GBP 104,000 a year of
posts at full strength: the forecast shows the gap, not hides it.

It looks at the agreement in force on the as-of date, its term, its posts (every post
whose span overlaps the term) and its decisions (those dated inside the term):

- committed post cost = the post's cost (``mou.post_cost``) over the part of its span
  inside the term; remaining commitment = max(0, committed - the post's spend dated
  inside the term up to the as-of date);
- remaining approved spend = each decision's limit - spend citing it, for decisions with
  a limit (never below zero: an overspend is a breach of cl. 10.3, not money to come);
- outstanding contributions = for each FY from the one containing the as-of date to the
  one containing the term end, each partner's minimum (``mou.contributions_due``) less
  its net contributions in that FY, not below zero; a partner that has withdrawn owes
  nothing more;
- balance at term end = pool balance at as-of + outstanding contributions - remaining
  commitments - remaining approved spend; shortfall = max(0, -balance at term end);
- the top-up per partner splits the shortfall in proportion to the partners' minimums
  for the FYs to the term end, among the partners of the agreement that have not
  withdrawn, exactly to the penny (``amounts.split_exactly``).

When no agreement is in force on the as-of date the forecast says so and gives the
position at the end of the last term that ended: its actual balance, no projection.

The month-by-month projection runs from the term's first month to its last: actuals to
the as-of date, then the money still to come (``ASSUMPTIONS`` says when).
``exhaustion_month`` is the first month, from the as-of month on, whose month-end balance
is below zero; an overdraft before the as-of month is ``pool-solvency``'s business.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kcst_budget.amounts import PENNY, ZERO, decimal_string, split_exactly
from kcst_budget.books import Books
from kcst_budget.mou import (Standing, contributions_due, minimum_for, post_cost, post_months,
                             post_spend, posts_in, standing, withdrawn)
from kcst_budget.periods import (FinancialYear, fy_of, fys_between, month_end, month_start,
                                 month_starts, month_words)
from kcst_budget.terms import Agreement, Decision, Post

ASSUMPTIONS = (
    "Months up to the as-of date are actuals; the rest of the as-of month and later months "
    "are projected.",
    "Each post costs its annual cost / 12 in each month of its span inside the term (a part "
    "month by its days); cost of earlier months not yet paid by the as-of date falls in the "
    "as-of month.",
    "A partner's outstanding contribution for the FY in progress is expected in the as-of "
    "month; for a later FY, in its first month (April).",
    "The remaining approved spend of SMT decisions is spent in the as-of month.",
    "Nothing else is paid into or out of the pool.",
    "The top-up per partner splits the shortfall in proportion to the partners' minimums; "
    "each part is rounded down to the penny and the pennies left over go one each to the "
    "largest remainders, so the parts add up to the shortfall.",
)


@dataclass(frozen=True)
class PostCommitment:
    post: Post
    months_in_term: Fraction  # months of its span inside the term (a part month by days)
    committed: Decimal
    spent: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class ApprovedSpend:
    decision: Decision
    limit: Decimal
    spent: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class OutstandingContribution:
    partner: str
    fy: FinancialYear
    minimum: Decimal
    contributed: Decimal
    outstanding: Decimal


@dataclass(frozen=True)
class ForecastMonth:
    month: datetime.date  # first day of the month
    actual: bool  # wholly actual: ended by the as-of date, nothing projected in it
    contributions: Decimal  # actual + projected
    spend: Decimal  # actual + projected
    balance: Decimal  # at the month's end

    def as_json(self) -> dict[str, Any]:
        return {"month": f"{self.month:%Y-%m}", "actual": self.actual,
                "contributions": decimal_string(self.contributions),
                "spend": decimal_string(self.spend), "balance": decimal_string(self.balance)}


@dataclass(frozen=True)
class Forecast:
    as_of: datetime.date
    standing: Standing
    balance_as_of: Decimal  # the pool balance on the as-of date
    term_end_balance: Decimal  # projected (in force) or actual (the last term ended)
    outstanding: tuple[OutstandingContribution, ...]
    commitments: tuple[PostCommitment, ...]
    approved: tuple[ApprovedSpend, ...]
    top_up_per_partner: dict[str, Decimal]
    months: tuple[ForecastMonth, ...]
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def agreement(self) -> Agreement | None:
        """The agreement forecast: the one in force, else the last that ended."""
        return self.standing.agreement

    @property
    def in_force(self) -> bool:
        return self.standing.in_force is not None

    @property
    def term_end(self) -> datetime.date | None:
        return self.agreement.end if self.agreement else None

    @property
    def outstanding_contributions(self) -> Decimal:
        return sum((o.outstanding for o in self.outstanding), ZERO)

    @property
    def remaining_post_commitments(self) -> Decimal:
        return sum((c.remaining for c in self.commitments), ZERO)

    @property
    def remaining_approved_spend(self) -> Decimal:
        return sum((a.remaining for a in self.approved), ZERO)

    @property
    def remaining_commitments(self) -> Decimal:
        """Posts and approved spend still to be paid before the term ends."""
        return self.remaining_post_commitments + self.remaining_approved_spend

    @property
    def balance_at_term_end(self) -> Decimal:
        return self.term_end_balance

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, -self.balance_at_term_end)

    @property
    def exhaustion_month(self) -> str | None:
        """The first month, from the as-of month on, whose month-end balance is below zero
        (within a term in force only)."""
        if not self.in_force:
            return None
        start = month_start(self.as_of)
        for month in self.months:
            if month.month >= start and month.balance < 0:
                return f"{month.month:%Y-%m}"
        return None

    @property
    def exhaustion_words(self) -> str:
        """``March 2019``, or when the pool does not run out."""
        if self.exhaustion_month is None:
            return "not before the term ends" if self.in_force else "-"
        return month_words(datetime.date.fromisoformat(self.exhaustion_month + "-01"))

    def outstanding_by_partner(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in self.outstanding:
            totals[row.partner] += row.outstanding
        return dict(totals)

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        return {
            "as_of": self.as_of.isoformat(),
            "agreement": self.agreement.name if self.agreement else None,
            "in_force": self.in_force,
            "standing": self.standing.words,
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "balance_as_of": money(self.balance_as_of),
            "outstanding_contributions": money(self.outstanding_contributions),
            "remaining_commitments": money(self.remaining_commitments),
            "remaining_post_commitments": money(self.remaining_post_commitments),
            "remaining_approved_spend": money(self.remaining_approved_spend),
            "balance_at_term_end": money(self.balance_at_term_end),
            "shortfall": money(self.shortfall),
            "top_up_per_partner": {k: money(v) for k, v in self.top_up_per_partner.items()},
            "exhaustion_month": self.exhaustion_month,
            "outstanding": [{"partner": o.partner, "fy": o.fy.label, "minimum": money(o.minimum),
                             "contributed": money(o.contributed),
                             "outstanding": money(o.outstanding)} for o in self.outstanding],
            "posts": [{"post": c.post.title, "account": c.post.account,
                       "months_in_term": str(months_text(c.months_in_term)),
                       "committed": money(c.committed), "spent": money(c.spent),
                       "remaining": money(c.remaining)}
                      for c in self.commitments],
            "decisions": [{"decision": a.decision.id, "limit": money(a.limit),
                           "spent": money(a.spent), "remaining": money(a.remaining)}
                          for a in self.approved],
            "months": [m.as_json() for m in self.months],
            "assumptions": list(self.assumptions),
        }


def months_text(months: Fraction) -> str:
    """``24`` or ``17.48``: a count of months, a part month to two places."""
    if months.denominator == 1:
        return str(months.numerator)
    return str((Decimal(months.numerator) / Decimal(months.denominator)).quantize(PENNY))


def forecast(books: Books, as_of: datetime.date) -> Forecast:
    """The forecast to the end of the term in force on ``as_of``."""
    where = standing(books.terms, as_of)
    balance = books.balance_on(as_of)
    if where.in_force is not None:
        return _in_force(books, where, as_of, balance)
    ended = where.ended
    if ended is None:  # before any term: nothing to forecast
        return Forecast(as_of, where, balance, balance, (), (), (), {}, ())
    at_end = books.balance_on(ended.end)
    top_ups = _top_ups(books, max(ZERO, -at_end), ended, ended.end)
    months = _months(books, ended, ended.end, {}, {})
    return Forecast(as_of, where, balance, at_end, (), (), (), top_ups, months,
                    (f"No agreement is in force: these are the actual figures at the end of "
                     f"{ended.name} on {ended.end}; nothing is projected.",))


def _in_force(books: Books, where: Standing, as_of: datetime.date,
              balance: Decimal) -> Forecast:
    agreement = where.in_force
    assert agreement is not None
    gone = withdrawn(books, as_of)
    outstanding = tuple(
        OutstandingContribution(code, fy, minimum, paid, max(ZERO, minimum - paid))
        for fy in fys_between(as_of, agreement.end)
        for code, minimum in contributions_due(books, fy, as_of).items()
        if code in agreement.partners and code not in gone
        for paid in (books.net_contributions(code, fy.start, min(fy.end, as_of)),)
    )
    commitments = commitments_in(books, agreement, as_of)
    approved = _approved(books, agreement, as_of)
    at_end = (balance + sum((o.outstanding for o in outstanding), ZERO)
              - sum((c.remaining for c in commitments), ZERO)
              - sum((a.remaining for a in approved), ZERO))
    top_ups = _top_ups(books, max(ZERO, -at_end), agreement, as_of)
    projected = _projection(books, agreement, as_of, outstanding, commitments, approved)
    months = _months(books, agreement, as_of, *projected)
    return Forecast(as_of, where, balance, at_end, outstanding, commitments, approved, top_ups,
                    months)


def commitments_in(books: Books, agreement: Agreement,
                   as_of: datetime.date) -> tuple[PostCommitment, ...]:
    """Each post whose span overlaps the agreement's term: its cost over the part of its
    span inside the term, its spend there to ``as_of`` (or the term end) and the rest."""
    return tuple(_commitment(books, post, agreement, as_of)
                 for post in posts_in(books.terms, agreement.start, agreement.end))


def _commitment(books: Books, post: Post, agreement: Agreement,
                as_of: datetime.date) -> PostCommitment:
    committed = post_cost(post, agreement.start, agreement.end)
    spent = post_spend(books, post, agreement.start, min(as_of, agreement.end))
    return PostCommitment(post, post_months(post, agreement.start, agreement.end), committed,
                          spent, max(ZERO, committed - spent))


def _approved(books: Books, agreement: Agreement,
              as_of: datetime.date) -> tuple[ApprovedSpend, ...]:
    decisions = [d for d in books.terms.decisions
                 if d.limit is not None and agreement.start <= d.date <= min(as_of, agreement.end)]
    if not decisions:
        return ()
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for movement in books.movements_between(datetime.date.min, as_of):
        if movement.decision is not None:
            spent[movement.decision] += sum((a for _, a in movement.spend), ZERO)
    return tuple(ApprovedSpend(d, d.limit, spent[d.id], max(ZERO, d.limit - spent[d.id]))
                 for d in decisions if d.limit is not None)


def _top_ups(books: Books, shortfall: Decimal, agreement: Agreement,
             as_of: datetime.date) -> dict[str, Decimal]:
    """The shortfall split in proportion to the partners' minimums for the FYs from the
    as-of date's to the term end's, among the agreement's partners that have not withdrawn."""
    gone = withdrawn(books, as_of)
    partners = [code for code in agreement.partners if code not in gone]
    if not partners:
        return {}
    years = fys_between(min(as_of, agreement.end), agreement.end)
    weights = {code: sum((minimum_for(books.terms, fy, code) or ZERO for fy in years), ZERO)
               for code in partners}
    return split_exactly(shortfall, weights)


def _projection(books: Books, agreement: Agreement, as_of: datetime.date,
                outstanding: tuple[OutstandingContribution, ...],
                commitments: tuple[PostCommitment, ...],
                approved: tuple[ApprovedSpend, ...]
                ) -> tuple[dict[datetime.date, Decimal], dict[datetime.date, Decimal]]:
    """Money still to come, by month: (contributions in, spend out)."""
    landing = month_start(as_of)
    money_in: dict[datetime.date, Decimal] = defaultdict(lambda: ZERO)
    money_out: dict[datetime.date, Decimal] = defaultdict(lambda: ZERO)
    current = fy_of(as_of)
    for row in outstanding:
        money_in[landing if row.fy == current else row.fy.start] += row.outstanding
    money_out[landing] += sum((a.remaining for a in approved), ZERO)
    for commitment in commitments:
        post = commitment.post
        later = [(month, post_cost(post, month, month_end(month)))
                 for month in month_starts(agreement.start, agreement.end) if month > landing]
        left = commitment.remaining - sum((cost for _, cost in later), ZERO)
        for month, cost in later:  # months paid ahead are the first to come off
            if left < 0:
                taken = min(cost, -left)
                cost, left = cost - taken, left + taken
            money_out[month] += cost
        money_out[landing] += max(ZERO, left)  # arrears: months begun by the as-of date
    return money_in, money_out


def _months(books: Books, agreement: Agreement, as_of: datetime.date,
            money_in: dict[datetime.date, Decimal],
            money_out: dict[datetime.date, Decimal]) -> tuple[ForecastMonth, ...]:
    """Month by month over the term: actuals to the as-of date, then the projection."""
    rows = []
    projected = ZERO
    for month in month_starts(agreement.start, agreement.end):
        last_actual = min(month_end(month), as_of)
        actual = books.movements_between(month, last_actual) if month <= as_of else ()
        contributions = sum((a for m in actual for _, a in m.contributions), ZERO)
        spend = sum((a for m in actual for _, a in m.spend), ZERO)
        coming_in, going_out = money_in.get(month, ZERO), money_out.get(month, ZERO)
        projected += coming_in - going_out
        rows.append(ForecastMonth(month, month_end(month) <= as_of and not (coming_in or going_out),
                                  contributions + coming_in, spend + going_out,
                                  books.balance_on(last_actual) + projected))
    return tuple(rows)
