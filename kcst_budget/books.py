"""The books: a loaded ledger with its terms and the pool's movements, indexed once.

Every presenter (the ``kcst`` command, the Fava dashboard, the reports) reads a ``Books``;
the rules and the money views are functions of it.

Spec section 1, in the ledger's words::

    2018-04-18 * "Kent Police" "Contribution 2018/19"
      Assets:KFRS:KCST-Pool         16000.00 GBP
      Income:Contributions:KP      -16000.00 GBP

A transaction touching the pool account is a *movement*: a contribution credits
``Income:Contributions:<CODE>``; pool spend is any ``Expenses:`` posting on a transaction
that credits the pool; a withdrawal credits the pool to ``Equity:Withdrawn:<CODE>`` with
``withdrawal: "<CODE>"`` metadata.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data

from kcst_budget.amounts import ZERO
from kcst_budget.loaderrors import placed
from kcst_budget.periods import FinancialYear
from kcst_budget.source import Source
from kcst_budget.terms import Terms, TermsError, parse_terms

CONTRIBUTIONS = "Income:Contributions:"
#: Metadata key marking an entry the plugin generated (post budgets, the dashboard line).
GENERATED = "kcst-generated"
WITHDRAWN = "Equity:Withdrawn:"
EXPENSES = "Expenses:"


class BooksError(NamedTuple):
    """A pool posting the contract cannot read (e.g. a contribution from no partner)."""

    source: dict[str, Any]
    message: str
    entry: Any


class Movement(NamedTuple):
    """One transaction that moves money into or out of the pool.

    Immutable like the dataclasses around it, but a named tuple, as Beancount's own
    directives are: the books hold one per pool transaction (100,000 on big books) and a
    tuple is built several times faster than a frozen dataclass. ``source`` is read from
    the transaction's metadata when a finding needs it.
    """

    date: datetime.date
    pool_change: Decimal  # + into the pool, - out of it
    contributions: tuple[tuple[str, Decimal], ...]  # (partner, paid in; negative = refunded)
    spend: tuple[tuple[str, Decimal], ...]  # (Expenses account, amount) on a pool-crediting txn
    returned: tuple[tuple[str, Decimal], ...]  # (partner, amount) to Equity:Withdrawn:<CODE>
    withdrawal: str | None  # the partner named by ``withdrawal:`` metadata
    decision: str | None  # ``decision:`` metadata (cl. 10.3)
    ref: str | None
    payee: str
    narration: str
    entry: data.Transaction

    @property
    def source(self) -> Source:
        return Source.of(self.entry.meta)

    @property
    def is_spend(self) -> bool:
        return bool(self.spend)


@dataclass(frozen=True)
class Books:
    """A ledger read once: entries, its own errors, its terms and its pool movements."""

    path: str | None
    entries: Sequence[data.Directive] = field(repr=False)
    options: dict[str, Any] = field(repr=False)
    errors: tuple[Any, ...]  # the ledger's own errors (never rule findings)
    terms: Terms
    movements: tuple[Movement, ...]
    _dates: tuple[datetime.date, ...] = field(default=(), repr=False, compare=False)
    _running: tuple[Decimal, ...] = field(default=(), repr=False, compare=False)

    def balance_on(self, date: datetime.date) -> Decimal:
        """The pool balance at the end of ``date``."""
        index = bisect.bisect_right(self._dates, date)
        return self._running[index - 1] if index else ZERO

    def movements_between(self, first: datetime.date, last: datetime.date) -> tuple[Movement, ...]:
        """Movements dated from ``first`` to ``last`` inclusive."""
        low = bisect.bisect_left(self._dates, first)
        high = bisect.bisect_right(self._dates, last)
        return self.movements[low:high]

    def movements_in(self, fy: FinancialYear) -> tuple[Movement, ...]:
        return self.movements_between(fy.start, fy.end)

    def contributed(self, partner: str, first: datetime.date, last: datetime.date) -> Decimal:
        """A partner's net contributions dated from ``first`` to ``last``."""
        return sum((amount for m in self.movements_between(first, last)
                    for code, amount in m.contributions if code == partner), ZERO)

    @cached_property
    def seal_digests(self) -> dict[datetime.date, str]:
        """The digest (``money.yearend``) of the entries at each ``kcst-year-end`` record's
        date: every entry up to the last year end serialised once per load, whoever asks
        (period-lock, the roll-forward, the dashboard, the audit pack)."""
        from kcst_budget.money.yearend import digests

        dates = [y.date for y in self.terms.year_ends]
        if not dates:
            return {}
        last = max(dates)
        # the loader's entries are in date order: only those a seal covers are read
        return digests(itertools.takewhile(lambda entry: entry.date <= last, self.entries), dates)

    @cached_property
    def spending(self) -> dict[str, tuple[tuple[int, Decimal], ...]]:
        """Each ``Expenses:`` account the pool paid: (movement index, amount) in date order.

        The rules about particular accounts (staff, posts, office accommodation) read their
        accounts' spend here instead of passing over every movement.
        """
        by_account: dict[str, list[tuple[int, Decimal]]] = {}
        for index, movement in enumerate(self.movements):
            for account, amount in movement.spend:
                found = by_account.get(account)
                if found is None:
                    by_account[account] = [(index, amount)]
                else:
                    found.append((index, amount))
        return {account: tuple(found) for account, found in by_account.items()}

    def spend_on(self, account: str, as_of: datetime.date,
                 since: datetime.date = datetime.date.min) -> Iterator[tuple[Movement, Decimal]]:
        """The pool's spend on ``account`` dated from ``since`` to ``as_of``, in date order."""
        movements = self.movements
        for index, amount in self.spending.get(account, ()):
            movement = movements[index]
            if movement.date > as_of:
                return
            if movement.date >= since:
                yield movement, amount

    def seal_digests_if_read(self) -> dict[datetime.date, str] | None:
        """``seal_digests`` if this reading of the books has computed them, else None."""
        return vars(self).get("seal_digests")

    @property
    def last_date(self) -> datetime.date | None:
        """The date of the ledger's last entry written by its keeper (not the plugin)."""
        for entry in reversed(self.entries):
            if not (entry.meta and entry.meta.get(GENERATED)):
                return entry.date
        return None


