"""Synthetic books: KCST ledgers of any size, kept by construction, with breaches to order.

Written in the contract's vocabulary (spec sections 1-4): an agreement (or successive
ones), partners paying their minimum each financial year (cl. 8.2, 8.6), the jointly
funded posts paid monthly within their fixed terms (cl. 8.3-8.6), a quorate SMT meeting
every month that reviews the budget and takes the coordinator's performance report
(cl. 4.1, 8.1, 13.1), hot-desking agreed in advance with a limit (cl. 10.3), the reviews
(cl. 11.1), the formal review report delivered on time (cl. 13.2), each ended FY rolled
forward and sealed (cl. 8.2), and as many small project payments as it takes to reach
the number of transactions asked for: each FY's projects approved at its first meeting,
serving a priority of the Community Safety Agreement, within budget, their outcomes
recorded a month after they end (spec section 8). Every transaction carries a unique
``ref``; hot-desking carries its ``decision``, project work its ``project``. The same
seed gives the same books, byte for byte.

By construction no rule finds anything. ``inject`` adds one breach of a kind (the names
below, or a rule id for that rule's usual breach), e.g.::

    python -m tools.synthetic --transactions 10000 --out bench-out/10k
    python -m tools.synthetic --transactions 500 --inject quorum --inject short-notice \\
        --out /tmp/lapsed

The books are a ``main.beancount`` (options, the plugin judging as of the books' last
day) that includes ``terms.beancount`` and one file per FY, like the bundled ledger.
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

from kcst_budget.amounts import PENNY, ZERO
from kcst_budget.periods import FinancialYear, add_months, fy_of, fys_between, month_end

ONE_DAY = datetime.timedelta(days=1)
POUND = Decimal("1")
PARTNER_NAMES = {"KCC": "Kent County Council", "KFRS": "Kent Fire and Rescue Service",
                 "KP": "Kent Police"}
PROJECTS = ("Expenses:Projects:DomesticAbuse", "Expenses:Projects:ASB",
            "Expenses:Projects:StrategicAssessment", "Expenses:Training", "Expenses:Events")
#: The CSA priorities the projects serve (spec section 8): (id, title, theme).
PRIORITIES = (("domestic-abuse", "Domestic Abuse", False),
              ("anti-social-behaviour", "Anti-Social Behaviour", False),
              ("early-intervention", "Early intervention, prevention and education", True))
#: The project on each ``Expenses:Projects`` account serves this priority.
PROJECT_PRIORITY = {"Expenses:Projects:DomesticAbuse": "domestic-abuse",
                    "Expenses:Projects:ASB": "anti-social-behaviour",
                    "Expenses:Projects:StrategicAssessment": "early-intervention"}
HOT_DESKING = "Expenses:Accommodation:HotDesking"
OTHER_STAFF = "Expenses:Staff:Other"  # no post: pool spend on it breaks cl. 8.3
CONTINGENCY = "Expenses:Contingency"
#: Of each quarter's spend, the share the partners' instalments cover (the rest is margin).
COVER = Decimal("0.8")
#: What each partner pays above the minimum in its first instalment of an FY.
MARGIN = Decimal("1000")


# ---------------------------------------------------------------------------------------
# The breaches that can be injected


@dataclass(frozen=True)
class Injection:
    """One kind of breach the generator can put into otherwise compliant books."""

    name: str
    rule: str  # the rule id (spec section 4) that must find it
    description: str


INJECTIONS: dict[str, Injection] = {i.name: i for i in (
    Injection("money-outside-term", "term",
              "a contribution paid into the pool ten days before the term starts"),
    Injection("inquorate-meeting", "quorum",
              "one SMT meeting with a partner sending apologies and no deputy"),
    Injection("meeting-gap", "meeting-cadence",
              "no SMT meeting for two months running (three months between meetings)"),
    Injection("decision-without-meeting", "decision-quorate",
              "a decision dated on a day with no SMT meeting"),
    Injection("budget-not-reviewed", "budget-review",
              "one quorate SMT meeting without budget-reviewed: TRUE"),
    Injection("contribution-below-minimum", "contribution-minimum",
              "a partner pays GBP 1,000.00 less than the minimum in an ended FY"),
    Injection("refund-to-partner", "roll-forward",
              "GBP 250.00 paid back to a partner from the pool, not as a withdrawal"),
    Injection("year-end-mismatch", "roll-forward",
              "a kcst-year-end carrying forward GBP 1.00 more than the pool balance"),
    Injection("staff-spend-without-post", "core-posts-only",
              "pool spend on Expenses:Staff:Other, which is no declared post"),
    Injection("post-charged-outside-term", "post-term",
              "a post's salary paid on the day after its fixed term (or before it starts)"),
    Injection("post-over-budget", "post-budget",
              "an extra payment taking a post's spend in an FY over its annual cost pro rata"),
    Injection("hot-desking-without-decision", "prior-approval",
              "hot-desking spend citing no decision"),
    Injection("hot-desking-before-decision", "prior-approval",
              "hot-desking spend dated the day before the decision it cites"),
    Injection("hot-desking-over-limit", "prior-approval",
              "hot-desking spend taking a decision's spend over its limit"),
    Injection("missed-review", "reviews",
              "no kcst-review in one of the agreement's review months"),
    Injection("short-notice", "withdrawal-notice",
              "a withdrawal notice taking effect three months after it was given"),
    Injection("notice-not-sent", "withdrawal-notice",
              "a withdrawal notice not sent to the SMT"),
    Injection("withdrawal-before-notice-effective", "withdrawal-notice",
              "GBP 100.00 withdrawn before the partner's valid notice takes effect"),
    Injection("withdrawal-over-portion", "withdrawal-notice",
              "a withdrawal, on the day a valid notice takes effect, of more than the portion"),
    Injection("money-after-withdrawal", "dissolution",
              "a valid notice that took effect two months ago while pool money kept moving"),
    Injection("missing-performance-report", "performance-reports",
              "two meetings running without the coordinator's performance report"),
    Injection("missed-deadline", "deadlines",
              "the formal review report never delivered"),
    Injection("tampered-sealed-period", "period-lock",
              "a transaction's narration edited in a year already sealed by its digest"),
    Injection("negative-pool-month-end", "pool-solvency",
              "a payment overdrawing the pool at a month end, made good the next day"),
    Injection("project-spend-without-project", "project-link",
              "a payment on an Expenses:Projects account citing no project"),
    Injection("project-over-budget", "project-link",
              "a payment taking a project's spend GBP 50.00 over its budget"),
    Injection("project-without-outcome", "project-link",
              "a project ended over three months ago with no kcst-outcome recorded"),
)}

#: ``--inject <rule-id>``: the usual breach of that rule.
BY_RULE: dict[str, str] = {}
for _injection in INJECTIONS.values():
    BY_RULE.setdefault(_injection.rule, _injection.name)


def injection_named(name: str) -> Injection:
    """The injection called ``name``, or the usual breach of the rule ``name``."""
    if name in INJECTIONS:
        return INJECTIONS[name]
    if name in BY_RULE:
        return INJECTIONS[BY_RULE[name]]
    raise ShapeError("inject", f"{name!r} is neither an injection nor a rule id "
                     f"(injections: {', '.join(INJECTIONS)})")


class ShapeError(ValueError):
    """Books of this shape cannot be generated; names the argument at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"--{argument}: {message}")
        self.argument = argument


