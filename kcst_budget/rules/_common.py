"""Small helpers the rule modules share: the agreement in force, calendar wording."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kcst_budget.terms import Agreement, Meeting, Terms

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve")
ONE_DAY = datetime.timedelta(days=1)


def in_words(number: int) -> str:
    """``two``, ``six``: how the MoU writes small numbers."""
    return _WORDS[number] if 0 <= number < len(_WORDS) else str(number)


def months_in_words(number: int) -> str:
    return f"{in_words(number)} month{'s' if number != 1 else ''}"


def long_date(date: datetime.date) -> str:
    """``1 March 2019``, as the MoU writes dates."""
    return f"{date.day} {date:%B %Y}"


def month_name(year: int, month: int) -> str:
    return f"{datetime.date(year, month, 1):%B %Y}"


@dataclass(frozen=True)
class Window:
    """The days on which one agreement is the one in force (cl. 3.1): from its start to
    its last day, or to the day before a successor starts."""

    agreement: Agreement
    first: datetime.date
    last: datetime.date


def windows(terms: Terms) -> Iterator[Window]:
    """Each agreement's days in force, in order (successors cut a term short)."""
    agreements = terms.agreements
    for index, agreement in enumerate(agreements):
        last = agreement.end
        if index + 1 < len(agreements):
            last = min(last, agreements[index + 1].start - ONE_DAY)
        if last >= agreement.start:
            yield Window(agreement, agreement.start, last)


def agreement_near(terms: Terms, date: datetime.date) -> Agreement | None:
    """The agreement in force on ``date``, else the latest started before it, else the
    first: whose numbers (notice, interval) govern a record outside every term."""
    in_force = terms.agreement_on(date)
    if in_force is not None:
        return in_force
    started = [a for a in terms.agreements if a.start <= date]
    if started:
        return started[-1]
    return terms.agreements[0] if terms.agreements else None


def quorate(meeting: Meeting, terms: Terms) -> bool:
    """A meeting with every partner of the agreement in force present or deputised (cl. 4.1)."""
    agreement = terms.agreement_on(meeting.date)
    return agreement is not None and meeting.quorate(agreement.partners)


def and_list(codes: Sequence[str]) -> str:
    """``KP``, ``KCC and KP``, ``KCC, KFRS and KP``."""
    codes = list(codes)
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} and {codes[-1]}"
