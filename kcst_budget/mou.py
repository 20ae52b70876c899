"""The questions the MoU asks of the books, each answered here once.

Which agreement is in force on a date (cl. 3.1), who its partners are, whether a meeting
was quorate and a decision taken at one (cl. 4.1), what each partner must contribute in
an FY (cl. 8.2, 8.6), which FYs are rolled forward (cl. 8.2), who has left (cl. 12), what
a post costs over a period (cl. 8.4-8.6, spec section 2), and how long a project runs
(spec section 8). The rules, the money views and every presenter call these; none writes
its own.

Pure functions of the parsed terms (and, where money is asked about, the books' index of
pool movements), in the manner of Fava's ``core/budgets.py``.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from kcst_budget.amounts import ZERO, to_penny
from kcst_budget.periods import (FinancialYear, add_months, days_in_month, fys_between,
                                 long_date, month_end, month_starts, previous_day)
from kcst_budget.terms import Agreement, Decision, Meeting, Post, Project, Terms

if TYPE_CHECKING:
    from kcst_budget.books import Books


# ---- The term (cl. 3.1) ------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    """The days on which one agreement is the one in force: from its start to its last
    day, or to the day before a successor starts."""

    agreement: Agreement
    first: datetime.date
    last: datetime.date

    def overlaps(self, first: datetime.date, last: datetime.date) -> bool:
        return self.first <= last and first <= self.last


def windows(terms: Terms) -> Iterator[Window]:
    """Each agreement's days in force, in order (a successor cuts a term short)."""
    agreements = terms.agreements
    for index, agreement in enumerate(agreements):
        last = agreement.end
        if index + 1 < len(agreements):
            last = min(last, previous_day(agreements[index + 1].start))
        if last >= agreement.start:
            yield Window(agreement, agreement.start, last)


def in_force(terms: Terms, date: datetime.date) -> Agreement | None:
    """The agreement in force on ``date``: the latest started on or before it, if its term
    has not ended (spec section 2: "a later kcst-agreement is a successor")."""
    started = None
    for agreement in terms.agreements:  # in order of start
        if agreement.start > date:
            break
        started = agreement
    return started if started is not None and date <= started.end else None


def governing(terms: Terms, date: datetime.date) -> Agreement | None:
    """The agreement whose numbers (pool, notice, meeting interval) govern a record dated
    ``date``: the one in force, else the latest started before it, else the first."""
    found = in_force(terms, date)
    if found is not None:
        return found
    started = [a for a in terms.agreements if a.start <= date]
    if started:
        return started[-1]
    return terms.agreements[0] if terms.agreements else None


@dataclass(frozen=True)
class Standing:
    """Where a date stands in the agreements: in force, after one ended, before any."""

    date: datetime.date
    in_force: Agreement | None
    ended: Agreement | None  # the last agreement whose term ended before the date
    next: Agreement | None  # the next agreement to start after the date

    @property
    def words(self) -> str:
        """One sentence, the first thing every presenter says."""
        if self.in_force is not None:
            a = self.in_force
            return (f"{a.name} is in force on {long_date(self.date)} (from {long_date(a.start)} "
                    f"to {long_date(a.end)}).")
        said = f"No agreement is in force on {long_date(self.date)}"
        if self.ended is not None:
            said += f": {self.ended.name} ended on {long_date(self.ended.end)}"
            if self.next is not None:
                said += f" and {self.next.name} starts on {long_date(self.next.start)}"
        elif self.next is not None:
            said += f": {self.next.name} starts on {long_date(self.next.start)}"
        return said + "."

    @property
    def agreement(self) -> Agreement | None:
        """The agreement whose figures are shown: the one in force, else the last ended."""
        return self.in_force or self.ended


def standing(terms: Terms, date: datetime.date) -> Standing:
    current = in_force(terms, date)
    ended = None
    if current is None:
        over = [w for w in windows(terms) if w.last < date]
        ended = max(over, key=lambda w: w.last).agreement if over else None
    following = next((a for a in terms.agreements if a.start > date), None)
    return Standing(date, current, ended, following)