# ---------------------------------------------------------------------------------------
# What to generate, and what comes out


@dataclass(frozen=True)
class Shape:
    """The books to generate."""

    transactions: int = 1000  # at least this many (the posts and contributions may need more)
    years: int = 2  # the length of the whole term, in years
    agreements: int = 1  # successive agreements sharing the term (1: one long one)
    start: datetime.date = datetime.date(2018, 4, 1)  # first day of the term (a 1st)
    partners: tuple[str, ...] = ("KCC", "KFRS", "KP")
    posts: int = 3  # the coordinator, the administration officer, the analyst, then more
    as_of: datetime.date | None = None  # books written up to this day (default: term end)
    minimum: Decimal = Decimal("16000.00")  # each partner's minimum a year (cl. 8.2)
    seed: int = 0
    inject: tuple[str, ...] = ()
    seal: bool = True  # digests on the year-end records (one extra load of the books)

    @property
    def host(self) -> str:
        return "KFRS" if "KFRS" in self.partners else self.partners[0]

    @property
    def term_end(self) -> datetime.date:
        return add_months(self.start, 12 * self.years) - ONE_DAY


def partner_codes(count: int) -> tuple[str, ...]:
    """KCC, KFRS, KP, then P4, P5...: ``count`` partner codes."""
    return (*("KCC", "KFRS", "KP")[:count], *(f"P{n}" for n in range(4, count + 1)))


@dataclass(frozen=True)
class Injected:
    """One breach put into the books, where and when."""

    name: str
    rule: str
    date: datetime.date
    note: str


@dataclass(frozen=True)
class SyntheticLedger:
    """Generated books: each file's text, and what was put into them."""

    shape: Shape
    as_of: datetime.date
    files: tuple[tuple[str, str], ...]  # (file name, text); main.beancount first
    transactions: int
    injected: tuple[Injected, ...]

    @property
    def main_text(self) -> str:
        return self.files[0][1]

    def write(self, folder: Path, *, plugin: bool = True) -> Path:
        """Write every file into ``folder`` (created); return the main file's path.

        ``plugin=False`` leaves out the plugin line: the same books as Beancount alone sees
        them (the benchmark's floor).
        """
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files:
            if name == MAIN and not plugin:
                text = "".join(line for line in text.splitlines(keepends=True)
                               if not line.startswith("plugin "))
            (folder / name).write_text(text, encoding="utf-8")
        return folder / MAIN


MAIN = "main.beancount"
TERMS = "terms.beancount"


# ---------------------------------------------------------------------------------------
# The model the text is rendered from


@dataclass(frozen=True)
class _Txn:
    date: datetime.date
    payee: str
    narration: str
    meta: tuple[tuple[str, str], ...]
    postings: tuple[tuple[str, Decimal], ...]
    pool: Decimal  # the change to the pool


@dataclass(frozen=True)
class _Record:
    """A dated directive, already as text (``kcst-`` records, opens)."""

    date: datetime.date
    text: str


@dataclass(frozen=True)
class _Post:
    title: str
    account: str
    annual: Decimal
    host: str
    start: datetime.date
    months: int
    reports: bool

    @property
    def end(self) -> datetime.date:
        return add_months(self.start, self.months)

    def pay(self, index: int) -> Decimal:
        """The salary of the post's month ``index`` (from 0): the months paid so far in its
        FY add up to the annual cost / 12 per month rounded once, so each FY's pay is its
        budget (a post's months start on the 1st: whole months)."""
        def so_far(months: int) -> Decimal:
            return (self.annual * months / 12).quantize(PENNY, rounding=ROUND_HALF_UP)

        fy = fy_of(add_months(self.start, index))
        in_fy = sum(1 for k in range(index) if fy.contains(add_months(self.start, k)))
        return so_far(in_fy + 1) - so_far(in_fy)

    def month_starts(self) -> list[datetime.date]:
        return [add_months(self.start, k) for k in range(self.months)]


@dataclass(frozen=True)
class _Agreement:
    name: str
    start: datetime.date
    end: datetime.date
    reviews: tuple[datetime.date, ...]  # first day of each review month


@dataclass
class _Books:
    """The books while they are built (private to ``generate``)."""

    shape: Shape
    as_of: datetime.date
    pool: str
    agreements: list[_Agreement]
    posts: list[_Post]
    meeting_day: int
    records: list[_Record] = field(default_factory=list)
    txns: list[_Txn] = field(default_factory=list)
    injected: list[Injected] = field(default_factory=list)
    refs: int = 0

    def ref(self, prefix: str) -> str:
        self.refs += 1
        return f"{prefix}-{self.refs:06d}"

    def spend(self, date: datetime.date, payee: str, narration: str, account: str,
              amount: Decimal, prefix: str = "PO", **meta: str) -> _Txn:
        txn = _Txn(date, payee, narration, (("ref", self.ref(prefix)), *meta.items()),
                   ((account, amount), (self.pool, -amount)), -amount)
        self.txns.append(txn)
        return txn

    def contribution(self, date: datetime.date, partner: str, amount: Decimal,
                     narration: str) -> _Txn:
        txn = _Txn(date, PARTNER_NAMES.get(partner, partner), narration,
                   (("ref", self.ref(f"AR-{partner}")),),
                   ((self.pool, amount), (f"Income:Contributions:{partner}", -amount)), amount)
        self.txns.append(txn)
        return txn

    def balance_on(self, date: datetime.date) -> Decimal:
        return sum((t.pool for t in self.txns if t.date <= date), ZERO)

    def contributed(self, partner: str, first: datetime.date, last: datetime.date) -> Decimal:
        account = f"Income:Contributions:{partner}"
        return -sum((amount for t in self.txns if first <= t.date <= last
                     for name, amount in t.postings if name == account), ZERO)

    @property
    def term_start(self) -> datetime.date:
        return self.shape.start

    @property
    def last_day(self) -> datetime.date:
        """The last day money moves: the as-of date (never after the term)."""
        return self.as_of


# ---------------------------------------------------------------------------------------
# Generating


def generate(shape: Shape) -> SyntheticLedger:
    """The books of ``shape``; ``ShapeError`` (naming the argument) if they cannot be had."""
    injections = [injection_named(name) for name in shape.inject]
    _check_shape(shape)
    rng = random.Random(shape.seed)
    as_of = shape.as_of or shape.term_end
    books = _Books(shape, as_of, f"Assets:{shape.host}:KCST-Pool", _agreements(shape),
                   _posts(shape), meeting_day=rng.randint(5, 20))
    names = {i.name for i in injections}
    sites = _Sites(books, rng)

    meetings = _governance(books, rng, names, sites)
    _salaries(books, names)
    _hot_desking(books, rng, meetings, names)
    _fixed_injections(books, rng, names, sites)
    schedule = _contribution_schedule(books, names)
    later = sum(1 for name in names if name in _MONEY_INJECTIONS) + (
        2 if "negative-pool-month-end" in names else 0)
    fixed = len(books.txns) + len(schedule) + later
    over = 1 if "project-over-budget" in names else 0
    _projects(books, rng, max(0, shape.transactions - fixed - over), meetings, names)
    _contributions(books, schedule, names)
    _money_injections(books, rng, names, sites)
    _check_solvency(books)
    year_end_entries = _year_ends(books, names)
    files = _render(books, year_end_entries, names, rng)
    return SyntheticLedger(shape, as_of, files, len(books.txns), tuple(books.injected))


