"""Lock dates: no writer changes a sealed period (spec section 7).

"Sealed periods are locked in every writer: ``kcst record`` and ``import``, and Fava's
editor, add-entry form and import page refuse any change dated on or before the last
sealed year-end, before anything is written."

The last ``kcst-year-end`` record is the lock date: its digest covers every entry dated
on or before it, so from then on such an entry is never added, changed or removed; a
mistake found later is put right by a correcting entry in the current FY::

    2020-03-31 custom "kcst-year-end" "2019/20" 370.00 GBP
      digest: "sha256:..."

    2019-06-14 * "Office Interiors Ltd" "Desk"     ; refused: 2019/20 is sealed
    2026-12-02 * "Office Interiors Ltd" "Desk (2019/20), recharged"   ; kept

Given the books and a proposed change -- new entries, or a file's new text -- this module
says whether the change touches a sealed period and why; the writers refuse it with that
message (``kcst_budget.dashboard.sealguard`` for Fava). A file's new text is judged by
loading the whole ledger as it would be (``ledgerio.trial_load``) and comparing, entry by
entry in the seal's canonical form, what stands on or before the lock date: layout,
comments and moving entries between files change nothing; an ``include`` removed takes
its entries away and is refused like any other removal.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from beancount.core import data

from kcst_budget import asof
from kcst_budget.books import Books
from kcst_budget.ledgerio import trial_load
from kcst_budget.periods import fy_of, long_date
from kcst_budget.seal import canonical_lines
from kcst_budget.source import Source
from kcst_budget.terms import Terms, YearEnd


def lock(terms: Terms) -> YearEnd | None:
    """The last ``kcst-year-end`` record: nothing dated on or before it is ever changed."""
    return terms.year_ends[-1] if terms.year_ends else None


def sealed_by(terms: Terms, date: datetime.date) -> YearEnd | None:
    """The latest ``kcst-year-end`` dated on or after ``date``: its digest covers every
    entry dated on or before it, so even an FY never closed itself (one before the term,
    say) takes no new entry once a later FY is closed."""
    last = lock(terms)
    return last if last is not None and date <= last.date else None


@dataclass(frozen=True)
class Touch:
    """A proposed change that touches a sealed period: what, dated when, sealed by which
    year-end record."""

    what: str
    date: datetime.date
    year_end: YearEnd

    def message(self, today: datetime.date | None = None) -> str:
        current = fy_of(today or asof.today())
        return (f"{self.what} dated {long_date(self.date)}, in {fy_of(self.date)}, which is "
                f"sealed (the {self.year_end.fy} year-end at {self.year_end.source} covers "
                f"every entry dated on or before {long_date(self.year_end.date)}): a sealed "
                f"period is never changed; record a correction in the current FY, "
                f"{current}; nothing was written")


def entries_touch(terms: Terms, entries: Iterable[data.Directive],
                  what: str = "the new entry is") -> Touch | None:
    """The first of ``entries`` (new, or changed, or to be removed) dated in a sealed
    period, if any."""
    last = lock(terms)
    if last is None:
        return None
    dates = [entry.date for entry in entries if entry.date <= last.date]
    return Touch(what, min(dates), last) if dates else None


def source_touch(books: Books, path: Path, text: str) -> Touch | None:
    """Whether writing ``text`` to ``path`` (a file of ``books``) would add, change or
    remove an entry dated on or before the last year-end: the whole ledger is loaded as it
    would be, and what stands in the sealed period compared with what stands there now."""
    last = lock(books.terms)
    if last is None or books.path is None:
        return None
    after = trial_load(Path(books.path), {path: text})
    now, then = Counter(_sealed_lines(books, last.date)), Counter(_sealed_lines(after, last.date))
    changed = (now - then) + (then - now)
    if not changed:
        return None
    name = Source(str(path), 0).display().rsplit(":", 1)[0]
    return Touch(f"the edit of {name} adds, changes or removes an entry", min(changed)[0], last)


def _sealed_lines(books: Books, through: datetime.date) -> list[tuple[datetime.date, str]]:
    """The canonical lines of every entry standing in a source file dated on or before
    ``through``, the year-end records included (this is about every change, the last
    record's own fields too)."""
    reading = books.reading
    return [line for line in canonical_lines(reading.in_source(reading.sealed_entries))
            if line[0] <= through]
