"""Forecast to term end: will the money last to the end of the agreement? (spec section 5)

cl. 8.6 commits each partner to GBP 16,000 a year and the pool to GBP 104,000 a year of
posts at full strength: the forecast shows the gap, not hides it.

The term is that of the agreement in force on the as-of date (a successor's once it has
started); before any term, the first; after the last term has ended, the last one, and
then the forecast is the actuals at its end (nothing more can be paid within the term).

- committed post cost = annual cost / 12 x the post's months that fall inside the term;
  remaining commitment = max(0, committed - spent on its account within the term to
  the as-of date);
- remaining approved spend = each decision's limit - spend citing it (decisions with a
  limit taken within the term by the as-of date; never below zero: an overspend is a
  breach of cl. 10.3, not money to come);
- outstanding contributions = for each FY from the one containing the as-of date to the
  one containing the term end, each partner's minimum less what it has contributed in
  that FY (not below zero). A partner that has withdrawn owes nothing more; nor does a
  partner for an FY that begins on or after its notice of withdrawal takes effect (cl.
  12.1, as the ``contribution-minimum`` rule judges it);
- balance at term end = balance at as-of + outstanding - remaining commitments
  - remaining approved spend; shortfall = max(0, -balance at term end);
- the top-up per partner splits the shortfall in proportion to the partners' minimums
  for the FYs to the term end (equal thirds under the MoU), among the partners that will
  still be in the agreement at its end; each part is rounded down to the penny and the
  pennies left over go one each to the partners in the agreement's order, so the parts
  add up exactly to the shortfall.

The month-by-month projection runs from the term's first month to its last: actuals to
the as-of date, then the expected contributions and committed costs month by month
(``ASSUMPTIONS`` says when each is expected). ``exhaustion_month`` is the first month-end,
from the as-of month on, at which the pool is below zero.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from typing import Any

from kcst_budget.amounts import PENNY, ZERO, decimal_string
from kcst_budget.books import Books
from kcst_budget.money.portions import withdrawn_partners
from kcst_budget.periods import FinancialYear, fy_of, month_end, month_starts
from kcst_budget.terms import Agreement, Decision, Post

ASSUMPTIONS = (
    "Months up to the as-of date are actuals; the rest of the as-of month and later months "
    "are projected.",
    "Each post costs its annual cost / 12 in each of its months inside the term; cost of "
    "earlier months not yet paid by the as-of date falls in the as-of month.",
    "A partner's outstanding contribution for the FY in progress is expected in the as-of "
    "month; for a later FY, in its first month (April).",
    "The remaining approved spend of SMT decisions is spent in the as-of month.",
    "Nothing else is paid into or out of the pool.",
    "The top-up per partner splits the shortfall in proportion to the partners' minimums; "
    "each part is rounded down to the penny and the pennies left over go one each to the "
    "partners in the agreement's order, so the parts add up to the shortfall.",
)
AFTER_TERM = ("The term ended on {end}: the figures are the actuals at its end, and nothing "
              "more is due or committed within it.")


@dataclass(frozen=True)
class PostCommitment:
    post: Post
    months_in_term: int
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
    agreement: Agreement | None
    balance_as_of: Decimal
    outstanding: tuple[OutstandingContribution, ...]
    commitments: tuple[PostCommitment, ...]
    approved: tuple[ApprovedSpend, ...]
    top_up_per_partner: dict[str, Decimal]
    months: tuple[ForecastMonth, ...]
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def term_end(self) -> datetime.date | None:
        return self.agreement.end if self.agreement else None

    @property
    def balance_date(self) -> datetime.date:
        """The day ``balance_as_of`` is taken: the as-of date, or the term end once past."""
        return min(self.as_of, self.term_end) if self.term_end else self.as_of

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
        return self.balance_as_of + self.outstanding_contributions - self.remaining_commitments

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, -self.balance_at_term_end)

    @property
    def exhaustion_month(self) -> str | None:
        """The first month-end, from the as-of month on (the term's last month once it has
        ended), at which the pool is below zero."""
        on = self.balance_date
        start = datetime.date(on.year, on.month, 1)
        for month in self.months:
            if month.month >= start and month.balance < 0:
                return f"{month.month:%Y-%m}"
        return None

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
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "balance_as_of": money(self.balance_as_of),
            "balance_date": self.balance_date.isoformat(),
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
                       "months_in_term": c.months_in_term, "committed": money(c.committed),
                       "spent": money(c.spent), "remaining": money(c.remaining)}
                      for c in self.commitments],
            "decisions": [{"decision": a.decision.id, "limit": money(a.limit),
                           "spent": money(a.spent), "remaining": money(a.remaining)}
                          for a in self.approved],
            "months": [m.as_json() for m in self.months],
            "assumptions": list(self.assumptions),
        }


def governing_agreement(books: Books, as_of: datetime.date) -> Agreement | None:
    """The agreement in force on ``as_of``; after every term, the last one (all actuals);
    before any, the first."""
    terms = books.terms
    in_force = terms.agreement_on(as_of)
    if in_force is not None or not terms.agreements:
        return in_force
    started = [a for a in terms.agreements if a.start <= as_of]
    return started[-1] if started else terms.agreements[0]


def forecast(books: Books, as_of: datetime.date) -> Forecast:
    """The forecast to the end of the term in force on ``as_of``."""
    agreement = governing_agreement(books, as_of)
    if agreement is None:
        return Forecast(as_of, None, books.balance_on(as_of), (), (), (), {}, ())
    # after the term the forecast is the actuals at its end
    on = min(as_of, agreement.end)
    assumptions = ASSUMPTIONS if on == as_of else (AFTER_TERM.format(end=agreement.end),)
    balance = books.balance_on(on)
    withdrawn = withdrawn_partners(books, on)
    leaving = _leaving(books, on)
    partners = [p for p in agreement.partners if p not in withdrawn]
    outstanding = _outstanding(books, agreement, partners, leaving, on)
    commitments = tuple(_commitment(books, post, agreement, on) for post in books.terms.posts
                        if post.start <= agreement.end and post.end > agreement.start)
    approved = _approved(books, agreement, on)
    if as_of > agreement.end:  # nothing more is due or paid within an ended term
        outstanding = ()
        commitments = tuple(replace(c, remaining=ZERO) for c in commitments)
        approved = tuple(replace(a, remaining=ZERO) for a in approved)
    result = Forecast(as_of, agreement, balance, outstanding, commitments, approved, {}, ())
    staying = [p for p in partners if leaving.get(p, datetime.date.max) > agreement.end]
    top_ups = _top_ups(books, result.shortfall, staying or partners, agreement, on)
    months = _months(books, agreement, on, outstanding, commitments, approved)
    return Forecast(as_of, agreement, balance, outstanding, commitments, approved, top_ups,
                    months, assumptions)


def _leaving(books: Books, as_of: datetime.date) -> dict[str, datetime.date]:
    """Partner -> the day its withdrawal takes effect, for notices given by ``as_of``."""
    leaving: dict[str, datetime.date] = {}
    for notice in books.terms.notices:
        if notice.date <= as_of:
            leaving[notice.partner] = min(notice.effective,
                                          leaving.get(notice.partner, notice.effective))
    return leaving


def _fys(agreement: Agreement, as_of: datetime.date) -> list[FinancialYear]:
    """The FYs from the one containing ``as_of`` to the one containing the term end."""
    return [FinancialYear(year)
            for year in range(fy_of(as_of).start_year, fy_of(agreement.end).start_year + 1)]


def _outstanding(books: Books, agreement: Agreement, partners: list[str],
                 leaving: dict[str, datetime.date],
                 as_of: datetime.date) -> tuple[OutstandingContribution, ...]:
    rows = []
    for fy in _fys(agreement, as_of):
        minimum = books.terms.minimum_for(fy)
        if minimum is None:
            continue
        for partner in partners:
            if leaving.get(partner, datetime.date.max) <= fy.start:
                continue  # its withdrawal takes effect before the FY begins
            paid = books.contributed(partner, fy.start, min(fy.end, as_of))
            rows.append(OutstandingContribution(partner, fy, minimum, paid,
                                                max(ZERO, minimum - paid)))
    return tuple(rows)


def _commitment(books: Books, post: Post, agreement: Agreement,
                as_of: datetime.date) -> PostCommitment:
    months = post.months_between(agreement.start, agreement.end)
    committed = (post.monthly_cost * months).quantize(PENNY)
    spent = sum((amount for _, amount in books.spend_on(post.account, as_of, agreement.start)),
                ZERO)
    return PostCommitment(post, months, committed, spent, max(ZERO, committed - spent))


def _approved(books: Books, agreement: Agreement,
              as_of: datetime.date) -> tuple[ApprovedSpend, ...]:
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for movement in books.movements_between(datetime.date.min, as_of):
        if movement.decision is not None:
            spent[movement.decision] += sum((a for _, a in movement.spend), ZERO)
    return tuple(
        ApprovedSpend(d, d.limit, spent[d.id], max(ZERO, d.limit - spent[d.id]))
        for d in books.terms.decisions
        if d.limit is not None and agreement.start <= d.date <= as_of
    )


def _top_ups(books: Books, shortfall: Decimal, partners: list[str], agreement: Agreement,
             as_of: datetime.date) -> dict[str, Decimal]:
    """Split ``shortfall`` in proportion to the partners' minimums, exactly to the penny."""
    if not partners:
        return {}
    minimums = [books.terms.minimum_for(fy) or ZERO for fy in _fys(agreement, as_of)]
    total_minimum = sum(minimums, ZERO) or Decimal(1)
    # every partner owes the same minimum each FY (cl. 8.2), so the weights are equal
    weights = {p: total_minimum for p in partners}
    total = sum(weights.values(), ZERO)
    shares = {p: (shortfall * w / total).quantize(PENNY, rounding=ROUND_DOWN)
              for p, w in weights.items()}
    pennies = int((shortfall - sum(shares.values(), ZERO)) / PENNY)
    for partner in partners[:pennies]:
        shares[partner] += PENNY
    return shares


