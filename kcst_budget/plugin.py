"""The Beancount plugin: ``plugin "kcst_budget.plugin"`` is the only line a ledger needs.

While the ledger loads it

1. reads the books once (``kcst_budget.books.read``): parses every ``kcst-`` directive and
   reports a malformed one as an error at its file and line, indexes the pool;
2. turns each ``kcst-post`` into Fava budgets -- ``custom "budget" <account> "monthly"
   <annual / 12>`` from the post's start and a zero budget from its end (cl. 8.4-8.6) --
   so Fava's own budget views show the posts; and each ``kcst-project`` into a daily
   budget spreading its one-off budget evenly over the days of its life, on the account
   its spend goes to (``project_budgets``, spec section 8);
3. registers the SMT dashboard (``custom "fava-extension" "kcst_budget.dashboard"``);
4. judges every rule as of the one as-of date (``kcst_budget.asof``: the plugin line's
   ``"as-of: 2019-06-30"``, else today) and reports each *breach* as an error
   ``[rule-id cl. X] message``. Warnings never fail ``bean-check``; ``kcst check``,
   ``kcst audit`` and the dashboard show them;
5. hands its reading to whoever loaded the books (``kcst_budget.books.hand_over``);
6. when it judged as of today, makes Beancount's load cache expire at midnight
   (``JudgedToday``): ``bean-check`` never reports yesterday's verdict from its cache.

Books with no ``kcst-agreement`` are not KCST books: the plugin adds nothing and reports
nothing (spec section 6).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from typing import Any

from beancount.core import data
from beancount.core.account import TYPE as ACCOUNT_TYPE
from beancount.core.amount import Amount
from beancount.parser.grammar import ValueType

from kcst_budget import asof
from kcst_budget.amounts import CURRENCY, ZERO
from kcst_budget.books import (GENERATED, Books, BooksError, Reading, hand_over, plugin_line,
                               read)
from kcst_budget.findings import RuleError
from kcst_budget.mou import project_life
from kcst_budget.periods import next_day
from kcst_budget.rules import judgement_of
from kcst_budget.terms import Terms, is_project_account

__plugins__ = ("kcst_budget",)

DASHBOARD_MODULE = "kcst_budget.dashboard"


def kcst_budget(entries: list[data.Directive], options_map: dict[str, Any],
                config: str | None = None) -> tuple[list[data.Directive], list[Any]]:
    with _collector_paused():
        return _read(entries, options_map)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the plugin reads the books.

    The reading allocates a few objects per transaction and makes no reference cycles, yet
    on big books each of those allocations counts towards collections that walk the
    ledger Beancount has just loaded (about a tenth of the plugin's time on 100,000
    transactions). Reference counting still frees everything; the collector is restored
    as it was.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(entries: list[data.Directive],
          options_map: dict[str, Any]) -> tuple[list[data.Directive], list[Any]]:
    reading = read(entries, options_map)
    errors = list(reading.errors)
    if not reading.terms.agreements:
        hand_over(options_map, reading)
        return entries, errors

    # The loader hands a plugin its entries sorted (and sorts them again after it): the few
    # generated entries are put in their places rather than sorting every entry again.
    generated = [*post_budgets(reading.terms), *project_budgets(reading), *_dashboard(entries)]
    entries = list(entries)
    for entry in generated:
        bisect.insort(entries, entry, key=data.entry_sortkey)
    reading = dataclasses.replace(reading, entries=entries,
                                  generated=frozenset(id(entry) for entry in generated))
    hand_over(options_map, reading)

    if reading.as_of_error is not None:
        return entries, errors  # the malformed as-of is reported; nothing is judged
    try:
        as_of = asof.as_of(None, reading.plugin_as_of)
    except asof.AsOfError as problem:
        return entries, [*errors, BooksError(plugin_line(options_map), str(problem), None)]
    if reading.plugin_as_of is None:  # judged as of today: never served from the cache tomorrow
        options_map["include"] = JudgedToday(options_map.get("include", ()), as_of)
    books = Books(options_map.get("filename"), entries, options_map, reading.errors, reading)
    judgement = judgement_of(books, as_of)
    errors.extend(RuleError.of(finding) for finding in judgement.breaches)
    return entries, errors


class JudgedToday(list):  # type: ignore[type-arg]
    """The ledger's ``include`` list (its files), as the plugin leaves it when it judged the
    books as of today.

    Beancount's load cache (``bean-check``'s ``.main.beancount.picklecache``) is keyed on
    these files only, so yesterday's verdict would be served today: a deadline passed
    overnight, unreported. Pickled, the list remembers the day it was judged; unpickled on
    another day it names one more (non-existent) file, so Beancount sees other inputs
    (``loader.needs_refresh``) and loads and judges the books afresh. On the same day it
    is the plain list of files, and everyone reading it (Fava's file watcher, the
    writers) sees just the files.
    """

    def __init__(self, names: Any, day: datetime.date) -> None:
        super().__init__(names)
        self.day = day

    def __reduce__(self) -> tuple[Any, ...]:
        return (_included, (list(self), self.day.isoformat()))


def _included(names: list[str], day: str) -> list[str]:
    """The ``include`` list of a cached load: the files, and a marker when it was judged
    on another day than today."""
    try:
        today = asof.today().isoformat()
    except asof.AsOfError:
        today = None
    return names if today == day else [*names, f"<kcst: judged as of {day}, not today>"]


def post_budgets(terms: Terms) -> list[data.Custom]:
    """Fava budgets for each post: annual / 12 a month from its start, zero from its end."""
    budgets = []
    for post in terms.posts:
        for date, number in ((post.start, post.monthly_cost), (post.end, ZERO)):
            values = [ValueType(post.account, ACCOUNT_TYPE),
                      ValueType("monthly", str),
                      ValueType(Amount(number, CURRENCY), Amount)]
            budgets.append(data.Custom({**post.source.meta, GENERATED: True}, date, "budget", values))
    return budgets


def project_budgets(reading: Reading) -> list[data.Custom]:
    """Fava budgets for the projects (spec section 8).

    A project's budget is one sum for its whole life, not a rate: Fava's budgets are
    rates. So the budget is spread evenly over the days of its life (``mou.project_life``:
    its date to its ``ends:``, else to the end of the term), as a ``"daily"`` budget of
    budget / days from its first day and zero from the day after its last. Fava then shows,
    for any period, the share of the budget falling in it: the whole budget over the
    project's life, or over an FY holding it.

    The budget goes on the account its spend goes to: the first ``Expenses:Projects``
    account its spend cites (a project with no spend yet has no account, so no budget in
    Fava). Projects sharing an account add up on the days they overlap.
    """
    terms = reading.terms
    accounts = project_accounts(reading)
    steps: dict[str, dict[datetime.date, Fraction]] = {}
    meta: dict[tuple[str, datetime.date], dict[str, Any]] = {}
    for project in terms.projects:
        account = accounts.get(project.id)
        if account is None:
            continue
        first, last = project_life(terms, project)
        rate = Fraction(project.budget) / ((last - first).days + 1)
        after = next_day(last)
        account_steps = steps.setdefault(account, {})
        for day, change in ((first, rate), (after, -rate)):
            account_steps[day] = account_steps.get(day, Fraction(0)) + change
            meta.setdefault((account, day), project.source.meta)
    budgets = []
    for account, account_steps in steps.items():
        level = Fraction(0)
        for day in sorted(account_steps):
            level += account_steps[day]
            number = Decimal(level.numerator) / Decimal(level.denominator) if level else ZERO
            values = [ValueType(account, ACCOUNT_TYPE), ValueType("daily", str),
                      ValueType(Amount(number, CURRENCY), Amount)]
            budgets.append(data.Custom({**meta[account, day], GENERATED: True}, day, "budget",
                                       values))
    return budgets


def project_accounts(reading: Reading) -> dict[str, str]:
    """Each project's account: the first ``Expenses:Projects`` account its spend cites
    (else the first account of its spend)."""
    wanted = {project.id for project in reading.terms.projects}
    found: dict[str, str] = {}
    fallback: dict[str, str] = {}
    for movement in reading.movements:
        if movement.project not in wanted or movement.project in found or not movement.spend:
            continue
        account = next((a for a, _ in movement.spend if is_project_account(a)), None)
        if account is None:
            fallback.setdefault(movement.project, movement.spend[0][0])
        else:
            found[movement.project] = account
            if len(found) == len(wanted):
                break
    return {**fallback, **found}


def _dashboard(entries: list[data.Directive]) -> list[data.Custom]:
    for entry in entries:
        if type(entry) is data.Custom and entry.type == "fava-extension" and entry.values \
                and entry.values[0].value == DASHBOARD_MODULE:
            return []
    first = next((entry.date for entry in entries), None)
    if first is None:
        return []
    meta = data.new_metadata("<kcst_budget.plugin>", 0, {GENERATED: True})
    return [data.Custom(meta, first, "fava-extension", [ValueType(DASHBOARD_MODULE, str)])]
