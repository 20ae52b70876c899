"""The agreement's terms and the SMT's records as typed values (spec sections 2, 3, 8).

One frozen dataclass per ``kcst-`` directive; ``kcst_budget.terms.parse`` makes them
once per load and nothing else reads ``entry.values``. The questions the MoU asks of
them (which agreement is in force, what is due, what a post costs) are answered in
``kcst_budget.mou``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kcst_budget.periods import FinancialYear, add_months, fy_of
from kcst_budget.source import Source

#: Attendance values of a ``kcst-meeting`` (cl. 4.1); a nominated deputy counts to quorum.
ATTENDANCE = ("present", "deputy", "apologies", "absent")
QUORATE_ATTENDANCE = frozenset({"present", "deputy"})

#: The ``approval`` value of an account whose spend the SMT agrees in advance (cl. 10.3).
SMT_APPROVAL = "smt"

#: The accounts of project work (spec section 8): spend on them cites its ``project:``.
PROJECT_ACCOUNTS = "Expenses:Projects"


def is_project_account(account: str) -> bool:
    """``Expenses:Projects`` or any account under it."""
    return account == PROJECT_ACCOUNTS or account.startswith(PROJECT_ACCOUNTS + ":")


class TermsError(NamedTuple):
    """A malformed ``kcst-`` directive, in Beancount's error shape."""

    source: dict
    message: str
    entry: object


