"""The books: a loaded ledger and the one reading of it every presenter shares.

The plugin reads the books while Beancount loads them (``read``): the terms, the pool's
movements, the partners' net contributions, the plugin line's as-of date. That reading is
one typed object, made once per load and handed to whoever loaded the ledger (``kcst``,
the Fava dashboard, the reports) through ``books_of``, the way a Fava module keeps what a
load produced. Nothing is parsed or indexed twice, and nothing large rides in Beancount's
options map: it holds only a small key (``KEY_OPTION``) to the reading of that very load.

Spec section 1, in the ledger's words::

    2018-04-18 * "Kent Police" "Contribution 2018/19"
      Assets:KFRS:KCST-Pool         16000.00 GBP
      Income:Contributions:KP      -16000.00 GBP

A transaction touching the pool account is a *movement*: pool spend is any ``Expenses:``
posting on a transaction that credits the pool; a withdrawal credits the pool to
``Equity:Withdrawn:<CODE>``. Its ``decision:`` (cl. 10.3) and ``project:`` (spec section 8)
are read with it. A partner's *net contributions* are every posting to
``Income:Contributions:<CODE>``, negated, whatever the other legs (a reclassification
journal between two partners moves money between them without touching the pool).

An entry and its reversal (``reverses: "REF"``, spec section 7) cancel: neither is a
movement nor a contribution, so no rule judges them and no figure counts them.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from beancount import loader
from beancount.core import data

from kcst_budget import asof
from kcst_budget.amounts import ZERO
from kcst_budget.loaderrors import placed
from kcst_budget.source import Source
from kcst_budget.terms import Terms, TermsError, YearEnd, parse_terms

CONTRIBUTIONS = "Income:Contributions:"
WITHDRAWN = "Equity:Withdrawn:"
EXPENSES = "Expenses:"
#: Metadata the plugin puts on the entries it generates, so people can tell them apart
#: in Fava. Never trusted to recognise them: anyone can write it in a file.
GENERATED = "kcst-generated"
#: The plugin's module, as a ledger's ``plugin`` line names it.
PLUGIN = "kcst_budget.plugin"
#: The options-map key holding the key to this load's reading.
KEY_OPTION = "kcst_reading"
#: The directive that rolls an FY forward and seals it (spec section 3).
YEAR_END = "kcst-year-end"
#: How many judgements (one per as-of date asked) a reading keeps.
JUDGEMENTS_KEPT = 16


class BooksError(NamedTuple):
    """A posting the contract cannot read (a contribution from no partner, a reversal of
    nothing), in Beancount's error shape."""

    source: dict[str, Any]
    message: str
    entry: Any


class Movement(NamedTuple):
    """One transaction that moves money into or out of the pool.

    A named tuple, as Beancount's own directives are: the books hold one per pool
    transaction (100,000 on big books) and a tuple is built several times faster than a
    frozen dataclass. ``source`` is read from the transaction's metadata when asked.
    """

    date: datetime.date
    pool_change: Decimal  # + into the pool, - out of it
    contributions: tuple[tuple[str, Decimal], ...]  # (partner, paid in; negative = paid back)
    spend: tuple[tuple[str, Decimal], ...]  # (Expenses account, amount) on a pool-crediting txn
    returned: tuple[tuple[str, Decimal], ...]  # (partner, amount) to Equity:Withdrawn:<CODE>
    withdrawal: str | None  # the partner named by ``withdrawal:`` metadata
    decision: str | None  # ``decision:`` metadata (cl. 10.3)
    project: str | None  # ``project:`` metadata (spec section 8)
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


class Contribution(NamedTuple):
    """One posting to ``Income:Contributions:<CODE>``: ``amount`` paid in (negated)."""

    date: datetime.date
    partner: str
    amount: Decimal
    entry: data.Transaction