def load_books(path: str | Path) -> Books:
    """Load a ledger with the real Beancount loader (uncached, as Fava does) and index it."""
    path = str(Path(path).resolve())
    entries, errors, options = loader._load([(path, True)], None, None, None)
    errors = placed(errors, options, path)  # include errors at their line; a BOM named
    return books_of(entries, errors, options, path)


def load_books_string(text: str) -> Books:
    """Load ledger text (tests, the ``record`` command's trial load)."""
    entries, errors, options = loader.load_string(text)
    return books_of(entries, errors, options, None)


def books_of(entries: Sequence[data.Directive], errors: Iterable[Any], options: dict[str, Any],
             path: str | None) -> Books:
    """The ``Books`` of a loaded ledger: the plugin's reading if it left one, else our own.

    The plugin (``kcst_budget.plugin``) parses the terms and indexes the pool while the
    ledger loads and leaves that reading in the options map, so nothing is parsed twice.
    Rule findings the plugin reported as errors are not the ledger's own errors.
    """
    from kcst_budget.findings import RuleError  # the plugin's breaches, judged again on demand

    reading = options.get(READING_KEY)
    if isinstance(reading, Reading) and reading.entry_count == len(entries):
        own_errors = tuple(e for e in errors if not isinstance(e, RuleError))
        terms, movements = reading.terms, reading.movements
        seals = reading.seal_digests
    else:  # no plugin line, or a later plugin (e.g. pad) added entries: read them afresh
        terms, terms_errors = parse_terms(entries)
        movements, movement_errors = index_movements(entries, terms)
        own_errors = tuple(e for e in errors
                           if not isinstance(e, (RuleError, TermsError, BooksError)))
        own_errors += tuple(terms_errors) + tuple(movement_errors)
        seals = None
    return make_books(path, entries, options, own_errors, terms, movements, seals)


