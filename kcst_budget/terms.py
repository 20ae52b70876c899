"""The agreement's terms and the SMT's records, parsed once from ``kcst-`` directives.

Every ``custom "kcst-..."`` directive becomes one frozen dataclass here; nothing else in
the package reads ``entry.values``. A malformed directive is a ``TermsError`` naming its
file and line, reported by the plugin like any Beancount error.

Example (the MoU 2018-2020, cl. 3.1, 4.1, 8.2, 8.4-8.6, 12.1)::

    2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
      partners: "KCC KFRS KP"
      host: "KFRS"
      pool: Assets:KFRS:KCST-Pool
      meeting-interval-months: 2
      notice-months: 6
      reviews: "2019-01 2020-01"
    2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
    2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
      host: "KCC"
      months: 24
    2018-05-10 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "deputy"
      budget-reviewed: TRUE
"""

from __future__ import annotations

import bisect
import datetime
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from beancount.core import data
from beancount.core.amount import Amount

from kcst_budget.amounts import CURRENCY
from kcst_budget.periods import FinancialYear, add_months, fy_of, parse_fy
from kcst_budget.source import Source

PREFIX = "kcst-"

#: Attendance values of a ``kcst-meeting`` (cl. 4.1); a nominated deputy counts to quorum.
ATTENDANCE = ("present", "deputy", "apologies", "absent")
QUORATE_ATTENDANCE = frozenset({"present", "deputy"})

#: The ``approval`` value of an account whose spend the SMT agrees in advance (cl. 10.3).
SMT_APPROVAL = "smt"

_PARTNER_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")
_REVIEW_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MEETING_FLAGS = ("budget-reviewed", "performance-report")


class TermsError(NamedTuple):
    """A malformed ``kcst-`` directive, in Beancount's error shape."""

    source: dict[str, Any]
    message: str
    entry: Any


# ---------------------------------------------------------------------------------------
# The terms


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
class ContributionMinimum:
    """A ``kcst-contribution-minimum``: each partner's minimum a year from this FY on."""

    date: datetime.date
    amount: Decimal
    source: Source

    @property
    def fy(self) -> FinancialYear:
        return fy_of(self.date)


@dataclass(frozen=True)
class Post:
    """A ``kcst-post``: a jointly funded post (cl. 8.4-8.6)."""

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

    def month_starts(self) -> list[datetime.date]:
        """The first day of each of the post's months."""
        return [add_months(self.start, k) for k in range(self.months)]

    def months_between(self, first: datetime.date, last: datetime.date) -> int:
        """How many of the post's months begin between ``first`` and ``last`` inclusive."""
        return sum(1 for month in self.month_starts() if first <= month <= last)


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

    def quorate(self, partners: Iterable[str]) -> bool:
        return not self.missing(partners)


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
class Terms:
    """Everything the ``kcst-`` directives say, in date order."""

    agreements: tuple[Agreement, ...] = ()
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
    _agreement_starts: tuple[datetime.date, ...] = field(default=(), repr=False, compare=False)

    def agreement_on(self, date: datetime.date) -> Agreement | None:
        """The agreement in force on ``date``: the latest started on or before it, if its
        term has not ended (cl. 3.1)."""
        index = bisect.bisect_right(self._agreement_starts, date)
        if index == 0:
            return None
        agreement = self.agreements[index - 1]
        return agreement if date <= agreement.end else None

    @property
    def partners(self) -> tuple[str, ...]:
        """Every partner code of every agreement, in order of first appearance."""
        seen: dict[str, None] = {}
        for agreement in self.agreements:
            seen.update(dict.fromkeys(agreement.partners))
        return tuple(seen)

    @property
    def pools(self) -> frozenset[str]:
        return frozenset(agreement.pool for agreement in self.agreements)

    @property
    def term_start(self) -> datetime.date | None:
        return self.agreements[0].start if self.agreements else None

    @property
    def term_end(self) -> datetime.date | None:
        return max((a.end for a in self.agreements), default=None)

    def minimum_for(self, fy: FinancialYear) -> Decimal | None:
        """Each partner's minimum for ``fy`` (cl. 8.2, 8.6): the latest minimum whose FY is
        on or before it."""
        found = None
        for minimum in self.minimums:
            if minimum.fy <= fy:
                found = minimum.amount
        return found

    def decision(self, decision_id: str) -> Decision | None:
        return next((d for d in self.decisions if d.id == decision_id), None)

    def year_end(self, fy: FinancialYear) -> YearEnd | None:
        return next((y for y in self.year_ends if y.fy == fy), None)

    @property
    def posts_by_account(self) -> dict[str, tuple[Post, ...]]:
        """The posts paid from each account, in the order declared (more than one
        ``kcst-post`` may name the same account)."""
        found: dict[str, list[Post]] = {}
        for post in self.posts:
            found.setdefault(post.account, []).append(post)
        return {account: tuple(posts) for account, posts in found.items()}

    @property
    def approval_account_names(self) -> frozenset[str]:
        return frozenset(a.account for a in self.approval_accounts)