@dataclass(frozen=True, eq=False)
class Reading:
    """What one load of the books says, read once: the terms, the pool's movements, the
    partners' contributions, the plugin line's as-of date, and the judgements asked of it."""

    entries: Sequence[data.Directive] = field(repr=False)
    terms: Terms = field(repr=False)
    movements: tuple[Movement, ...] = field(repr=False)
    contributions: tuple[Contribution, ...] = field(repr=False)
    errors: tuple[Any, ...]  # the terms' and the index's (never rule findings)
    plugin_as_of: datetime.date | None  # the plugin line's ``as-of``
    as_of_error: str | None  # the plugin line names a malformed as-of (also in ``errors``)
    #: ``id`` of each entry the plugin generated (post budgets, the dashboard line): the
    #: only entries that stand in no source file.
    generated: frozenset[int] = field(default=frozenset(), repr=False)
    #: When this reading is of the entries after Beancount's own plugins ran (``pad``
    #: adds padding transactions after ours): the entries the plugin read, which the
    #: seals cover. None: ``entries`` are those.
    read_by_plugin: Sequence[data.Directive] | None = field(default=None, repr=False)
    judgements: OrderedDict = field(default_factory=OrderedDict, repr=False)

    @cached_property
    def _dates(self) -> tuple[datetime.date, ...]:
        return tuple(m.date for m in self.movements)

    @cached_property
    def _running(self) -> tuple[Decimal, ...]:
        return tuple(itertools.accumulate((m.pool_change for m in self.movements),
                                          initial=ZERO))[1:]

    @cached_property
    def _by_partner(self) -> dict[str, tuple[tuple[datetime.date, ...], tuple[Decimal, ...],
                                             tuple[Contribution, ...]]]:
        """Per partner: its contributions' dates, running totals and the postings."""
        grouped: dict[str, list[Contribution]] = {}
        for contribution in self.contributions:
            grouped.setdefault(contribution.partner, []).append(contribution)
        return {code: (tuple(c.date for c in rows),
                       tuple(itertools.accumulate((c.amount for c in rows), initial=ZERO)),
                       tuple(rows))
                for code, rows in grouped.items()}

    @cached_property
    def spending(self) -> dict[str, tuple[tuple[int, Decimal], ...]]:
        """Each ``Expenses:`` account the pool paid: (movement index, amount) in date order."""
        return self._spend_index[0]

    @cached_property
    def project_spending(self) -> dict[str, tuple[tuple[int, Decimal], ...]]:
        """Each project cited by pool spend: (movement index, the movement's spend) in date
        order (spec section 8: a project's spend is the pool spend citing it)."""
        return self._spend_index[1]

    @cached_property
    def _spend_index(self) -> tuple[dict[str, tuple[tuple[int, Decimal], ...]],
                                    dict[str, tuple[tuple[int, Decimal], ...]]]:
        """The pool's spend by account and by project, in one pass over the movements (this
        runs on every load: a lookup and an append per posting)."""
        by_account: dict[str, list[tuple[int, Decimal]]] = {}
        by_project: dict[str, list[tuple[int, Decimal]]] = {}
        for index, movement in enumerate(self.movements):
            spend = movement.spend
            if not spend:
                continue
            for account, amount in spend:
                found = by_account.get(account)
                if found is None:
                    by_account[account] = [(index, amount)]
                else:
                    found.append((index, amount))
            project = movement.project
            if project is not None:
                total = spend[0][1] if len(spend) == 1 else sum((a for _, a in spend), ZERO)
                found = by_project.get(project)
                if found is None:
                    by_project[project] = [(index, total)]
                else:
                    found.append((index, total))
        return ({account: tuple(found) for account, found in by_account.items()},
                {project: tuple(found) for project, found in by_project.items()})

    @cached_property
    def seal_digests(self) -> dict[Source, str]:
        """The digest each ``kcst-year-end`` record must carry now (``kcst_budget.seal``:
        every entry standing in a source file dated on or before it, but itself), by the
        record's file and line."""
        from kcst_budget.seal import chain

        if not self.terms.year_ends:
            return {}
        last = max(y.date for y in self.terms.year_ends)
        # the loader's entries are in date order: only those a seal covers are read
        covered = list(self.in_source(itertools.takewhile(lambda entry: entry.date <= last,
                                                          self.sealed_entries)))
        records = [entry for entry in covered
                   if type(entry) is data.Custom and entry.type == YEAR_END]
        return {Source.of(record.meta): digest
                for record, digest in zip(records, chain(covered, records), strict=True)}

    @property
    def sealed_entries(self) -> Sequence[data.Directive]:
        """The entries the seals cover: as Beancount handed them to the plugin (the
        padding Beancount adds after it stands in no file), those it generated aside."""
        return self.entries if self.read_by_plugin is None else self.read_by_plugin

    def in_source(self, entries: Iterable[data.Directive]) -> Iterator[data.Directive]:
        """The entries that stand in a source file (not generated by the plugin)."""
        generated = self.generated
        return (entry for entry in entries if id(entry) not in generated)


