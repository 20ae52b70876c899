"""The Beancount plugin: ``plugin "kcst_budget.plugin"`` is the only line a ledger needs.

While the ledger loads it

1. parses every ``kcst-`` directive (``kcst_budget.terms``) and reports a malformed one
   as an error at its file and line;
2. turns each ``kcst-post`` into Fava budgets -- ``custom "budget" <account> "monthly"
   <annual / 12>`` from the post's start and a zero budget from its end (cl. 8.4-8.6) --
   so Fava's own budget views show the posts;
3. registers the SMT dashboard (``custom "fava-extension" "kcst_budget.dashboard"``);
4. judges every rule as of today (or the plugin's config, ``"as-of: 2019-06-30"``) and
   reports each *breach* as an error ``[rule-id cl. X] message``. Warnings never fail
   ``bean-check``; ``kcst check``, ``kcst audit`` and the dashboard show them.

Its reading (terms, pool movements, judgement) is left in the options map under
``kcst_reading`` so the presenters never parse or judge the same books twice.
"""

from __future__ import annotations

import bisect
import datetime
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount
from beancount.core.account import TYPE as ACCOUNT_TYPE
from beancount.parser.grammar import ValueType

from kcst_budget.amounts import CURRENCY, ZERO
from kcst_budget.books import GENERATED, READING_KEY, Reading, index_movements, make_books
from kcst_budget.findings import RuleError
from kcst_budget.rules import judge
from kcst_budget.terms import Terms, parse_terms

__plugins__ = ("kcst_budget",)

DASHBOARD_MODULE = "kcst_budget.dashboard"
_AS_OF = re.compile(r"as-of:\s*(\d{4}-\d{2}-\d{2})")


def kcst_budget(entries: list[data.Directive], options_map: dict[str, Any],
                config: str | None = None) -> tuple[list[data.Directive], list[Any]]:
    with _collector_paused():
        return _read(entries, options_map, config)


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


def _read(entries: list[data.Directive], options_map: dict[str, Any],
          config: str | None) -> tuple[list[data.Directive], list[Any]]:
    terms, errors = parse_terms(entries)
    movements, movement_errors = index_movements(entries, terms)
    errors = [*errors, *movement_errors]

    # The loader hands a plugin its entries sorted (and sorts them again after it): the few
    # generated entries are put in their places rather than sorting every entry again.
    entries = list(entries)
    for generated in [*post_budgets(terms), *_dashboard(entries)]:
        bisect.insort(entries, generated, key=data.entry_sortkey)

    as_of = _as_of(config)
    books = make_books(None, entries, options_map, tuple(errors), terms, movements)
    judgement = judge(books, as_of)
    options_map[READING_KEY] = Reading(len(entries), terms, movements, judgement,
                                       books.seal_digests_if_read())
    errors.extend(RuleError.of(finding) for finding in judgement.breaches)
    return entries, errors


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


def _dashboard(entries: list[data.Directive]) -> list[data.Custom]:
    for entry in entries:
        if type(entry) is data.Custom and entry.type == "fava-extension" and entry.values \
                and entry.values[0].value == DASHBOARD_MODULE:
            return []
    date = entries[0].date if entries else datetime.date.today()
    meta = data.new_metadata("<kcst_budget.plugin>", 0, {GENERATED: True})
    return [data.Custom(meta, date, "fava-extension", [ValueType(DASHBOARD_MODULE, str)])]


def _as_of(config: str | None) -> datetime.date:
    if config:
        match = _AS_OF.search(config)
        if match:
            return datetime.date.fromisoformat(match.group(1))
    return datetime.date.today()
