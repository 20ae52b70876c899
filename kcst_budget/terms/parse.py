"""Parsing the ``kcst-`` directives once, into the typed terms of ``terms.model``.

Every ``custom "kcst-..."`` directive becomes one frozen dataclass; a malformed one is a
``TermsError`` naming its file and line, reported by the plugin like any Beancount error.

Example (the MoU 2018-2020, cl. 3.1, 4.1, 8.2, 8.4-8.6, 12.1; the CSA's projects, spec section 8)::

    2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
      partners: "KCC KFRS KP"
      host: "KFRS"
      pool: Assets:KFRS:KCST-Pool
      meeting-interval-months: 2
      notice-months: 6
      reviews: "2019-01 2020-01"
    2018-01-01 custom "kcst-partner" "KP" "Kent Police"
    2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
    2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
      host: "KCC"
      months: 24
    2018-05-10 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "deputy"
      budget-reviewed: TRUE
    2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"
    2019-01-17 custom "kcst-project" "P-2019-01" "DHR lessons-learnt seminars" 1200.00 GBP
      priority: "domestic-abuse"
      decision: "D-2019-01-2"
      ends: 2019-10-31
    2019-12-19 custom "kcst-outcome" "P-2019-01" "Two seminars held, 265 practitioners"

Books with no ``kcst-agreement`` at all are not KCST books: nothing is parsed and nothing
is reported (``bean-check`` and Fava stay quiet; ``kcst`` refuses them, spec section 6).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from kcst_budget.amounts import CURRENCY
from kcst_budget.periods import add_months, parse_fy
from kcst_budget.source import Source
from kcst_budget.terms.model import (ATTENDANCE, SMT_APPROVAL, Agreement, ApprovalAccount,
                                     ContributionMinimum, Deadline, Decision, Delivery,
                                     Meeting, Outcome, Partner, Post, Priority, Project, Review,
                                     Terms, TermsError, WithdrawalNotice, YearEnd)

PREFIX = "kcst-"

_PARTNER_CODE = re.compile(r"^[A-Z][A-Z0-9]*$")
_REVIEW_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_MEETING_FLAGS = ("budget-reviewed", "performance-report")
#: The longest term, interval or notice a directive may state (a century).
MAX_MONTHS = 1200


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
    if not any(e.type == "kcst-agreement" for e in customs):
        return Terms(), errors  # not KCST books: nothing to read, nothing to report
    agreements = [
        parsed
        for entry in customs
        if entry.type == "kcst-agreement"
        for parsed in _parse_one(_parse_agreement, entry, (), errors)
    ]
    agreements.sort(key=lambda a: a.start)
    partners = tuple(dict.fromkeys(code for a in agreements for code in a.partners))

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
    errors.extend(_duplicate_ids("kcst-decision", decisions))
    priorities, projects = collected["kcst-priority"], collected["kcst-project"]
    errors.extend(_duplicate_ids("kcst-priority", priorities))
    errors.extend(_duplicate_ids("kcst-project", projects))
    outcomes = _outcomes_of_projects(collected["kcst-outcome"], projects, errors)
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
        partner_names=tuple(collected["kcst-partner"]),
        priorities=tuple(sorted(priorities, key=by_date)),
        projects=tuple(sorted(projects, key=by_date)),
        outcomes=tuple(sorted(outcomes, key=by_date)),
    )
    errors.extend(_overlapping_posts(terms.posts))
    return terms, errors


def _parse_one(parser: Callable[..., Any], entry: data.Custom, partners: tuple[str, ...],
               errors: list[TermsError]) -> list[Any]:
    try:
        return [parser(_Directive(entry), partners)]
    except _Malformed as problem:
        errors.append(TermsError(entry.meta, f"{entry.type}: {problem}", entry))
        return []


def _overlapping_posts(posts: Sequence[Post]) -> list[TermsError]:
    """Two posts share an account only when their spans do not overlap (spec section 2)."""
    errors = []
    last: dict[str, Post] = {}
    for post in posts:  # in order of start
        before = last.get(post.account)
        if before is not None and post.start < before.end:
            errors.append(TermsError(post.source.meta, f"kcst-post {post.title!r}: its span "
                                     f"from {post.start} overlaps {before.title!r} on "
                                     f"{post.account} (to {before.last_day}, at {before.source}); "
                                     "posts share an account only one after the other", None))
        if before is None or post.end > before.end:
            last[post.account] = post
    return errors


def _duplicate_ids(kind: str, items: Sequence[Decision | Priority | Project]
                   ) -> list[TermsError]:
    """Each id names one decision, one priority, one project: a second use is an error."""
    seen: dict[str, Decision | Priority | Project] = {}
    errors = []
    for item in items:
        if item.id in seen:
            first = seen[item.id].source
            errors.append(TermsError(item.source.meta, f"{kind} {item.id!r}: the same id is "
                                     f"already used at {first}", None))
        seen.setdefault(item.id, item)
    return errors


def _outcomes_of_projects(outcomes: Sequence[Outcome], projects: Sequence[Project],
                          errors: list[TermsError]) -> list[Outcome]:
    """The outcomes of known projects, dated on or after the project; the rest are errors."""
    starts: dict[str, datetime.date] = {}
    for project in projects:
        starts.setdefault(project.id, project.date)
    kept = []
    for outcome in outcomes:
        start = starts.get(outcome.project)
        if start is None:
            known = ", ".join(sorted(starts)) or "none recorded"
            errors.append(TermsError(outcome.source.meta, f"kcst-outcome {outcome.project!r}: "
                                     f"no kcst-project of that id (projects: {known})", None))
        elif outcome.date < start:
            errors.append(TermsError(outcome.source.meta, f"kcst-outcome {outcome.project!r}: "
                                     f"dated {outcome.date}, before the project ({start})", None))
        else:
            kept.append(outcome)
    return kept


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
                or not 0 < value <= MAX_MONTHS:
            raise _Malformed(f"{what} must be a whole number of months from 1 to {MAX_MONTHS}, "
                             f"got {value!r}")
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


def _parse_minimum(d: _Directive, partners: tuple[str, ...]) -> ContributionMinimum:
    partner = d.meta_value("partner", "str", None)
    return ContributionMinimum(d.date, d.value(0, "gbp", "minimum"),
                               None if partner is None else _partner(partner, partners, "partner"),
                               d.source)


def _parse_partner(d: _Directive, partners: tuple[str, ...]) -> Partner:
    return Partner(_partner(d.value(0, "str", "partner code"), partners, "partner"),
                   d.value(1, "str", "name"), d.source)


def _parse_post(d: _Directive, partners: tuple[str, ...]) -> Post:
    account = d.value(1, "account", "expense account")
    if not account.startswith("Expenses:"):
        raise _Malformed(f"expense account must be an Expenses: account, got {account}")
    months = d.meta_value("months", "count")
    try:
        add_months(d.date, months)
    except ValueError:
        raise _Malformed(f"a post of {months} months from {d.date} ends after the last date "
                         "the books can hold") from None
    return Post(
        title=d.value(0, "str", "title"), start=d.date, account=account,
        annual_cost=d.value(2, "gbp", "annual cost"),
        host=_partner(d.meta_value("host", "str"), partners, "host"),
        months=months,
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


def _parse_priority(d: _Directive, _: tuple[str, ...]) -> Priority:
    return Priority(d.date, d.value(0, "str", "priority id"), d.value(1, "str", "title"),
                    d.meta_value("theme", "bool", False), d.source)


def _parse_project(d: _Directive, _: tuple[str, ...]) -> Project:
    ends = d.meta_value("ends", "date", None)
    if ends is not None and ends < d.date:
        raise _Malformed(f"ends: {ends} is before the project starts ({d.date})")
    return Project(
        date=d.date, id=d.value(0, "str", "project id"), title=d.value(1, "str", "title"),
        budget=d.value(2, "gbp", "budget"), priority=d.meta_value("priority", "str"),
        decision=d.meta_value("decision", "str"), ends=ends, source=d.source,
    )


def _parse_outcome(d: _Directive, _: tuple[str, ...]) -> Outcome:
    return Outcome(d.date, d.value(0, "str", "project id"), d.value(1, "str", "outcome"),
                   d.source)


_PARSERS: dict[str, Callable[[_Directive, tuple[str, ...]], Any]] = {
    "kcst-partner": _parse_partner,
    "kcst-contribution-minimum": _parse_minimum,
    "kcst-post": _parse_post,
    "kcst-meeting": _parse_meeting,
    "kcst-decision": _parse_decision,
    "kcst-withdrawal-notice": _parse_notice,
    "kcst-review": _parse_review,
    "kcst-deadline": _parse_deadline,
    "kcst-delivered": _parse_delivery,
    "kcst-year-end": _parse_year_end,
    "kcst-priority": _parse_priority,
    "kcst-project": _parse_project,
    "kcst-outcome": _parse_outcome,
}