def read(entries: Sequence[data.Directive], options_map: dict[str, Any],
         generated: frozenset[int] = frozenset(),
         read_by_plugin: Sequence[data.Directive] | None = None) -> Reading:
    """Read the books once: parse the terms, index the pool and the contributions.

    A malformed plugin ``as-of`` is an error of the ledger, at the plugin line.
    """
    terms, errors = parse_terms(entries)
    movements, contributions, index_errors = index(entries, terms)
    errors = [*errors, *index_errors]
    plugin_as_of, refused = None, None
    try:
        plugin_as_of = asof.configured(plugin_config(options_map))
    except asof.AsOfError as problem:
        refused = str(problem)
        errors.append(BooksError(plugin_line(options_map), refused, None))
    return Reading(entries, terms, movements, contributions, tuple(errors), plugin_as_of,
                   refused, generated, read_by_plugin)


def plugin_config(options_map: dict[str, Any]) -> str | None:
    """The configuration string of the ledger's ``plugin "kcst_budget.plugin"`` line."""
    for name, config in options_map.get("plugin", ()):
        if name == PLUGIN:
            return config
    return None


def plugin_line(options_map: dict[str, Any]) -> dict[str, Any]:
    """The metadata (file, line) of the plugin line, found in the ledger's files."""
    for filename in options_map.get("include", ()):
        try:
            lines = Path(filename).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            if line.startswith("plugin") and f'"{PLUGIN}"' in line:
                return data.new_metadata(filename, number)
    return data.new_metadata(str(options_map.get("filename", "<ledger>")), 0)


# ---- Handing the reading over ------------------------------------------------------------------

class ReadingKey:
    """What the options map holds: a key to the reading of the load that made it.

    Small when shown (Fava's Options page prints every option) and empty when pickled
    (Beancount's load cache): a cached load has no reading, so it is read afresh.
    """

    __slots__ = ("__weakref__",)

    def __repr__(self) -> str:
        return "<kcst reading of this load>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReadingKey, ())


_READINGS: weakref.WeakKeyDictionary[ReadingKey, Reading] = weakref.WeakKeyDictionary()


def hand_over(options_map: dict[str, Any], reading: Reading) -> None:
    """Leave ``reading`` for whoever loaded the books (the plugin does this)."""
    key = ReadingKey()
    _READINGS[key] = reading
    options_map[KEY_OPTION] = key


def handed_over(options_map: dict[str, Any]) -> Reading | None:
    key = options_map.get(KEY_OPTION)
    return _READINGS.get(key) if isinstance(key, ReadingKey) else None