def make_books(path: str | None, entries: Sequence[data.Directive], options: dict[str, Any],
               errors: tuple[Any, ...], terms: Terms, movements: tuple[Movement, ...],
               seal_digests: dict[datetime.date, str] | None = None) -> Books:
    """Books over the entries; ``seal_digests``, when the plugin computed them for the same
    entries, are taken as they are instead of serialising the ledger again."""
    dates = tuple(m.date for m in movements)
    running = tuple(itertools.accumulate((m.pool_change for m in movements), initial=ZERO))[1:]
    books = Books(path, entries, options, errors, terms, movements, dates, running)
    if seal_digests is not None:
        vars(books)["seal_digests"] = seal_digests  # what the cached property would compute
    return books


#: The options-map key under which the plugin leaves its reading of the books.
READING_KEY = "kcst_reading"


@dataclass(frozen=True)
class Reading:
    """What the plugin parsed while the ledger loaded (terms, movements, judgement)."""

    entry_count: int  # how many entries the plugin read (a later plugin may add some)
    terms: Terms
    movements: tuple[Movement, ...]
    judgement: Any  # kcst_budget.rules.Judgement, as of ``judgement.as_of``
    seal_digests: dict[datetime.date, str] | None = None  # when the plugin computed them


def index_movements(entries: Sequence[data.Directive],
                    terms: Terms) -> tuple[tuple[Movement, ...], list[BooksError]]:
    """Every transaction that touches a pool account, classified in one pass.

    This runs on every load of the books (the plugin), so it is kept to one loop over
    each transaction's postings and one tuple per movement.
    """
    pools = terms.pools
    partners = set(terms.partners)
    movements: list[Movement] = []
    errors: list[BooksError] = []
    if not pools:
        return (), errors
    append = movements.append
    transaction = data.Transaction
    new = tuple.__new__  # Movement(...) without its keyword-handling __new__
    for entry in entries:
        if type(entry) is not transaction:
            continue
        pool_change = None
        others = []
        for posting in entry.postings:
            # a posting is (account, units, cost, price, flag, meta); units is (number, currency)
            if posting[0] in pools:
                units = posting[1]
                if units is not None:
                    pool_change = ZERO + units[0] if pool_change is None else pool_change + units[0]
            else:
                others.append(posting)
        if pool_change is None:
            continue
        contributions: tuple[tuple[str, Decimal], ...] = ()
        spend: tuple[tuple[str, Decimal], ...] = ()
        returned: tuple[tuple[str, Decimal], ...] = ()
        for posting in others:
            account = posting[0]
            if account.startswith(EXPENSES):
                if pool_change < 0:
                    spend += ((account, posting[1][0]),)
            elif account.startswith(CONTRIBUTIONS):
                code = account[len(CONTRIBUTIONS):].split(":")[0]
                if code not in partners:
                    errors.append(BooksError(entry.meta, f"{account}: {code!r} is no partner "
                                             f"of the agreement", entry))
                contributions += ((code, -posting[1][0]),)
            elif account.startswith(WITHDRAWN):
                returned += ((account[len(WITHDRAWN):].split(":")[0], posting[1][0]),)
        meta = entry.meta or {}
        withdrawal, decision, ref = meta.get("withdrawal"), meta.get("decision"), meta.get("ref")
        payee, narration = entry.payee, entry.narration
        append(new(Movement, (
            entry.date, pool_change, contributions, spend, returned,
            None if withdrawal is None else str(withdrawal),
            None if decision is None else str(decision),
            None if ref is None else str(ref), payee or "", narration or "", entry,
        )))
    return tuple(movements), errors