@dataclass(frozen=True)
class Agreement:
    """A ``kcst-agreement``: the term (cl. 3.1) and the governance numbers of the MoU."""

    name: str
    start: datetime.date
    end: datetime.date  # the term's last day
    partners: tuple[str, ...]
    host: str
    pool: str
    meeting_interval_months: int
    notice_months: int
    reviews: tuple[tuple[int, int], ...]  # (year, month) of each review (cl. 11.1)
    source: Source

    def covers(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end


@dataclass(frozen=True)
class Partner:
    """A ``kcst-partner``: how the books name a partner code (``KP`` is Kent Police)."""

    code: str
    name: str
    source: Source


@dataclass(frozen=True)
class ContributionMinimum:
    """A ``kcst-contribution-minimum``: the minimum a year from this FY on (cl. 8.2, 8.6),
    for every partner, or for one partner when it names one (``partner: "NHS"``)."""

    date: datetime.date
    amount: Decimal
    partner: str | None
    source: Source

    @property
    def fy(self) -> FinancialYear:
        return fy_of(self.date)


@dataclass(frozen=True)
class Post:
    """A ``kcst-post``: a jointly funded post (cl. 8.4-8.6).

    Its span runs from ``start`` to ``last_day``, the day before start + ``months``.
    """

    title: str
    start: datetime.date
    account: str
    annual_cost: Decimal
    host: str
    months: int
    reports_performance: bool
    source: Source

    @property
    def end(self) -> datetime.date:
        """The first day after the fixed term: start + ``months``."""
        return add_months(self.start, self.months)

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def monthly_cost(self) -> Decimal:
        return self.annual_cost / 12

    def spans(self, date: datetime.date) -> bool:
        """Whether ``date`` falls inside the post's span."""
        return self.start <= date < self.end


@dataclass(frozen=True)
class Meeting:
    """A ``kcst-meeting`` of the SMT with each partner's attendance (cl. 4.1)."""

    date: datetime.date
    body: str
    attendance: tuple[tuple[str, str], ...]  # (PARTNER, value), partner codes upper case
    budget_reviewed: bool
    performance_report: bool
    source: Source

    def attendance_of(self, partner: str) -> str:
        """``present``, ``deputy``, ``apologies`` or ``absent`` (no key is absent)."""
        return dict(self.attendance).get(partner, "absent")

    def represented(self, partner: str) -> bool:
        return self.attendance_of(partner) in QUORATE_ATTENDANCE

    def missing(self, partners: Iterable[str]) -> tuple[str, ...]:
        """The partners neither present nor represented by a deputy."""
        return tuple(code for code in partners if not self.represented(code))


@dataclass(frozen=True)
class Decision:
    """A ``kcst-decision`` of the SMT, taken at the meeting of the same date."""

    date: datetime.date
    id: str
    text: str
    limit: Decimal | None
    source: Source


@dataclass(frozen=True)
class WithdrawalNotice:
    """A ``kcst-withdrawal-notice`` (cl. 12.1): given on ``date``, effective on ``effective``."""

    date: datetime.date
    partner: str
    effective: datetime.date
    to_smt: bool
    to_kcsp_chair: bool
    source: Source


@dataclass(frozen=True)
class Review:
    """A ``kcst-review`` of the agreement held (cl. 11.1)."""

    date: datetime.date
    text: str
    source: Source


@dataclass(frozen=True)
class Deadline:
    """A ``kcst-deadline``: an obligation due by ``due`` (e.g. cl. 13.2)."""

    date: datetime.date
    name: str
    due: datetime.date
    clause: str
    source: Source


@dataclass(frozen=True)
class Delivery:
    """A ``kcst-delivered``: the obligation ``name`` fulfilled on ``date``."""

    date: datetime.date
    name: str
    source: Source


@dataclass(frozen=True)
class YearEnd:
    """A ``kcst-year-end``: the pool carried forward at an FY's last day (cl. 8.2)."""

    date: datetime.date
    fy: FinancialYear
    amount: Decimal
    digest: str | None
    source: Source


@dataclass(frozen=True)
class ApprovalAccount:
    """An account opened with ``approval: "smt"``: spend agreed in advance (cl. 10.3)."""

    account: str
    opened: datetime.date
    source: Source


@dataclass(frozen=True)
class Priority:
    """A ``kcst-priority``: a priority or cross-cutting theme of the Community Safety
    Agreement in force (spec section 8), which the pool's projects serve."""

    date: datetime.date
    id: str
    title: str
    theme: bool  # a cross-cutting theme (``theme: TRUE``) rather than a county priority
    source: Source


@dataclass(frozen=True)
class Project:
    """A ``kcst-project``: project work funded from the pool (cl. 6.4, 6.5, 8.2), approved
    by an SMT decision and serving one CSA priority (spec section 8).

    Its life runs from its date to ``ends`` (its last day), when it has one.
    """

    date: datetime.date
    id: str
    title: str
    budget: Decimal
    priority: str
    decision: str
    ends: datetime.date | None
    source: Source


@dataclass(frozen=True)
class Outcome:
    """A ``kcst-outcome``: what a project delivered, recorded on ``date``."""

    date: datetime.date
    project: str
    text: str
    source: Source


@dataclass(frozen=True)
class Terms:
    """Everything the ``kcst-`` directives say, each kind in date order."""

    agreements: tuple[Agreement, ...] = ()
    partner_names: tuple[Partner, ...] = ()
    minimums: tuple[ContributionMinimum, ...] = ()
    posts: tuple[Post, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    decisions: tuple[Decision, ...] = ()
    notices: tuple[WithdrawalNotice, ...] = ()
    reviews: tuple[Review, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    year_ends: tuple[YearEnd, ...] = ()
    approval_accounts: tuple[ApprovalAccount, ...] = ()
    priorities: tuple[Priority, ...] = ()
    projects: tuple[Project, ...] = ()
    outcomes: tuple[Outcome, ...] = ()

    @property
    def partners(self) -> tuple[str, ...]:
        """Every partner code of every agreement, in order of first appearance."""
        seen: dict[str, None] = {}
        for agreement in self.agreements:
            seen.update(dict.fromkeys(agreement.partners))
        return tuple(seen)

    def name_of(self, code: str) -> str:
        """The partner's name (``kcst-partner``), else its code."""
        return next((p.name for p in self.partner_names if p.code == code), code)

    @property
    def pools(self) -> frozenset[str]:
        return frozenset(agreement.pool for agreement in self.agreements)

    def decision(self, decision_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def project(self, project_id: str) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def priority(self, priority_id: str) -> Priority | None:
        return next((p for p in self.priorities if p.id == priority_id), None)

    def year_ends_of(self, fy: FinancialYear) -> tuple[YearEnd, ...]:
        return tuple(y for y in self.year_ends if y.fy == fy)

    def year_end(self, fy: FinancialYear) -> YearEnd | None:
        """The FY's first ``kcst-year-end`` (a second one is a ``period-lock`` breach)."""
        return next((y for y in self.year_ends if y.fy == fy), None)

    @property
    def posts_by_account(self) -> dict[str, tuple[Post, ...]]:
        """The posts paid from each account, in order of start (more than one
        ``kcst-post`` may name the same account when their spans do not overlap)."""
        found: dict[str, list[Post]] = {}
        for post in self.posts:
            found.setdefault(post.account, []).append(post)
        return {account: tuple(posts) for account, posts in found.items()}

    @property
    def approval_account_names(self) -> frozenset[str]:
        return frozenset(a.account for a in self.approval_accounts)