# ---- The books ---------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Books:
    """A ledger as loaded: its entries, its own errors and the reading of them."""

    path: str | None
    entries: Sequence[data.Directive] = field(repr=False)
    options: dict[str, Any] = field(repr=False)
    errors: tuple[Any, ...]  # the ledger's own errors (never rule findings)
    reading: Reading = field(repr=False)

    @property
    def terms(self) -> Terms:
        return self.reading.terms

    @property
    def movements(self) -> tuple[Movement, ...]:
        return self.reading.movements

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        return self.reading.contributions

    @property
    def title(self) -> str:
        return str(self.options.get("title") or "KCST Pooled Budget")

    def as_of(self, given: datetime.date | None = None) -> datetime.date:
        """The one as-of rule (``kcst_budget.asof``): ``given``, else the plugin line's,
        else today."""
        return asof.as_of(given, self.reading.plugin_as_of)

    def balance_on(self, date: datetime.date) -> Decimal:
        """The pool balance at the end of ``date``."""
        index = bisect.bisect_right(self.reading._dates, date)
        return self.reading._running[index - 1] if index else ZERO

    def movements_between(self, first: datetime.date, last: datetime.date) -> tuple[Movement, ...]:
        """Movements dated from ``first`` to ``last`` inclusive."""
        dates = self.reading._dates
        return self.movements[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]

    def net_contributions(self, partner: str, first: datetime.date,
                          last: datetime.date) -> Decimal:
        """A partner's net contributions dated from ``first`` to ``last`` (spec section 1);
        nothing when ``last`` is before ``first`` (a later FY seen from an earlier as-of date)."""
        found = self.reading._by_partner.get(partner)
        if found is None or first > last:
            return ZERO
        dates, running, _ = found
        return running[bisect.bisect_right(dates, last)] - running[bisect.bisect_left(dates, first)]

    def contributions_of(self, partner: str, first: datetime.date,
                         last: datetime.date) -> tuple[Contribution, ...]:
        """A partner's contribution postings dated from ``first`` to ``last``."""
        found = self.reading._by_partner.get(partner)
        if found is None:
            return ()
        dates, _, rows = found
        return rows[bisect.bisect_left(dates, first):bisect.bisect_right(dates, last)]

    @property
    def spending(self) -> dict[str, tuple[tuple[int, Decimal], ...]]:
        return self.reading.spending

    def spend_on(self, account: str, last: datetime.date,
                 first: datetime.date = datetime.date.min) -> Iterator[tuple[Movement, Decimal]]:
        """The pool's spend on ``account`` dated from ``first`` to ``last``, in date order."""
        movements = self.movements
        for index, amount in self.spending.get(account, ()):
            movement = movements[index]
            if movement.date > last:
                return
            if movement.date >= first:
                yield movement, amount

    def spend_citing(self, project: str, last: datetime.date,
                     first: datetime.date = datetime.date.min
                     ) -> Iterator[tuple[Movement, Decimal]]:
        """The pool's spend citing ``project`` dated from ``first`` to ``last``, in date order."""
        movements = self.movements
        for index, amount in self.reading.project_spending.get(project, ()):
            movement = movements[index]
            if movement.date > last:
                return
            if movement.date >= first:
                yield movement, amount

    @property
    def seal_digests(self) -> dict[Source, str]:
        return self.reading.seal_digests

    def seal_now(self, year_end: YearEnd) -> str:
        """The digest ``year_end`` must carry for the books as they stand (the chain)."""
        return self.reading.seal_digests[year_end.source]

    def digest(self, through: datetime.date) -> str:
        """The seal (``kcst_budget.seal``) of every entry standing in a source file dated on
        or before ``through``: what ``kcst close-year`` writes (the FY has no record yet)."""
        from kcst_budget.seal import digest

        return digest(self.reading.in_source(self.reading.sealed_entries), through)

    def is_generated(self, entry: data.Directive) -> bool:
        return id(entry) in self.reading.generated

    @property
    def last_date(self) -> datetime.date | None:
        """The date of the ledger's last entry written by its keeper (not the plugin)."""
        for entry in reversed(self.entries):
            if not self.is_generated(entry):
                return entry.date
        return None