# ---- The SMT (cl. 4.1) ----------------------------------------------------------------------

def quorate(meeting: Meeting, terms: Terms) -> bool:
    """Every partner of the agreement in force on the meeting's day is present or
    represented by a nominated deputy (cl. 4.1)."""
    agreement = in_force(terms, meeting.date)
    return agreement is not None and not meeting.missing(agreement.partners)


def decided_quorately(terms: Terms, decision: Decision) -> bool:
    """Whether the decision was taken at a quorate meeting: one held on its date (spec
    section 3) at which every partner was present or deputised (``quorate``)."""
    meetings = terms.meetings  # in date order
    index = bisect.bisect_left(meetings, decision.date, key=lambda m: m.date)
    while index < len(meetings) and meetings[index].date == decision.date:
        if quorate(meetings[index], terms):
            return True
        index += 1
    return False


# ---- Contributions (cl. 8.2, 8.6) -----------------------------------------------------------

def minimum_for(terms: Terms, fy: FinancialYear, partner: str) -> Decimal | None:
    """A partner's minimum for ``fy``: the latest ``kcst-contribution-minimum`` whose FY is
    on or before it, one naming the partner taking precedence over one for all."""
    general = own = None
    for minimum in terms.minimums:  # in date order
        if minimum.fy > fy:
            break
        if minimum.partner is None:
            general = minimum
        elif minimum.partner == partner:
            own = minimum
    if own is not None and (general is None or own.fy >= general.fy):
        return own.amount
    return general.amount if general is not None else None


def partners_in(terms: Terms, first: datetime.date, last: datetime.date) -> tuple[str, ...]:
    """The partners of every agreement in force on a day from ``first`` to ``last``, in the
    agreements' order."""
    return tuple(dict.fromkeys(code for window in windows(terms)
                               if window.overlaps(first, last)
                               for code in window.agreement.partners))


def leaving(terms: Terms, as_of: datetime.date) -> dict[str, datetime.date]:
    """Partner -> the day its withdrawal takes effect, for notices given by ``as_of``."""
    found: dict[str, datetime.date] = {}
    for notice in terms.notices:
        if notice.date <= as_of:
            found[notice.partner] = min(notice.effective, found.get(notice.partner,
                                                                    notice.effective))
    return found


def withdrawn(books: Books, date: datetime.date) -> frozenset[str]:
    """The partners that have withdrawn by ``date``: money has been paid to them as a
    withdrawal (``Equity:Withdrawn:<CODE>``, spec section 5). A partner that has only
    given notice has not withdrawn: it holds a portion and shares any top-up."""
    return frozenset(code for movement in books.movements_between(datetime.date.min, date)
                     if movement.pool_change < 0
                     for code, amount in movement.returned if amount > 0)


def contributions_due(books: Books, fy: FinancialYear,
                      as_of: datetime.date) -> dict[str, Decimal]:
    """Each partner's minimum for ``fy`` (cl. 8.2, 8.6), as known on ``as_of``.

    The partners are those of the agreements in force during the FY. Nothing is due from
    a partner that had withdrawn before the FY began, nor from one whose notice (given by
    ``as_of``) took effect on or before the FY's first day (cl. 12.1).
    """
    terms = books.terms
    gone = withdrawn(books, previous_day(fy.start))
    notices = leaving(terms, as_of)
    due: dict[str, Decimal] = {}
    for code in partners_in(terms, fy.start, fy.end):
        if code in gone or notices.get(code, datetime.date.max) <= fy.start:
            continue
        minimum = minimum_for(terms, fy, code)
        if minimum is not None:
            due[code] = minimum
    return due


# ---- The year end (cl. 8.2, spec section 3) ---------------------------------------------------