def _check_shape(shape: Shape) -> None:
    if shape.transactions < 0:
        raise ShapeError("transactions", f"must be 0 or more, got {shape.transactions}")
    if not 1 <= shape.years <= 20:
        raise ShapeError("years", f"must be from 1 to 20, got {shape.years}")
    if shape.start.day != 1:
        raise ShapeError("start", f"the term starts on the first of a month, got {shape.start}")
    if not 1 <= shape.agreements <= shape.years * 4:
        raise ShapeError("agreements", f"must be from 1 to {shape.years * 4} (each at least "
                         f"three months), got {shape.agreements}")
    if not 1 <= len(shape.partners) <= 26 or len(set(shape.partners)) != len(shape.partners):
        raise ShapeError("partners", f"must be 1 to 26 distinct codes, got {shape.partners}")
    if not 1 <= shape.posts <= 12:
        raise ShapeError("posts", f"must be from 1 to 12, got {shape.posts}")
    if shape.minimum <= 0:
        raise ShapeError("minimum", f"must be above zero, got {shape.minimum}")
    if shape.as_of is not None:
        earliest = add_months(shape.start, 3) - ONE_DAY
        if not earliest <= shape.as_of <= shape.term_end:
            raise ShapeError("as-of", f"must fall from {earliest} (three months into the term) "
                             f"to the term's last day {shape.term_end}, got {shape.as_of}")


def _agreements(shape: Shape) -> list[_Agreement]:
    months = 12 * shape.years
    bounds = [round(k * months / shape.agreements) for k in range(shape.agreements + 1)]
    agreements = []
    for index in range(shape.agreements):
        start = add_months(shape.start, bounds[index])
        end = add_months(shape.start, bounds[index + 1]) - ONE_DAY
        reviews = tuple(month for month in (add_months(start, k)
                                            for k in range(1, bounds[index + 1] - bounds[index]))
                        if month.month == 1)
        agreements.append(_Agreement(f"MoU {start.year}-{end.year}" + (
            f" ({index + 1})" if shape.agreements > 1 else ""), start, end, reviews))
    return agreements


def _posts(shape: Shape) -> list[_Post]:
    """The coordinator (reports performance) and the administration officer for the whole
    term; the analyst on a shorter fixed term ending inside an FY; then project officers."""
    months = 12 * shape.years
    first = shape.partners[0]
    posts = [_Post("KCST Coordinator", "Expenses:Staff:Coordinator", Decimal("45000.00"),
                   shape.host, shape.start, months, True),
             _Post("KCST Administration Officer", "Expenses:Staff:Admin", Decimal("24000.00"),
                   first, shape.start, months, False)]
    analyst_months = max(1, min(18, months - 2))
    analyst = _Post("KCST Analyst", "Expenses:Staff:Analyst", Decimal("35000.00"), first,
                    add_months(shape.start, 1), analyst_months, False)
    if analyst.end.month == 4 and analyst.months > 1:  # end inside an FY, not at its start
        analyst = replace(analyst, months=analyst.months - 1)
    posts.append(analyst)
    for number in range(4, shape.posts + 1):
        start = add_months(shape.start, min(number - 3, months - 1))
        posts.append(_Post(f"KCST Project Officer {number - 3}",
                           f"Expenses:Staff:ProjectOfficer{number - 3}", Decimal("30000.00"),
                           shape.partners[number % len(shape.partners)], start,
                           max(1, months - (number - 3) - 1), False))
    return posts[:shape.posts]


class _Sites:
    """Chooses where month-bound injections go, each in a month of its own."""

    def __init__(self, books: _Books, rng: random.Random) -> None:
        self.books = books
        months = _active_months(books)
        busy = {fy_first for fy_first in _decision_months(books)}
        busy |= {a.start for a in books.agreements}
        busy.add(months[0])
        if months:
            busy.add(months[-1])
        self.free = [m for m in months if m not in busy]
        rng.shuffle(self.free)
        self.taken: set[datetime.date] = set()

    def month(self, name: str, fits=lambda month: True) -> datetime.date:
        for month in self.free:
            if month not in self.taken and fits(month):
                self.taken.add(month)
                return month
        raise ShapeError("inject", f"{name}: the books have no month left for it (try more "
                         "--years or fewer injections)")

    def pair(self, name: str, fits=lambda month: True) -> datetime.date:
        """Two months running, both free, the meeting after them inside the books."""
        meetings = set(_meeting_dates(self.books))
        for month in self.free:
            following = add_months(month, 1)
            after = _meeting_on(self.books, add_months(month, 2))
            if month in self.taken or following in self.taken or following not in self.free \
                    or after not in meetings or not fits(month):
                continue
            self.taken |= {month, following}
            return month
        raise ShapeError("inject", f"{name}: the books have no two free months running for it "
                         "(try more --years or fewer injections)")


def _active_months(books: _Books) -> list[datetime.date]:
    months, month = [], books.term_start
    while month <= books.as_of:
        months.append(month)
        month = add_months(month, 1)
    return months


def _meeting_on(books: _Books, month: datetime.date) -> datetime.date:
    return month.replace(day=books.meeting_day)


def _meeting_dates(books: _Books) -> list[datetime.date]:
    return [d for d in (_meeting_on(books, m) for m in _active_months(books)) if d <= books.as_of]


def _decision_months(books: _Books) -> list[datetime.date]:
    """The first month of each FY of the books, whose meeting agrees the hot-desking."""
    firsts: dict[FinancialYear, datetime.date] = {}
    for month in _active_months(books):
        firsts.setdefault(fy_of(month), month)
    return sorted(firsts.values())