def load_books(path: str | Path) -> Books:
    """Load a ledger with the real Beancount loader (uncached, as Fava does)."""
    path = str(Path(path).resolve())
    entries, errors, options = loader._load([(path, True)], None, None, None)
    errors = placed(errors, options, path)  # include errors at their line; a BOM named
    return books_of(entries, errors, options, path)


def load_books_string(text: str) -> Books:
    """Load ledger text (tests)."""
    entries, errors, options = loader.load_string(text)
    return books_of(entries, errors, options, None)


def books_of(entries: Sequence[data.Directive], errors: Iterable[Any], options: dict[str, Any],
             path: str | None) -> Books:
    """The ``Books`` of a load: the plugin's reading of these very entries, else a fresh
    reading (no plugin line, or a later plugin replaced the entries)."""
    from kcst_budget.findings import RuleError  # the plugin's breaches are not the ledger's errors

    reading = handed_over(options)
    ours = (RuleError, TermsError, BooksError)
    if reading is not None and (reading.entries is entries or _same_reading(reading, entries)):
        own = tuple(e for e in errors if not isinstance(e, RuleError))
    else:
        # the seals still cover what the plugin read (Beancount's padding is no source)
        reading = read(entries, options) if reading is None else read(
            entries, options, reading.generated, reading.sealed_entries)
        own = tuple(e for e in errors if not isinstance(e, ours)) + reading.errors
    return Books(path, entries, options, own, reading)


def _same_reading(reading: Reading, entries: Sequence[data.Directive]) -> bool:
    """Whether ``entries`` say what the reading read: Beancount's own plugins after ours
    (pad, balance) hand back a new list, usually adding nothing the reading reads. Any
    transaction, ``kcst-`` directive or account added or taken away since is read afresh."""
    read_ids = {id(entry) for entry in reading.entries}
    final_ids = set()
    for entry in entries:
        final_ids.add(id(entry))
        if id(entry) not in read_ids and _read_by_us(entry):
            return False
    return all(id(entry) in final_ids or not _read_by_us(entry) for entry in reading.entries)


def _read_by_us(entry: data.Directive) -> bool:
    kind = type(entry)
    return kind is data.Transaction or kind is data.Open or (
        kind is data.Custom and entry.type.startswith("kcst-"))


# ---- The index ------------------------------------------------------------------------------------