# ---------------------------------------------------------------------------------------
# Parsing


class _Malformed(Exception):
    """One problem with one directive; becomes a ``TermsError``."""


def parse_terms(entries: Sequence[data.Directive]) -> tuple[Terms, list[TermsError]]:
    """Parse every ``kcst-`` directive (and ``approval`` accounts) once.

    Agreements are read first, so partner codes are known when meetings and notices
    name them. Returns the terms and an error for each malformed directive.
    """
    errors: list[TermsError] = []
    custom = data.Custom
    customs = [e for e in entries if type(e) is custom and e.type.startswith(PREFIX)]
    agreements = [
        parsed
        for entry in customs
        if entry.type == "kcst-agreement"
        for parsed in _parse_one(_parse_agreement, entry, (), errors)
    ]
    agreements.sort(key=lambda a: a.start)
    partners = tuple(dict.fromkeys(code for a in agreements for code in a.partners))
    if customs and not agreements and not any(e.type == "kcst-agreement" for e in customs):
        first = customs[0]
        errors.append(TermsError(first.meta, f"{first.type}: no kcst-agreement in the ledger "
                                 "names the partners and the pool", first))

    collected: dict[str, list[Any]] = {name: [] for name in _PARSERS}
    for entry in customs:
        if entry.type == "kcst-agreement":
            continue
        parser = _PARSERS.get(entry.type)
        if parser is None:
            known = ", ".join(sorted(["kcst-agreement", *_PARSERS]))
            errors.append(TermsError(entry.meta, f"unknown directive {entry.type!r} "
                                     f"(known: {known})", entry))
            continue
        collected[entry.type].extend(_parse_one(parser, entry, partners, errors))

    approvals = []
    for entry in entries:
        if isinstance(entry, data.Open) and entry.meta and "approval" in entry.meta:
            if entry.meta["approval"] != SMT_APPROVAL:
                errors.append(TermsError(entry.meta, f"open {entry.account}: approval must be "
                                         f'"{SMT_APPROVAL}", got {entry.meta["approval"]!r}',
                                         entry))
                continue
            approvals.append(ApprovalAccount(entry.account, entry.date, Source.of(entry.meta)))

    decisions = collected["kcst-decision"]
    errors.extend(_duplicate_decisions(decisions))
    deadlines = collected["kcst-deadline"]
    names = {d.name for d in deadlines}
    for delivery in collected["kcst-delivered"]:
        if delivery.name not in names:
            errors.append(TermsError(delivery.source.meta, f"kcst-delivered {delivery.name!r}: "
                                     "no kcst-deadline of that name", None))

    by_date = lambda item: item.date  # noqa: E731
    terms = Terms(
        agreements=tuple(agreements),
        minimums=tuple(sorted(collected["kcst-contribution-minimum"], key=by_date)),
        posts=tuple(sorted(collected["kcst-post"], key=lambda p: p.start)),
        meetings=tuple(sorted(collected["kcst-meeting"], key=by_date)),
        decisions=tuple(sorted(decisions, key=by_date)),
        notices=tuple(sorted(collected["kcst-withdrawal-notice"], key=by_date)),
        reviews=tuple(sorted(collected["kcst-review"], key=by_date)),
        deadlines=tuple(sorted(deadlines, key=by_date)),
        deliveries=tuple(sorted(collected["kcst-delivered"], key=by_date)),
        year_ends=tuple(sorted(collected["kcst-year-end"], key=by_date)),
        approval_accounts=tuple(approvals),
        _agreement_starts=tuple(a.start for a in agreements),
    )
    return terms, errors


def _parse_one(parser: Callable[..., Any], entry: data.Custom, partners: tuple[str, ...],
               errors: list[TermsError]) -> list[Any]:
    try:
        return [parser(_Directive(entry), partners)]
    except _Malformed as problem:
        errors.append(TermsError(entry.meta, f"{entry.type}: {problem}", entry))
        return []