def _governance(books: _Books, rng: random.Random, names: set[str],
                sites: _Sites) -> list[datetime.date]:
    """Meetings, decisions, reviews, deadlines and notices; returns the quorate meetings'
    dates that agree hot-desking (one per FY)."""
    shape = books.shape
    inquorate = budget_skipped = None
    skipped: set[datetime.date] = set()
    unreported: set[datetime.date] = set()
    if "inquorate-meeting" in names:
        inquorate = _meeting_on(books, sites.month("inquorate-meeting"))
    if "meeting-gap" in names:
        first = sites.pair("meeting-gap")
        skipped = {_meeting_on(books, first), _meeting_on(books, add_months(first, 1))}
        books.injected.append(Injected("meeting-gap", "meeting-cadence", min(skipped),
                                       f"no meetings in {first:%B %Y} and the month after"))
    if "budget-not-reviewed" in names:
        budget_skipped = _meeting_on(books, sites.month("budget-not-reviewed"))
    if "missing-performance-report" in names:
        coordinator = books.posts[0]
        first = sites.pair("missing-performance-report",
                           lambda m: coordinator.start < m and add_months(m, 2) < coordinator.end)
        unreported = {_meeting_on(books, first), _meeting_on(books, add_months(first, 1))}
        books.injected.append(Injected("missing-performance-report", "performance-reports",
                                       min(unreported), "no performance report at two meetings"))
    decision_days = {_meeting_on(books, m) for m in _decision_months(books)}
    agreeing = []
    for date in _meeting_dates(books):
        if date in skipped:
            continue
        attendance = {code: "deputy" if rng.random() < 0.15 else "present"
                      for code in shape.partners}
        if date == inquorate:
            absent = rng.choice(shape.partners)
            attendance[absent] = "apologies"
            books.injected.append(Injected("inquorate-meeting", "quorum", date,
                                           f"{absent} sent apologies and no deputy"))
        lines = [f'{date} custom "kcst-meeting" "SMT"']
        lines += [f'  {code.lower()}: "{value}"' for code, value in attendance.items()]
        lines.append(f"  budget-reviewed: {'FALSE' if date == budget_skipped else 'TRUE'}")
        lines.append(f"  performance-report: {'FALSE' if date in unreported else 'TRUE'}")
        books.records.append(_Record(date, "\n".join(lines)))
        if date == budget_skipped:
            books.injected.append(Injected("budget-not-reviewed", "budget-review", date,
                                           "the meeting did not review the budget"))
        if date in decision_days:
            agreeing.append(date)
            books.records.append(_Record(date, f'{date} custom "kcst-decision" '
                                         f'"D-{date:%Y-%m}-2" "The KCST business plan for '
                                         f'{fy_of(date)}"'))
    if "decision-without-meeting" in names:
        date = _meeting_on(books, sites.month("decision-without-meeting")) + 2 * ONE_DAY
        books.records.append(_Record(date, f'{date} custom "kcst-decision" "D-{date:%Y-%m}-9" '
                                     '"Extend the hot desks to the first floor"'))
        books.injected.append(Injected("decision-without-meeting", "decision-quorate", date,
                                       f"decision D-{date:%Y-%m}-9 on a day with no meeting"))
    _reviews_and_deadlines(books, names)
    _notices(books, names)
    return agreeing