def years_to_roll_forward(books: Books, through: datetime.date) -> tuple[FinancialYear, ...]:
    """The FYs whose end rolls the pool forward (cl. 8.2: "the pooled fund will be rolled
    forward at the end of each financial year"), in order: every FY that overlaps an
    agreement's term, and every FY in which the pool moved on or before ``through``
    (money that arrives or leaves after the term still has to be rolled forward). Any of
    them can be closed once it has ended; the seals' chain has no hole among them."""
    years = {fy for agreement in books.terms.agreements
             for fy in fys_between(agreement.start, agreement.end)}
    moved = books.movements_between(datetime.date.min, through)
    if moved:  # each FY between the first and last movement asked once, not each movement
        years.update(fy for fy in fys_between(moved[0].date, moved[-1].date)
                     if books.movements_between(fy.start, fy.end))
    return tuple(sorted(years))


# ---- Posts (cl. 8.4-8.6, spec section 2) -----------------------------------------------------

def post_months(post: Post, first: datetime.date, last: datetime.date) -> Fraction:
    """How many months of the post fall from ``first`` to ``last``: 1 for each calendar
    month its span covers in full there, days covered / days in the month for a month
    covered in part."""
    start, end = max(first, post.start), min(last, post.last_day)
    months = Fraction(0)
    for month in month_starts(start, end) if start <= end else ():
        covered = (min(end, month_end(month)) - max(start, month)).days + 1
        in_month = days_in_month(month.year, month.month)
        months += 1 if covered == in_month else Fraction(covered, in_month)
    return months


def post_cost(post: Post, first: datetime.date, last: datetime.date) -> Decimal:
    """The post's cost from ``first`` to ``last``: annual cost / 12 for each of its months
    there (``post_months``), summed and rounded to the penny once. The one budget of a
    post for any period: the rule, the statement, the forecast and every report use it."""
    return to_penny(Fraction(post.annual_cost) / 12 * post_months(post, first, last))


def post_spend(books: Books, post: Post, first: datetime.date,
               last: datetime.date) -> Decimal:
    """The pool's spend on the post's account dated inside its span and from ``first`` to
    ``last`` (spend on the account outside every span belongs to no post)."""
    start, end = max(first, post.start), min(last, post.last_day)
    if start > end:
        return ZERO
    return sum((amount for _, amount in books.spend_on(post.account, end, start)), ZERO)


def posts_in(terms: Terms, first: datetime.date, last: datetime.date) -> tuple[Post, ...]:
    """The posts whose span overlaps ``first`` to ``last``."""
    return tuple(p for p in terms.posts if p.start <= last and p.last_day >= first)


def post_of(terms: Terms, account: str, date: datetime.date) -> Post | None:
    """The post whose span holds ``date`` among those paid from ``account``."""
    return next((p for p in terms.posts_by_account.get(account, ()) if p.spans(date)), None)


# ---- Projects (cl. 6.4, 8.2, spec section 8) -------------------------------------------------

def project_life(terms: Terms, project: Project) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a project: from its date to its ``ends:``, else to the last
    day of the agreement whose pool funds it (``governing`` on its date: the pool's
    commitments end with the term), and never before its first day."""
    if project.ends is not None:
        return project.date, project.ends
    agreement = governing(terms, project.date)
    last = agreement.end if agreement is not None else project.date
    return project.date, max(project.date, last)


def project_budget(terms: Terms, project: Project, first: datetime.date,
                   last: datetime.date) -> Decimal:
    """The part of a project's budget falling from ``first`` to ``last``: its budget spread
    evenly over the days of its life (``project_life``), as its Fava budget is, rounded to
    the penny once. Over its whole life it is the budget."""
    start, end = project_life(terms, project)
    days = (end - start).days + 1
    covered = (min(last, end) - max(first, start)).days + 1
    if covered <= 0:
        return ZERO
    return to_penny(Fraction(project.budget) * covered / days)


#: A project reports its outcome within this many months of its end (spec section 8).
OUTCOME_MONTHS = 3


def outcome_due(project: Project) -> datetime.date | None:
    """The day by which a project's ``kcst-outcome`` is due: three months after its last
    day (None for a project with no ``ends:``)."""
    return add_months(project.ends, OUTCOME_MONTHS) if project.ends is not None else None