def _duplicate_decisions(decisions: list[Decision]) -> list[TermsError]:
    seen: dict[str, Decision] = {}
    errors = []
    for decision in decisions:
        if decision.id in seen:
            first = seen[decision.id].source
            errors.append(TermsError(decision.source.meta, f"kcst-decision {decision.id!r}: the "
                                     f"same id is already used at {first}", None))
        seen.setdefault(decision.id, decision)
    return errors


class _Directive:
    """Typed access to one custom directive's values and metadata, raising ``_Malformed``."""

    def __init__(self, entry: data.Custom) -> None:
        self.entry = entry
        self.date: datetime.date = entry.date
        self.meta: Mapping[str, Any] = entry.meta or {}
        self.source = Source.of(entry.meta)
        self.values = entry.values or []

    def value(self, index: int, kind: str, what: str) -> Any:
        values = self.values
        if index >= len(values):
            raise _Malformed(f"missing {what} (value {index + 1})")
        return _check(values[index].value, kind, what)

    def meta_value(self, key: str, kind: str, default: Any = _Malformed) -> Any:
        if key not in self.meta:
            if default is _Malformed:
                raise _Malformed(f"missing {key}:")
            return default
        return _check(self.meta[key], kind, f"{key}:")


def _check(value: Any, kind: str, what: str) -> Any:
    """Check one value's type; amounts must be positive GBP, counts positive integers."""
    if kind == "str":
        if not isinstance(value, str) or isinstance(value, bool) or not value.strip():
            raise _Malformed(f"{what} must be a non-empty string in quotes, got {value!r}")
        return value.strip()
    if kind == "account":
        if not isinstance(value, str) or ":" not in value:
            raise _Malformed(f"{what} must be an account like Assets:KFRS:KCST-Pool, "
                             f"got {value!r}")
        return value
    if kind == "date":
        if not isinstance(value, datetime.date):
            raise _Malformed(f"{what} must be a date like 2020-03-31, got {value!r}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise _Malformed(f"{what} must be TRUE or FALSE, got {value!r}")
        return value
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, Decimal) or value != value.to_integral() \
                or value <= 0:
            raise _Malformed(f"{what} must be a whole number of months above 0, got {value!r}")
        return int(value)
    if kind == "gbp":
        if not isinstance(value, Amount) or value.number is None:
            raise _Malformed(f"{what} must be an amount like 16000.00 {CURRENCY}, got {value!r}")
        if value.currency != CURRENCY:
            raise _Malformed(f"{what} must be in {CURRENCY}, got {value.currency}")
        if value.number <= 0:
            raise _Malformed(f"{what} must be above zero, got {value.number}")
        return value.number
    raise AssertionError(kind)


def _partner(code: str, partners: tuple[str, ...], what: str) -> str:
    if code not in partners:
        raise _Malformed(f"{what} {code!r} is no partner of the agreement "
                         f"(partners: {' '.join(partners) or 'none'})")
    return code


def _parse_agreement(d: _Directive, _: tuple[str, ...]) -> Agreement:
    name = d.value(0, "str", "name")
    end = d.value(1, "date", "last day of the term")
    if end < d.date:
        raise _Malformed(f"the term ends ({end}) before it starts ({d.date})")
    codes = tuple(d.meta_value("partners", "str").split())
    for code in codes:
        if not _PARTNER_CODE.match(code):
            raise _Malformed(f"partner code {code!r} must be upper-case letters, like KCC")
    if len(set(codes)) != len(codes):
        raise _Malformed(f"partners: {' '.join(codes)} names a partner twice")
    host = _partner(d.meta_value("host", "str"), codes, "host")
    reviews = []
    for month in d.meta_value("reviews", "str", "").split():
        match = _REVIEW_MONTH.match(month)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise _Malformed(f"reviews: {month!r} is not a month like 2019-01")
        reviews.append((int(match.group(1)), int(match.group(2))))
    return Agreement(
        name=name, start=d.date, end=end, partners=codes, host=host,
        pool=d.meta_value("pool", "account"),
        meeting_interval_months=d.meta_value("meeting-interval-months", "count", 2),
        notice_months=d.meta_value("notice-months", "count", 6),
        reviews=tuple(reviews), source=d.source,
    )


def _parse_minimum(d: _Directive, _: tuple[str, ...]) -> ContributionMinimum:
    return ContributionMinimum(d.date, d.value(0, "gbp", "minimum"), d.source)