def _months(books: Books, agreement: Agreement, as_of: datetime.date,
            outstanding: tuple[OutstandingContribution, ...],
            commitments: tuple[PostCommitment, ...],
            approved: tuple[ApprovedSpend, ...]) -> tuple[ForecastMonth, ...]:
    """Month by month from the term's first month to its last: actuals, then projection."""
    as_of_month = datetime.date(as_of.year, as_of.month, 1)
    months = month_starts(agreement.start, agreement.end)
    projected_in: dict[datetime.date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    landing = max(as_of_month, months[0]) if months else as_of_month
    if months and landing > months[-1]:
        landing = months[-1]

    for row in outstanding:
        month = landing if row.fy == fy_of(as_of) else max(landing, row.fy.start)
        projected_in[month][0] += row.outstanding
    projected_in[landing][1] += sum((a.remaining for a in approved), ZERO)
    for commitment in commitments:
        post, left = commitment.post, commitment.remaining
        later = [m for m in post.month_starts()
                 if m > as_of_month and agreement.start <= m <= agreement.end]
        schedule = []
        for month in later:
            part = min(left, post.monthly_cost.quantize(PENNY))
            schedule.append((month, part))
            left -= part
        projected_in[landing][1] += left  # arrears: months begun by the as-of date, unpaid
        for month, part in schedule:
            projected_in[datetime.date(month.year, month.month, 1)][1] += part

    rows = []
    balance = books.balance_on(months[0] - datetime.timedelta(days=1)) if months else ZERO
    for month in months:
        last_actual = min(month_end(month), as_of)
        actual = books.movements_between(month, last_actual) if month <= as_of else ()
        contributions = sum((a for m in actual for _, a in m.contributions), ZERO)
        spend = sum((a for m in actual for _, a in m.spend), ZERO)
        other = sum((m.pool_change for m in actual), ZERO) - contributions + spend
        projected_contributions, projected_spend = projected_in.get(month, (ZERO, ZERO))
        balance += other + contributions + projected_contributions - spend - projected_spend
        wholly_actual = month_end(month) <= as_of and not (projected_contributions
                                                           or projected_spend)
        rows.append(ForecastMonth(month, wholly_actual,
                                  contributions + projected_contributions,
                                  spend + projected_spend, balance))
    return tuple(rows)