def _reviews_and_deadlines(books: _Books, names: set[str]) -> None:
    review_months = [m for a in books.agreements for m in a.reviews
                     if month_end(m) < books.as_of]
    missed = None
    if "missed-review" in names:
        if not review_months:
            raise ShapeError("inject", "missed-review: no review month has passed by the "
                             "as-of date (a review falls in each January of a term)")
        missed = review_months[len(review_months) // 2]
        books.injected.append(Injected("missed-review", "reviews", month_end(missed),
                                       f"no review in {missed:%B %Y}"))
    for agreement in books.agreements:
        for month in agreement.reviews:
            date = _meeting_on(books, month)
            if month != missed and date <= books.as_of:
                books.records.append(_Record(date, f'{date} custom "kcst-review" '
                                             f'"{month:%B %Y} review of {agreement.name}"'))
    passed = []
    for index, agreement in enumerate(books.agreements, start=1):
        months = (agreement.end.year - agreement.start.year) * 12 \
            + agreement.end.month - agreement.start.month + 1
        due = min(add_months(agreement.start, max(1, months * 2 // 3)), agreement.end)
        name = f"formal-review-report-{index}"
        books.records.append(_Record(agreement.start, f'{agreement.start} custom "kcst-deadline" '
                                     f'"{name}" {due}\n  clause: "13.2"'))
        delivered = due - 7 * ONE_DAY
        if due < books.as_of:
            passed.append((name, due, delivered))
        elif delivered <= books.as_of:
            books.records.append(_Record(delivered, f'{delivered} custom "kcst-delivered" '
                                         f'"{name}"'))
    if "missed-deadline" in names:
        if not passed:
            raise ShapeError("inject", "missed-deadline: no deadline has passed by the as-of "
                             "date")
        name, due, _ = passed[-1]
        passed.pop()
        books.injected.append(Injected("missed-deadline", "deadlines", due,
                                       f"{name} never delivered"))
    for name, _, delivered in passed:
        books.records.append(_Record(delivered, f'{delivered} custom "kcst-delivered" "{name}"'))


def _notice(books: _Books, partner: str, given: datetime.date, effective: datetime.date, *,
            to_smt: bool = True) -> None:
    if given < books.term_start:
        raise ShapeError("as-of", f"a notice given on {given} would fall before the term "
                         f"starts ({books.term_start}): the books are too short for it")
    books.records.append(_Record(given, f'{given} custom "kcst-withdrawal-notice" "{partner}" '
                                 f'{effective}\n  to-smt: {"TRUE" if to_smt else "FALSE"}\n'
                                 "  to-kcsp-chair: TRUE"))


def _six_months_before(date: datetime.date, months: int = 6) -> datetime.date:
    """The latest day whose notice of ``months`` takes effect by ``date``."""
    given = add_months(date, -months)
    while add_months(given, months) > date:
        given -= ONE_DAY
    return given


def _notices(books: _Books, names: set[str]) -> None:
    partners = books.shape.partners
    as_of = books.as_of
    if "short-notice" in names:
        given = add_months(as_of, -3)
        _notice(books, partners[-1], given, as_of)
        books.injected.append(Injected("short-notice", "withdrawal-notice", given,
                                       f"{partners[-1]} gave three months' notice"))
    if "notice-not-sent" in names:
        given = add_months(as_of, -1)
        _notice(books, partners[-1], given, add_months(given, 6), to_smt=False)
        books.injected.append(Injected("notice-not-sent", "withdrawal-notice", given,
                                       f"{partners[-1]}'s notice not sent to the SMT"))
    if "withdrawal-before-notice-effective" in names:
        given = add_months(as_of, -2)
        _notice(books, partners[0], given, add_months(given, 6))
    if "withdrawal-over-portion" in names:
        _notice(books, partners[0], _six_months_before(as_of), as_of)
    if "money-after-withdrawal" in names:
        effective = add_months(as_of, -2)
        given = _six_months_before(effective)
        _notice(books, partners[-1], given, effective)
        books.injected.append(Injected("money-after-withdrawal", "dissolution", effective,
                                       f"{partners[-1]}'s withdrawal took effect on {effective}"))


def _salaries(books: _Books, names: set[str]) -> None:
    """Each post paid its monthly cost on the 25th of each of its months (cl. 8.4-8.6)."""
    moved: tuple[_Post, datetime.date, datetime.date] | None = None
    if "post-charged-outside-term" in names:
        moved = _outside_post_term(books)
    for post in books.posts:
        payee = "KFRS Payroll" if post.host == books.shape.host else \
            f"{PARTNER_NAMES.get(post.host, post.host)} recharge"
        for index, month in enumerate(post.month_starts()):
            date = month + 24 * ONE_DAY
            if moved and moved[0] == post and moved[1] == date:
                date = moved[2]
            if date > books.as_of:
                continue
            books.spend(date, payee, f"Salary and on-costs: {post.title}, {month:%B %Y}",
                        post.account, post.pay(index), prefix="PAY")


def _outside_post_term(books: _Books) -> tuple[_Post, datetime.date, datetime.date]:
    """A salary moved to the day after its post's fixed term ends, in the same FY and the
    term (or, failing that, to the day before the post starts)."""
    for post in books.posts:
        last = post.month_starts()[-1] + 24 * ONE_DAY
        if post.end <= books.as_of and post.end <= books.shape.term_end \
                and fy_of(post.end) == fy_of(last) and last <= books.as_of:
            books.injected.append(Injected("post-charged-outside-term", "post-term", post.end,
                                           f"{post.title} paid on {post.end}, after its term"))
            return post, last, post.end
    for post in books.posts:
        before = post.start - ONE_DAY
        first = post.start + 24 * ONE_DAY
        if before >= books.term_start and fy_of(before) == fy_of(first) \
                and first <= books.as_of:
            books.injected.append(Injected("post-charged-outside-term", "post-term", before,
                                           f"{post.title} paid on {before}, before it starts"))
            return post, first, before
    raise ShapeError("inject", "post-charged-outside-term: no post ends or starts inside the "
                     "books' term and FY (try more --years or --posts)")


def _hot_desking_limit(books: _Books) -> tuple[Decimal, int]:
    """Each FY's hot-desking limit and how many payments cite it."""
    fys = max(1, len(_decision_months(books)))
    count = max(2, round(books.shape.transactions * 0.02 / fys))
    return max(Decimal("8000.00"), Decimal(20 * count)), count


def _hot_desking(books: _Books, rng: random.Random, agreeing: list[datetime.date],
                 names: set[str]) -> None:
    """Each FY's hot-desking agreed in advance with a limit, then paid within it (cl. 10.3)."""
    limit, count = _hot_desking_limit(books)
    for index, date in enumerate(agreeing):
        decision = f"D-{date:%Y-%m}-1"
        books.records.append(_Record(date, f'{date} custom "kcst-decision" "{decision}" '
                                     f'"Hot-desking at Loose Road for {fy_of(date)}"\n'
                                     f"  limit: {limit} GBP"))
        last = min(fy_of(date).end, books.as_of)
        share = (limit * Decimal("0.9") / count).quantize(PENNY)
        spent = ZERO
        for _ in range(count):
            amount = (share * Decimal(rng.randint(50, 100)) / 100).quantize(PENNY)
            spent += amount
            books.spend(_day_between(rng, date, last), "Office Interiors Ltd",
                        "Hot-desking works, Loose Road", HOT_DESKING, amount, decision=decision)
        if index == 0 and "hot-desking-before-decision" in names:
            books.spend(date - ONE_DAY, "Office Interiors Ltd", "Hot-desk chairs",
                        HOT_DESKING, Decimal("150.00"), decision=decision)
            books.injected.append(Injected("hot-desking-before-decision", "prior-approval",
                                           date - ONE_DAY, f"spend a day before {decision}"))
        if index == len(agreeing) - 1 and "hot-desking-over-limit" in names:
            over = limit - spent + Decimal("100.00")
            books.spend(last, "Office Interiors Ltd", "Hot-desk screens", HOT_DESKING, over,
                        decision=decision)
            books.injected.append(Injected("hot-desking-over-limit", "prior-approval", last,
                                           f"{decision} exceeded by GBP 100.00"))


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + rng.randint(0, max(0, (last - first).days)) * ONE_DAY


def _fixed_injections(books: _Books, rng: random.Random, names: set[str],
                      sites: _Sites) -> None:
    if "staff-spend-without-post" in names:
        date = sites.month("staff-spend-without-post") + 14 * ONE_DAY
        books.spend(date, "Kent Police", "Overtime: partnership sergeant", OTHER_STAFF,
                    Decimal("1200.00"))
        books.injected.append(Injected("staff-spend-without-post", "core-posts-only", date,
                                       f"GBP 1,200.00 on {OTHER_STAFF}"))
    if "hot-desking-without-decision" in names:
        date = sites.month("hot-desking-without-decision") + 15 * ONE_DAY
        books.spend(date, "KFRS ICT", "Spare monitors", HOT_DESKING, Decimal("120.00"))
        books.injected.append(Injected("hot-desking-without-decision", "prior-approval", date,
                                       "hot-desking citing no decision"))
    if "post-over-budget" in names:
        post = books.posts[0]
        month = sites.month("post-over-budget", lambda m: post.start <= m < post.end)
        fy = fy_of(month)
        count = sum(1 for m in post.month_starts() if fy.contains(m))
        allowance = (post.annual * count / 12).quantize(PENNY, rounding=ROUND_HALF_UP)
        paid = sum((post.pay(index) for index, m in enumerate(post.month_starts())
                    if fy.contains(m) and m + 24 * ONE_DAY <= books.as_of), ZERO)
        date = month + 25 * ONE_DAY
        books.spend(date, "KFRS Payroll", f"Back pay: {post.title}", post.account,
                    allowance - paid + Decimal("100.00"), prefix="PAY")
        books.injected.append(Injected("post-over-budget", "post-budget", date,
                                       f"{post.title} over its {fy} allowance"))
    if "project-spend-without-project" in names:
        date = sites.month("project-spend-without-project") + 16 * ONE_DAY
        books.spend(date, "Supplier 999", "Leaflets, no project named", PROJECTS[0],
                    Decimal("75.00"))
        books.injected.append(Injected("project-spend-without-project", "project-link", date,
                                       f"GBP 75.00 on {PROJECTS[0]} citing no project"))
    if "money-outside-term" in names:
        date = books.term_start - 10 * ONE_DAY
        books.contribution(date, books.shape.partners[0], Decimal("500.00"),
                           "Early contribution, before the agreement")
        books.injected.append(Injected("money-outside-term", "term", date,
                                       "GBP 500.00 paid in before the term"))


@dataclass(frozen=True)
class _Instalment:
    date: datetime.date
    partner: str
    first: bool  # the partner's first instalment of the FY (carries the minimum)
    quarter: datetime.date  # first day of the quarter (clipped to the term start)


def _contribution_schedule(books: _Books, names: set[str]) -> list[_Instalment]:
    """Each partner pays at the start of each quarter of the books (cl. 8.2)."""
    schedule = []
    short = _short_partner(books) if "contribution-below-minimum" in names else None
    for fy in fys_between(books.term_start, books.as_of):
        quarters = [max(add_months(fy.start, 3 * k), books.term_start) for k in range(4)]
        quarters = sorted({q for q in quarters if q <= books.as_of and fy.contains(q)})
        for index, quarter in enumerate(quarters):
            offset = (quarter.toordinal() * 7 + books.shape.seed) % 4
            date = min(quarter + offset * ONE_DAY, books.as_of)
            for partner in books.shape.partners:
                if short == (partner, fy) and index > 0:
                    continue
                schedule.append(_Instalment(date, partner, index == 0, quarter))
    return schedule


def _short_partner(books: _Books) -> tuple[str, FinancialYear]:
    ended = [fy for fy in fys_between(books.term_start, books.as_of) if fy.end < books.as_of]
    if not ended or len(books.shape.partners) < 2:
        raise ShapeError("inject", "contribution-below-minimum: needs an FY ended before the "
                         "as-of date and at least two partners")
    return books.shape.partners[-1], ended[0]


@dataclass(frozen=True)
class _Project:
    id: str
    account: str
    approved: datetime.date  # the meeting that agreed it, and its first day
    ends: datetime.date


def _projects(books: _Books, rng: random.Random, count: int, agreeing: list[datetime.date],
              names: set[str]) -> None:
    """Small project payments, spread over the books' days, to reach the size asked for.

    Each FY's first meeting (the one agreeing hot-desking) approves a project on each
    ``Expenses:Projects`` account for the rest of the FY (spec section 8); its payments cite
    it and are dated on or after that meeting (earlier ones move to its day), within a
    budget set above what it spends; its outcome is recorded a month after it ends.
    Payments on a projects account in an FY whose first meeting is after the as-of date go
    to ``Expenses:Training`` instead.
    """
    first, last = books.term_start, books.as_of
    days = (last - first).days
    by_fy: dict[tuple[FinancialYear, str], _Project] = {}
    for date in agreeing:
        fy = fy_of(date)
        ends = min(fy.end, books.shape.term_end)
        for number, account in enumerate(PROJECT_PRIORITY, start=1):
            by_fy[fy, account] = _Project(f"P-{fy.slug}-{number}", account, date, ends)
    spent: dict[str, Decimal] = {p.id: ZERO for p in by_fy.values()}
    for n in range(count):
        date = first + rng.randint(0, days) * ONE_DAY
        account = PROJECTS[n % len(PROJECTS)]
        amount = (Decimal(rng.randint(500, 40000)) / 100).quantize(PENNY)
        meta: dict[str, str] = {}
        if account in PROJECT_PRIORITY:
            project = by_fy.get((fy_of(date), account))
            if project is None:
                account = "Expenses:Training"
            else:
                date = max(date, project.approved)
                meta["project"] = project.id
                spent[project.id] += amount
        books.spend(date, f"Supplier {rng.randint(1, 400):03d}",
                    f"{account.rsplit(':', 1)[-1]} materials", account, amount, **meta)
    projects = sorted(by_fy.values(), key=lambda p: (p.approved, p.id))
    over = _project_over_budget(books, projects, spent) if "project-over-budget" in names \
        else None
    missing = _project_without_outcome(books, projects) if "project-without-outcome" in names \
        else None
    for date in agreeing:
        books.records.append(_Record(date, f'{date} custom "kcst-decision" "D-{date:%Y-%m}-3" '
                                     f'"The projects of the KCST business plan for {fy_of(date)}"'))
    for project in projects:
        budget = _budget_above(spent[project.id])
        if over is not None and project.id == over[0]:
            budget = over[1]
        books.records.append(_Record(project.approved, "\n".join((
            f'{project.approved} custom "kcst-project" "{project.id}" '
            f'"{project.account.rsplit(":", 1)[-1]} project {fy_of(project.approved)}" '
            f"{budget} GBP", f'  priority: "{PROJECT_PRIORITY[project.account]}"',
            f'  decision: "D-{project.approved:%Y-%m}-3"', f"  ends: {project.ends}"))))
        reported = add_months(project.ends, 1)
        if reported <= books.as_of and project.id != missing:
            books.records.append(_Record(reported, f'{reported} custom "kcst-outcome" '
                                         f'"{project.id}" "Delivered as planned"'))


def _budget_above(spent: Decimal) -> Decimal:
    """A budget the spend stays within: the next GBP 100 above it, and GBP 100 more."""
    return ((spent / 100).to_integral_value(rounding=ROUND_CEILING) * 100 + 100).quantize(PENNY)


def _project_over_budget(books: _Books, projects: list[_Project],
                         spent: dict[str, Decimal]) -> tuple[str, Decimal]:
    """A last payment on the first project taking it GBP 50.00 over its budget; the
    project's id and budget."""
    project = projects[0]
    budget = _budget_above(spent[project.id])
    date = min(project.ends, books.as_of)
    amount = budget - spent[project.id] + Decimal("50.00")
    books.spend(date, "Supplier 998", "Extra materials", project.account, amount,
                project=project.id)
    books.injected.append(Injected("project-over-budget", "project-link", date,
                                   f"{project.id} GBP 50.00 over its budget of {budget}"))
    return project.id, budget


def _project_without_outcome(books: _Books, projects: list[_Project]) -> str:
    """The first project whose outcome was due (three months after its end) before the
    as-of date: its outcome is left out."""
    for project in projects:
        due = add_months(project.ends, 3)
        if due < books.as_of:
            books.injected.append(Injected("project-without-outcome", "project-link", due,
                                           f"{project.id} ended {project.ends}, no outcome"))
            return project.id
    raise ShapeError("inject", "project-without-outcome: no project ended more than three "
                     "months before the as-of date (try more --years)")


def _contributions(books: _Books, schedule: list[_Instalment], names: set[str]) -> None:
    """Instalments that cover each quarter's spend with a margin and pay the minimum first."""
    short = _short_partner(books) if "contribution-below-minimum" in names else None
    spend_by_quarter: dict[datetime.date, Decimal] = {}
    quarters = sorted({i.quarter for i in schedule})
    for txn in books.txns:
        if txn.pool < 0:
            index = _quarter_index(quarters, txn.date)
            spend_by_quarter[quarters[index]] = spend_by_quarter.get(quarters[index], ZERO) - txn.pool
    payers: dict[datetime.date, list[_Instalment]] = {}
    for instalment in schedule:
        payers.setdefault(instalment.quarter, []).append(instalment)
    minimum = books.shape.minimum
    for quarter, instalments in payers.items():
        need = spend_by_quarter.get(quarter, ZERO) / COVER
        short_here = [i for i in instalments if short == (i.partner, fy_of(i.date))]
        full = [i for i in instalments if i not in short_here]
        paid_short = (minimum - MARGIN) if short_here else ZERO
        each = ((need - paid_short) / max(1, len(full))).quantize(POUND, rounding=ROUND_CEILING)
        for instalment in instalments:
            fy = fy_of(instalment.date)
            if instalment in short_here:
                amount = minimum - MARGIN
                books.injected.append(Injected("contribution-below-minimum",
                                               "contribution-minimum", fy.end,
                                               f"{instalment.partner} paid {amount} in {fy}"))
            else:
                amount = max(each, minimum + MARGIN) if instalment.first else max(each, POUND)
            books.contribution(instalment.date, instalment.partner, amount.quantize(PENNY),
                               f"Contribution {fy} (cl. 8.2)")


def _quarter_index(quarters: list[datetime.date], date: datetime.date) -> int:
    index = 0
    for position, quarter in enumerate(quarters):
        if quarter <= date:
            index = position
    return index


_MONEY_INJECTIONS = ("refund-to-partner", "withdrawal-before-notice-effective",
                     "withdrawal-over-portion")


def _money_injections(books: _Books, rng: random.Random, names: set[str], sites: _Sites) -> None:
    partners = books.shape.partners
    if "refund-to-partner" in names:
        date = sites.month("refund-to-partner") + 19 * ONE_DAY
        partner = partners[0]
        books.txns.append(_Txn(date, PARTNER_NAMES.get(partner, partner), "Refund of overpayment",
                               (("ref", books.ref("REFUND")),),
                               ((f"Income:Contributions:{partner}", Decimal("250.00")),
                                (books.pool, Decimal("-250.00"))), Decimal("-250.00")))
        books.injected.append(Injected("refund-to-partner", "roll-forward", date,
                                       f"GBP 250.00 refunded to {partner}"))
    if "withdrawal-before-notice-effective" in names:
        date = add_months(books.as_of, -1)
        _withdrawal(books, partners[0], date, Decimal("100.00"))
        books.injected.append(Injected("withdrawal-before-notice-effective", "withdrawal-notice",
                                       date, f"{partners[0]} withdrew before its notice took "
                                       "effect"))
    if "negative-pool-month-end" in names:
        month = sites.month("negative-pool-month-end",
                            lambda m: add_months(m, 1) <= books.as_of)
        last_day = month_end(month)
        overdraft = books.balance_on(last_day) + Decimal("500.00")
        books.spend(last_day, "Kent County Council", "Community safety week (paid ahead)",
                    CONTINGENCY, overdraft)
        books.contribution(last_day + ONE_DAY, partners[0], overdraft,
                           f"Contribution {fy_of(last_day + ONE_DAY)}: making good the overdraft")
        books.injected.append(Injected("negative-pool-month-end", "pool-solvency", last_day,
                                       "the pool overdrawn by GBP 500.00"))
    if "withdrawal-over-portion" in names:
        if len(partners) < 2:
            raise ShapeError("inject", "withdrawal-over-portion: needs at least two partners")
        partner, date = partners[0], books.as_of
        day_before = date - ONE_DAY
        total = sum((books.contributed(p, datetime.date.min, day_before) for p in partners), ZERO)
        portion = books.balance_on(day_before) * books.contributed(partner, datetime.date.min,
                                                                   day_before) / total
        _withdrawal(books, partner, date, (portion + Decimal("500.00")).quantize(PENNY))
        books.injected.append(Injected("withdrawal-over-portion", "withdrawal-notice", date,
                                       f"{partner} withdrew GBP 500.00 more than its portion"))


def _withdrawal(books: _Books, partner: str, date: datetime.date, amount: Decimal) -> None:
    books.txns.append(_Txn(date, books.shape.host, f"{partner}'s portion of the remaining funds",
                           (("ref", books.ref("WD")), ("withdrawal", partner)),
                           ((f"Equity:Withdrawn:{partner}", amount), (books.pool, -amount)),
                           -amount))


def _check_solvency(books: _Books) -> None:
    """The books are built to keep the pool in credit at every month end (a bug otherwise),
    but for an injected overdraft."""
    allowed = {i.date for i in books.injected if i.name == "negative-pool-month-end"}
    changes: dict[datetime.date, Decimal] = {}
    for txn in books.txns:
        key = month_end(txn.date)
        changes[key] = changes.get(key, ZERO) + txn.pool
    balance = ZERO
    for last_day in sorted(changes):
        balance += changes[last_day]
        if balance < 0 and last_day not in allowed:
            raise AssertionError(f"synthetic books overdrawn at {last_day}: {balance}")


def _year_ends(books: _Books, names: set[str]) -> list[tuple[datetime.date, FinancialYear, Decimal]]:
    """(day, FY, carried forward) for each FY of a term that ended before the as-of date."""
    years = sorted({fy for a in books.agreements for fy in fys_between(a.start, a.end)
                    if fy.end < books.as_of})
    changes = sorted((t.date, t.pool) for t in books.txns)
    result, balance, index = [], ZERO, 0
    for fy in years:
        while index < len(changes) and changes[index][0] <= fy.end:
            balance += changes[index][1]
            index += 1
        result.append((fy.end, fy, balance))
    if "year-end-mismatch" in names:
        if not result:
            raise ShapeError("inject", "year-end-mismatch: no FY has ended before the as-of date")
        date, fy, amount = result[0]
        result[0] = (date, fy, amount + Decimal("1.00"))
        books.injected.append(Injected("year-end-mismatch", "roll-forward", date,
                                       f"the {fy} year end carries GBP 1.00 too much"))
    if "tampered-sealed-period" in names and not (result and books.shape.seal):
        raise ShapeError("inject", "tampered-sealed-period: needs a sealed FY (one ended before "
                         "the as-of date, and seal on)")
    return result


# ---------------------------------------------------------------------------------------
# Rendering


def _txn_text(txn: _Txn) -> str:
    lines = [f'{txn.date} * "{txn.payee}" "{txn.narration}"']
    lines += [f'  {key}: "{value}"' for key, value in txn.meta]
    lines += [f"  {account:<40}{amount:>14} GBP" for account, amount in txn.postings]
    return "\n".join(lines)


def _terms_text(books: _Books) -> str:
    shape = books.shape
    opened = fy_of(books.term_start - 31 * ONE_DAY).start
    lines = ["; The agreement's terms and the chart of accounts (synthetic).", ""]
    accounts = [books.pool, *(f"Income:Contributions:{p}" for p in shape.partners),
                *(f"Equity:Withdrawn:{p}" for p in shape.partners),
                *(p.account for p in books.posts), OTHER_STAFF, *PROJECTS, CONTINGENCY]
    lines += [f"{opened} open {account:<40} GBP" for account in accounts]
    lines += [f"{opened} open {HOT_DESKING:<40} GBP", '  approval: "smt"', ""]
    lines += [f'{opened} custom "kcst-priority" "{key}" "{title}"' + ("\n  theme: TRUE" if theme
                                                                       else "")
              for key, title, theme in PRIORITIES]
    lines.append("")
    for agreement in books.agreements:
        reviews = " ".join(f"{m:%Y-%m}" for m in agreement.reviews)
        lines += [f'{agreement.start} custom "kcst-agreement" "{agreement.name}" {agreement.end}',
                  f'  partners: "{" ".join(shape.partners)}"', f'  host: "{shape.host}"',
                  f"  pool: {books.pool}", "  meeting-interval-months: 2", "  notice-months: 6"]
        lines += [f'  reviews: "{reviews}"'] if reviews else []
        lines.append("")
    lines += [f'{fy_of(books.term_start).start} custom "kcst-contribution-minimum" '
              f"{shape.minimum.quantize(PENNY)} GBP", ""]
    for post in books.posts:
        lines += [f'{post.start} custom "kcst-post" "{post.title}" {post.account} '
                  f"{post.annual} GBP", f'  host: "{post.host}"', f"  months: {post.months}"]
        if post.reports:
            lines.append("  reports-performance: TRUE")
        lines.append("")
    return "\n".join(lines)


def _render(books: _Books, year_ends: list[tuple[datetime.date, FinancialYear, Decimal]],
            names: set[str], rng: random.Random) -> tuple[tuple[str, str], ...]:
    blocks: dict[FinancialYear, list[tuple[datetime.date, int, str]]] = {}
    sequence = 0
    # The records first on a day (a meeting before the spend its decision allows).
    for record in books.records:
        if record.text.split('"', 2)[1] == "kcst-deadline":
            continue  # with the terms
        blocks.setdefault(fy_of(record.date), []).append((record.date, sequence, record.text))
        sequence += 1
    tamper = None
    if "tampered-sealed-period" in names:
        sealed_fy = year_ends[0][1]
        candidates = [t for t in books.txns if sealed_fy.contains(t.date)]
        if not candidates:
            raise ShapeError("inject", f"tampered-sealed-period: {sealed_fy} has no transaction")
        tamper = candidates[rng.randrange(len(candidates))]
    for txn in sorted(books.txns, key=lambda t: t.date):
        blocks.setdefault(fy_of(txn.date), []).append((txn.date, sequence + 1_000_000_000,
                                                       _txn_text(txn)))
        sequence += 1
    deadlines = "\n\n".join(r.text for r in books.records
                            if r.text.split('"', 2)[1] == "kcst-deadline")
    terms = _terms_text(books) + "\n" + deadlines + "\n"
    records = _year_end_records(books, terms, blocks, year_ends)
    for date, fy, _ in year_ends:
        blocks.setdefault(fy, []).append((date, 2_000_000_000, records[date]))
    if tamper is not None:
        original = _txn_text(tamper)
        edited = _txn_text(replace(tamper, narration=tamper.narration + " (amended)"))
        fy = fy_of(tamper.date)
        blocks[fy] = [(d, s, edited if t == original else t) for d, s, t in blocks[fy]]
        books.injected.append(Injected("tampered-sealed-period", "period-lock", tamper.date,
                                       f"narration of {dict(tamper.meta)['ref']} edited after "
                                       f"{fy} was sealed"))
    files = [(MAIN, _main_text(books, sorted(blocks))), (TERMS, terms)]
    for fy in sorted(blocks):
        body = "\n\n".join(text for _, _, text in sorted(blocks[fy]))
        files.append((f"{fy.slug}.beancount", f"; FY {fy} (synthetic).\n\n{body}\n"))
    return tuple(files)


def _main_text(books: _Books, years: Iterable[FinancialYear]) -> str:
    shape = books.shape
    opened = fy_of(books.term_start - 31 * ONE_DAY).start
    injected = ", ".join(shape.inject) or "none"
    lines = [f"; Synthetic KCST books (tools.synthetic): seed {shape.seed}, "
             f"{shape.transactions} transactions asked, {shape.years} year(s), "
             f"{shape.agreements} agreement(s), partners {' '.join(shape.partners)}.",
             f"; Injected breaches: {injected}. Illustrative figures, not anyone's accounts.",
             "", 'option "title" "KCST synthetic books"', 'option "operating_currency" "GBP"',
             f'plugin "kcst_budget.plugin" "as-of: {books.as_of}"',
             f'{opened} custom "fava-option" "fiscal-year-end" "03-31"', "",
             f'include "{TERMS}"']
    lines += [f'include "{fy.slug}.beancount"' for fy in years]
    return "\n".join(lines) + "\n"


def _year_end_records(books: _Books, terms: str,
                      blocks: dict[FinancialYear, list[tuple[datetime.date, int, str]]],
                      year_ends: list[tuple[datetime.date, FinancialYear, Decimal]]
                      ) -> dict[datetime.date, str]:
    """Each year end's record; with ``seal`` on, its digest computed as ``kcst close-year``
    does: over the entries the real loader reads (the plugin left out: it only adds
    entries the digest skips) and, the seals being a chain, the records before it."""
    from beancount import loader
    from beancount.parser import parser

    from kcst_budget.seal import digest

    texts = {date: f'{date} custom "kcst-year-end" "{fy}" {amount.quantize(PENNY)} GBP'
             for date, fy, amount in year_ends}
    if not (books.shape.seal and year_ends):
        return texts
    body = "\n\n".join(text for fy in sorted(blocks) for _, _, text in blocks[fy])
    opened = fy_of(books.term_start - 31 * ONE_DAY).start
    text = (f'option "operating_currency" "GBP"\n{opened} custom "fava-option" '
            f'"fiscal-year-end" "03-31"\n{terms}\n{body}\n')
    entries, errors, _ = loader.load_string(text)
    if errors:
        raise AssertionError(f"synthetic books do not load: {errors[0].message}")
    for date in sorted(texts):
        texts[date] += f'\n  digest: "{digest(entries, date)}"'
        record, _, _ = parser.parse_string(texts[date])
        entries = [*entries, *record]
    return texts


# ---------------------------------------------------------------------------------------
# The command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.synthetic",
        description="Generate synthetic KCST books, compliant by construction, optionally "
                    "with breaches injected.")
    parser.add_argument("--transactions", type=int, default=1000,
                        help="at least this many transactions (default 1000)")
    parser.add_argument("--years", type=int, default=2, help="the term in years (default 2)")
    parser.add_argument("--agreements", type=int, default=1,
                        help="successive agreements sharing the term (default 1)")
    parser.add_argument("--start", default="2018-04-01",
                        help="first day of the term, a 1st of a month (default 2018-04-01)")
    parser.add_argument("--partners", type=int, default=3,
                        help="how many partners: KCC KFRS KP, then P4, P5... (default 3)")
    parser.add_argument("--posts", type=int, default=3, help="jointly funded posts (default 3)")
    parser.add_argument("--as-of", default=None,
                        help="write the books up to this day (default: the term's last day)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--inject", action="append", default=[], metavar="NAME",
                        help="a breach to put in: an injection name or a rule id (repeatable)")
    parser.add_argument("--no-seal", action="store_true",
                        help="year-end records without digests (saves one load of the books)")
    parser.add_argument("--list-injections", action="store_true",
                        help="list the breaches that can be injected, and exit")
    parser.add_argument("--out", type=Path, help="folder to write the books into")
    parser.add_argument("--force", action="store_true",
                        help="write into --out even if it already holds a main.beancount")
    args = parser.parse_args(argv)
    if args.list_injections:
        for injection in INJECTIONS.values():
            print(f"{injection.name:<36} [{injection.rule}] {injection.description}")
        return 0
    try:
        if args.out is None:
            raise ShapeError("out", "name the folder to write the books into")
        if (args.out / MAIN).exists() and not args.force:
            raise ShapeError("out", f"{args.out / MAIN} already exists (--force to replace it)")
        shape = Shape(transactions=args.transactions, years=args.years,
                      agreements=args.agreements, start=_date("start", args.start),
                      partners=partner_codes(args.partners) if args.partners > 0 else (),
                      posts=args.posts,
                      as_of=_date("as-of", args.as_of) if args.as_of else None,
                      seed=args.seed, inject=tuple(args.inject), seal=not args.no_seal)
        ledger = generate(shape)
    except ShapeError as problem:
        print(f"tools.synthetic: {problem}", file=sys.stderr)
        return 2
    path = ledger.write(args.out)
    print(f"{path}: {ledger.transactions} transactions, as of {ledger.as_of}"
          + "".join(f"\n  injected {i.name} [{i.rule}] on {i.date}: {i.note}"
                    for i in ledger.injected))
    return 0


def _date(argument: str, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ShapeError(argument, f"{text!r} is not a date like 2018-04-01") from None


if __name__ == "__main__":
    sys.exit(main())