def _parse_post(d: _Directive, partners: tuple[str, ...]) -> Post:
    account = d.value(1, "account", "expense account")
    if not account.startswith("Expenses:"):
        raise _Malformed(f"expense account must be an Expenses: account, got {account}")
    return Post(
        title=d.value(0, "str", "title"), start=d.date, account=account,
        annual_cost=d.value(2, "gbp", "annual cost"),
        host=_partner(d.meta_value("host", "str"), partners, "host"),
        months=d.meta_value("months", "count"),
        reports_performance=d.meta_value("reports-performance", "bool", False),
        source=d.source,
    )


def _parse_meeting(d: _Directive, partners: tuple[str, ...]) -> Meeting:
    attendance = []
    for key, value in d.meta.items():
        if key in ("filename", "lineno") or key in _MEETING_FLAGS:
            continue
        is_partner = key.upper() in partners
        if not is_partner:
            if isinstance(value, str) and value in ATTENDANCE:
                raise _Malformed(f"unknown partner code {key!r} (partners: "
                                 f"{' '.join(p.lower() for p in partners)})")
            continue  # other metadata (minutes, venue...) is the user's own
        if not isinstance(value, str) or value not in ATTENDANCE:
            raise _Malformed(f"{key}: attendance must be one of {', '.join(ATTENDANCE)}, "
                             f"got {value!r}")
        attendance.append((key.upper(), value))
    return Meeting(
        date=d.date, body=d.value(0, "str", "body"), attendance=tuple(attendance),
        budget_reviewed=d.meta_value("budget-reviewed", "bool", False),
        performance_report=d.meta_value("performance-report", "bool", False),
        source=d.source,
    )


def _parse_decision(d: _Directive, _: tuple[str, ...]) -> Decision:
    return Decision(
        date=d.date, id=d.value(0, "str", "decision id"), text=d.value(1, "str", "text"),
        limit=d.meta_value("limit", "gbp", None), source=d.source,
    )


def _parse_notice(d: _Directive, partners: tuple[str, ...]) -> WithdrawalNotice:
    return WithdrawalNotice(
        date=d.date, partner=_partner(d.value(0, "str", "partner"), partners, "partner"),
        effective=d.value(1, "date", "effective date"),
        to_smt=d.meta_value("to-smt", "bool", False),
        to_kcsp_chair=d.meta_value("to-kcsp-chair", "bool", False),
        source=d.source,
    )


def _parse_review(d: _Directive, _: tuple[str, ...]) -> Review:
    return Review(d.date, d.value(0, "str", "description"), d.source)


def _parse_deadline(d: _Directive, _: tuple[str, ...]) -> Deadline:
    clause = d.meta.get("clause", "")
    return Deadline(d.date, d.value(0, "str", "name"), d.value(1, "date", "due date"),
                    str(clause), d.source)


def _parse_delivery(d: _Directive, _: tuple[str, ...]) -> Delivery:
    return Delivery(d.date, d.value(0, "str", "name"), d.source)


def _parse_year_end(d: _Directive, _: tuple[str, ...]) -> YearEnd:
    label = d.value(0, "str", "financial year")
    try:
        fy = parse_fy(label)
    except ValueError as problem:
        raise _Malformed(str(problem)) from None
    if d.date != fy.end:
        raise _Malformed(f"{fy} must be dated its last day, {fy.end}, not {d.date}")
    if len(d.values) < 2 or not isinstance(d.values[1].value, Amount):
        raise _Malformed(f"missing balance carried forward (value 2), like 12345.67 {CURRENCY}")
    balance = d.values[1].value
    if balance.currency != CURRENCY:  # the pool may be overdrawn: zero and negative are allowed
        raise _Malformed(f"balance carried forward must be in {CURRENCY}, got {balance.currency}")
    digest = d.meta_value("digest", "str", None)
    if digest is not None and not digest.startswith("sha256:"):
        raise _Malformed(f'digest must look like "sha256:<hex>", got {digest!r}')
    return YearEnd(d.date, fy, balance.number, digest, d.source)


_PARSERS: dict[str, Callable[[_Directive, tuple[str, ...]], Any]] = {
    "kcst-contribution-minimum": _parse_minimum,
    "kcst-post": _parse_post,
    "kcst-meeting": _parse_meeting,
    "kcst-decision": _parse_decision,
    "kcst-withdrawal-notice": _parse_notice,
    "kcst-review": _parse_review,
    "kcst-deadline": _parse_deadline,
    "kcst-delivered": _parse_delivery,
    "kcst-year-end": _parse_year_end,
}
