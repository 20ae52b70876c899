"""period-lock: a closed financial year stays as it was sealed.

No clause names it; it keeps cl. 8.2's roll-forward honest: "It is intended that the
pooled fund will be rolled forward at the end of each financial year." ``kcst close-year``
seals an FY with a digest of every entry dated on or before its last day (the canonical
form is ``kcst_budget.seal``'s: layout, file and order do not matter; dates, amounts,
accounts, payees, narrations, flags, tags, links, metadata and ``kcst-`` directives do).
The earlier year-end records are entries of the period too, so the seals form a chain.
Kept::

    2018-03-31 custom "kcst-year-end" "2017/18" 30000.00 GBP
      digest: "sha256:6bcd5176..."   ; what kcst close-year 2017/18 wrote
    2019-03-31 custom "kcst-year-end" "2018/19" -4890.00 GBP
      digest: "sha256:50a8d5d8..."   ; covers 2017/18's record, digest and all

Broken (spec section 4), each at the year-end record concerned:

- any entry dated on or before a sealed year-end changed, added or removed since (a
  recharge's amount corrected in place instead of by a new entry in the open year; an
  entry copied in with ``kcst-generated: TRUE``: only the plugin's own entries are outside);
- a year-end with no ``digest:`` while a later one has one (a seal struck out);
- an FY that ended before the last sealed year-end, due a roll-forward (it overlaps a
  term, or the pool moved in it), with no year-end (a hole in the chain: a record deleted,
  or an ``include`` of a year's file removed);
- an FY with two year-ends;
- with ``kcst audit --since PREVIOUS.json``: a sealed FY whose digest or carried-forward
  balance differs from the previous audit's, or that is no longer sealed (a year re-sealed
  after its entries were changed, or its last seal removed: nothing inside the books can
  show that, only an earlier record of them).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.mou import years_to_roll_forward
from kcst_budget.periods import FinancialYear
from kcst_budget.rules._base import Judgement, Rule
from kcst_budget.rules._common import long_date
from kcst_budget.source import Source
from kcst_budget.terms import YearEnd

ID, CLAUSE = "period-lock", "-"


def year_ends(books: Books, as_of: datetime.date) -> list[YearEnd]:
    return [y for y in books.terms.year_ends if y.date <= as_of]


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    records = year_ends(books, as_of)
    sealed = [y for y in records if y.digest]
    for year_end in sealed:
        now = books.seal_now(year_end)
        if now != year_end.digest:
            yield _breach(year_end, f"the {year_end.fy} year-end record no longer matches the "
                          f"entries dated on or before {long_date(year_end.date)}: an entry "
                          "of the closed year has been changed, added or removed since it "
                          f"was sealed (sealed {_short(year_end.digest)}, now {_short(now)})")
    if not sealed:
        yield from _twice(records)
        return
    last = sealed[-1]
    for year_end in records:
        if not year_end.digest and year_end.date < last.date:
            yield _breach(year_end, f"the {year_end.fy} year-end record carries no digest, "
                          f"while the later {last.fy} year-end ({last.source}) is sealed: the "
                          f"seal of {year_end.fy} has been struck out")
    yield from _twice(records)
    closed = {y.fy for y in records}
    for fy in years_to_roll_forward(books, as_of):
        if fy.end < last.date and fy not in closed:
            after = next(y for y in sealed if y.date > fy.end)
            yield _breach(after, f"{fy} ended before the sealed {after.fy} year-end but has no "
                          f"kcst-year-end record: the chain of seals has a hole (a year-end "
                          f"record deleted, or the file of {fy} no longer included)")


def _twice(records: Sequence[YearEnd]) -> Iterator[Finding]:
    first: dict[FinancialYear, YearEnd] = {}
    for year_end in records:
        if year_end.fy in first:
            yield _breach(year_end, f"{year_end.fy} has a second year-end record (the first "
                          f"is at {first[year_end.fy].source}): an FY is closed once")
        else:
            first[year_end.fy] = year_end


def _breach(year_end: YearEnd, message: str) -> Finding:
    return Finding(year_end.date, ID, CLAUSE, BREACH, message, year_end.source)


def _short(digest: str | None) -> str:
    return (digest or "")[:19]


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(year_ends(books, as_of))


RULE = Rule(ID, CLAUSE, "A closed financial year stays as it was sealed", check, applies)


# ---- Against a previous audit (kcst audit --since) -----------------------------------------

@dataclass(frozen=True)
class Seal:
    """A sealed FY as an audit recorded it: its year-end's digest and the balance it
    carried forward, and where the record stood."""

    fy: FinancialYear
    date: datetime.date
    digest: str | None
    carried_forward: Decimal
    source: Source


@dataclass(frozen=True)
class PreviousAudit:
    """The seals an earlier audit saw (its JSON, ``kcst audit --format json``)."""

    name: str  # the file it was read from
    as_of: datetime.date
    seals: tuple[Seal, ...]


def seals(books: Books, as_of: datetime.date) -> tuple[Seal, ...]:
    """Every year-end record dated on or before ``as_of``, as an audit records it."""
    return tuple(Seal(y.fy, y.date, y.digest, y.amount, y.source)
                 for y in year_ends(books, as_of))


def since(books: Books, as_of: datetime.date, previous: PreviousAudit) -> Iterator[Finding]:
    """Each FY sealed in ``previous`` (and dated on or before ``as_of``) whose seal is
    gone, or whose digest or carried-forward balance is no longer what it was."""
    now = {seal.fy: seal for seal in reversed(seals(books, as_of))}  # the first record of each
    when = f"the audit as of {long_date(previous.as_of)} ({previous.name})"
    for before in previous.seals:
        if not before.digest or before.date > as_of:
            continue
        seal = now.get(before.fy)
        was = f"{_short(before.digest)} carrying forward {gbp(before.carried_forward)}"
        if seal is None:
            yield Finding(before.date, ID, CLAUSE, BREACH,
                          f"{before.fy} was sealed in {when} ({was}, at {before.source}) but "
                          "the books no longer hold its year-end record: the seal has been "
                          "removed (the record deleted, or its file no longer included)",
                          before.source)
        elif seal.digest != before.digest or seal.carried_forward != before.carried_forward:
            yield _breach_at(seal, f"the {before.fy} year-end record differs from {when}: "
                             f"then {was}, now {_short(seal.digest) or 'no digest'} carrying "
                             f"forward {gbp(seal.carried_forward)}: the closed year has been "
                             "re-sealed or its seal changed since that audit")


def _breach_at(seal: Seal, message: str) -> Finding:
    return Finding(seal.date, ID, CLAUSE, BREACH, message, seal.source)


def judged_since(judgement: Judgement, books: Books, previous: PreviousAudit) -> Judgement:
    """``judgement`` with period-lock also holding the seals against a previous audit."""
    found = tuple(since(books, judgement.as_of, previous))
    if not found:
        return judgement
    results = tuple(
        dataclasses.replace(result, status="fail",
                            findings=tuple(sorted((*result.findings, *found))))
        if result.rule.id == ID else result for result in judgement.results)
    return dataclasses.replace(judgement, results=results)