def index(entries: Sequence[data.Directive], terms: Terms
          ) -> tuple[tuple[Movement, ...], tuple[Contribution, ...], list[BooksError]]:
    """Every pool movement and every contribution posting, classified in one pass.

    This runs on every load of the books (the plugin), so it is kept to one loop over
    each transaction's postings and one tuple per movement. Reversals are rare: the few
    found are paired with what they reverse after the pass.
    """
    pools = terms.pools
    partners = set(terms.partners)
    movements: list[Movement] = []
    contributions: list[Contribution] = []
    errors: list[BooksError] = []
    if not pools:
        return (), (), errors
    reversals: list[data.Transaction] = []
    append = movements.append
    transaction = data.Transaction
    new = tuple.__new__  # Movement(...) without its keyword-handling __new__

    def contribution(entry: data.Transaction, account: str, number: Decimal) -> str:
        code = account[len(CONTRIBUTIONS):].split(":")[0]
        if code not in partners:
            errors.append(BooksError(entry.meta, f"{account}: {code!r} is no partner of the "
                                     "agreement", entry))
        contributions.append(Contribution(entry.date, code, -number, entry))
        return code

    # What each account is to the pool, worked out once per account (a book has few):
    # (POOL, None), (EXPENSE, None), (CONTRIBUTION, code), (RETURN, code) or (OTHER, None).
    kinds: dict[str, tuple[int, str | None]] = {}

    def kind_of(account: str) -> tuple[int, str | None]:
        if account in pools:
            found: tuple[int, str | None] = (POOL, None)
        elif account.startswith(EXPENSES):
            found = (EXPENSE, None)
        elif account.startswith(CONTRIBUTIONS):
            found = (CONTRIBUTION, account[len(CONTRIBUTIONS):].split(":")[0])
        elif account.startswith(WITHDRAWN):
            found = (RETURN, account[len(WITHDRAWN):].split(":")[0])
        else:
            found = (OTHER, None)
        kinds[account] = found
        return found

    for entry in entries:
        if type(entry) is not transaction:
            continue
        meta = entry.meta or {}
        if REVERSES in meta:
            reversals.append(entry)
        pool_change = None
        expenses: tuple[tuple[str, Decimal], ...] = ()
        contributed: tuple[tuple[str, Decimal], ...] = ()
        returned: tuple[tuple[str, Decimal], ...] = ()
        for posting in entry.postings:
            # a posting is (account, units, cost, price, flag, meta); units is (number, currency)
            account = posting[0]
            kind, code = kinds.get(account) or kind_of(account)
            if kind == POOL:
                units = posting[1]
                if units is not None:
                    pool_change = ZERO + units[0] if pool_change is None else pool_change + units[0]
            elif kind == EXPENSE:
                expenses += ((account, posting[1][0]),)
            elif kind == CONTRIBUTION:
                contribution(entry, account, posting[1][0])
                contributed += ((code, -posting[1][0]),)
            elif kind == RETURN:
                returned += ((code, posting[1][0]),)
        if pool_change is None:  # a journal between partners, a receivable...
            continue
        # pool spend: Expenses postings of a transaction that takes money out of the pool
        spend = expenses if pool_change < 0 else ()
        withdrawal, decision, ref = meta.get("withdrawal"), meta.get("decision"), meta.get("ref")
        project = meta.get("project")
        payee, narration = entry.payee, entry.narration
        append(new(Movement, (
            entry.date, pool_change, contributed, spend, returned,
            None if withdrawal is None else str(withdrawal),
            None if decision is None else str(decision),
            None if project is None else str(project),
            None if ref is None else str(ref), payee or "", narration or "", entry,
        )))
    if reversals:
        cancelled = _cancelled(entries, reversals, errors)
        movements = [m for m in movements if id(m.entry) not in cancelled]
        contributions = [c for c in contributions if id(c.entry) not in cancelled]
    return tuple(movements), tuple(contributions), errors


#: What a posting's account is to the pool (``index``).
POOL, EXPENSE, CONTRIBUTION, RETURN, OTHER = range(5)

#: The metadata key of a reversal: the ``ref`` of the entry it reverses (spec section 7).
REVERSES = "reverses"


def _cancelled(entries: Sequence[data.Directive], reversals: Sequence[data.Transaction],
               errors: list[BooksError]) -> set[int]:
    """``id`` of every transaction that a reversal cancels, and of the reversals."""
    by_ref: dict[str, data.Transaction] = {}
    for entry in entries:
        if type(entry) is data.Transaction and entry.meta and entry.meta.get("ref") is not None:
            by_ref.setdefault(str(entry.meta["ref"]), entry)
    cancelled: set[int] = set()
    for reversal in reversals:
        ref = str(reversal.meta[REVERSES])
        original = by_ref.get(ref)
        if original is None or id(original) in cancelled:
            what = "no entry has that ref" if original is None else "it is already reversed"
            errors.append(BooksError(reversal.meta, f"reverses: {ref!r}: {what}", reversal))
            continue
        if _legs(reversal) != _legs(original, sign=-1):
            errors.append(BooksError(reversal.meta, f"reverses: {ref!r}: its postings are not "
                                     f"the exact opposite of the entry at "
                                     f"{Source.of(original.meta)}", reversal))
            continue
        cancelled.update((id(original), id(reversal)))
    return cancelled


def _legs(entry: data.Transaction, sign: int = 1) -> list[tuple[str, Decimal, str]]:
    """A transaction's postings as (account, amount, currency), sorted."""
    return sorted((p.account, sign * p.units.number, p.units.currency) for p in entry.postings
                  if p.units is not None and p.units.number is not None)
