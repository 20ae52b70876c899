"""The SMT's governance at a glance as of a date (cl. 4.1, 11.1, 12.1, 13.1, 13.2): the
last meeting, when the next is due, when the coordinator's next performance report is
due, the next review, open notices and deadlines.

The dashboard and the SMT paper show this; the rules judge the same records.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kcst_budget.books import Books
from kcst_budget.mou import in_force, quorate
from kcst_budget.periods import add_months, month_words
from kcst_budget.rules._common import id_words
from kcst_budget.terms import Deadline, Decision, Meeting, Review, WithdrawalNotice


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    quorate: bool
    missing: tuple[str, ...]  # partners neither present nor deputised
    deputies: tuple[str, ...]


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    delivered: datetime.date | None

    @property
    def title(self) -> str:
        """The deadline's name in words: ``Formal review report``."""
        return id_words(self.deadline.name)


@dataclass(frozen=True)
class Governance:
    as_of: datetime.date
    meetings: tuple[MeetingView, ...]  # every meeting to the as-of date
    next_meeting_due: datetime.date | None  # last quorate meeting (or term start) + interval
    #: cl. 13.1: the last meeting that took the coordinator's performance report (or the
    #: post's start) + interval, while the post and the term run
    next_report_due: datetime.date | None
    next_review: tuple[int, int] | None  # (year, month) of the next review month
    reviews: tuple[Review, ...]
    decisions: tuple[Decision, ...]
    notices: tuple[WithdrawalNotice, ...]  # notices given to the as-of date
    deadlines: tuple[DeadlineView, ...]

    @property
    def next_review_words(self) -> str | None:
        """``January 2020``."""
        if self.next_review is None:
            return None
        return month_words(datetime.date(self.next_review[0], self.next_review[1], 1))

    @property
    def last_meeting(self) -> MeetingView | None:
        return self.meetings[-1] if self.meetings else None

    @property
    def open_notices(self) -> tuple[WithdrawalNotice, ...]:
        """Notices given whose withdrawal has not yet taken effect."""
        return tuple(n for n in self.notices if n.effective > self.as_of)

    def since(self, first: datetime.date) -> dict[str, tuple]:
        """Meetings, decisions, notices and reviews dated from ``first`` to the as-of date."""
        return {
            "meetings": tuple(m for m in self.meetings if m.meeting.date >= first),
            "decisions": tuple(d for d in self.decisions if d.date >= first),
            "notices": tuple(n for n in self.notices if n.date >= first),
            "reviews": tuple(r for r in self.reviews if r.date >= first),
        }


def governance(books: Books, as_of: datetime.date) -> Governance:
    terms = books.terms
    views = []
    for meeting in terms.meetings:
        if meeting.date > as_of:
            break
        agreement = in_force(terms, meeting.date)
        partners = agreement.partners if agreement else ()
        views.append(MeetingView(meeting, quorate(meeting, terms), meeting.missing(partners),
                                 tuple(p for p in partners if meeting.attendance_of(p) == "deputy")))
    agreement = in_force(terms, as_of)
    next_due = None
    if agreement is not None:
        held = [v.meeting.date for v in views if v.quorate and v.meeting.date >= agreement.start]
        next_due = add_months(held[-1] if held else agreement.start,
                              agreement.meeting_interval_months)
    next_report = _next_report_due(books, as_of) if agreement is not None else None
    next_review = None
    if agreement is not None:
        held = {(r.date.year, r.date.month) for r in terms.reviews if r.date <= as_of}
        upcoming = [m for m in agreement.reviews
                    if m >= (as_of.year, as_of.month) and m not in held]
        next_review = upcoming[0] if upcoming else None
    delivered = {}
    for delivery in terms.deliveries:
        if delivery.date <= as_of:
            delivered.setdefault(delivery.name, delivery.date)
    return Governance(
        as_of=as_of, meetings=tuple(views), next_meeting_due=next_due,
        next_report_due=next_report, next_review=next_review,
        reviews=tuple(r for r in terms.reviews if r.date <= as_of),
        decisions=tuple(d for d in terms.decisions if d.date <= as_of),
        notices=tuple(n for n in terms.notices if n.date <= as_of),
        deadlines=tuple(DeadlineView(d, delivered.get(d.name)) for d in terms.deadlines
                        if d.date <= as_of),
    )


def _next_report_due(books: Books, as_of: datetime.date) -> datetime.date | None:
    """When the coordinator's next performance report to the SMT is due (cl. 13.1): the
    last meeting that took one (or the post's start) + the meeting interval, for each
    post marked ``reports-performance`` running on the as-of date; the earliest, or None
    when it would fall after the post or the term has ended."""
    terms = books.terms
    agreement = in_force(terms, as_of)
    if agreement is None:
        return None
    due_dates = []
    for post in terms.posts:
        if not post.reports_performance or not post.start <= as_of <= post.last_day:
            continue
        reports = [m.date for m in terms.meetings
                   if m.performance_report and post.start <= m.date <= as_of]
        due = add_months(reports[-1] if reports else post.start,
                         agreement.meeting_interval_months)
        if due <= min(post.last_day, agreement.end):
            due_dates.append(due)
    return min(due_dates, default=None)
