"""Closing a financial year: the ``kcst-year-end`` record that rolls the pool forward
(cl. 8.2) and seals the period with a digest (see ``kcst_budget.seal``).

Any FY due a roll-forward (it overlaps an agreement's term, or the pool moved in it:
``mou.years_to_roll_forward``) is closed once, after it has ended, inside a term or after
it, and in order: an FY is refused while an earlier one due a roll-forward is open, and
so is an FY inside the period a later year-end has sealed (spec sections 3, 7). The
record goes into the FY's own file (``ledger/2018-19.beancount``) when there is one, else
into the file holding the FY's last entry, else the main file. Nothing is written unless
the whole resulting ledger loads without error; a refusal leaves every file byte-for-byte
as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from kcst_budget import asof
from kcst_budget.amounts import CURRENCY, decimal_string
from kcst_budget.books import Books, load_books
from kcst_budget.ledgerio import Snapshot, apply, locked, trial_load
from kcst_budget.lockdates import sealed_by
from kcst_budget.money.yearend import carried_forward
from kcst_budget.mou import years_to_roll_forward
from kcst_budget.periods import FinancialYear
from kcst_budget.source import Source


class Refused(Exception):
    """The year cannot be closed; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Closed:
    fy: FinancialYear
    path: Path
    text: str  # the record as written


def close_year(main: Path, fy: FinancialYear, today: datetime.date | None = None) -> Closed:
    """Write the year-end record of ``fy`` into the ledger whose main file is ``main``."""
    today = today or asof.today()
    with locked(main.resolve().parent):
        books = load_books(main)
        if books.errors:
            first = books.errors[0]
            raise Refused(f"the ledger has {len(books.errors)} error(s) of its own, the first at "
                          f"{Source.of(first.source)}: {first.message}")
        _check_closable(books, fy, today)
        text = (f'{fy.end} custom "kcst-year-end" "{fy.label}" '
                f'{decimal_string(carried_forward(books, fy))} {CURRENCY}\n'
                f'  digest: "{books.digest(fy.end)}"\n')
        path = _target_file(main, books, fy)
        snapshot = Snapshot.read(path)
        current = snapshot.text or ""
        separator = "" if not current or current.endswith("\n\n") else (
            "\n" if current.endswith("\n") else "\n\n")
        new_text = current + separator + text
        trial = trial_load(main, {path: new_text})
        if trial.errors:
            first = trial.errors[0]
            raise Refused(f"the year-end record would make the ledger invalid: "
                          f"{Source.of(first.source)}: {first.message}")
        apply({path: (snapshot, new_text)})
    return Closed(fy, path, text)


def _check_closable(books: Books, fy: FinancialYear, today: datetime.date) -> None:
    terms = books.terms
    if fy.end >= today:
        raise Refused(f"{fy} has not ended: it ends on {fy.end}")
    existing = terms.year_end(fy)
    if existing is not None:
        raise Refused(f"{fy} is already closed at {existing.source}")
    sealing = sealed_by(terms, fy.end)
    if sealing is not None:
        raise Refused(f"{fy} lies in the period sealed by the {sealing.fy} year-end at "
                      f"{sealing.source}: a sealed period is never changed")
    due = years_to_roll_forward(books, today)
    if fy not in due:
        raise Refused(f"{fy} has nothing to roll forward: no agreement's term overlaps it and "
                      "the pool did not move in it")
    open_before = [year for year in due if year < fy and terms.year_end(year) is None]
    if open_before:
        raise Refused(f"{open_before[0]} is not closed yet: close it first "
                      f"(kcst close-year {open_before[0]})")


def _target_file(main: Path, books: Books, fy: FinancialYear) -> Path:
    own = main.resolve().parent / f"{fy.slug}.beancount"
    included = {Path(name).resolve() for name in books.options.get("include", [])}
    if own in included:
        return own
    last = [e for e in books.entries if fy.start <= e.date <= fy.end
            and e.meta and Path(str(e.meta.get("filename", ""))).resolve() in included]
    return Path(str(last[-1].meta["filename"])) if last else main.resolve()
