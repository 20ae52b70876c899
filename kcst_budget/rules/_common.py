"""Wording the rule modules share: numbers and dates as the MoU writes them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from kcst_budget.periods import long_date, month_words

__all__ = ["and_list", "clause_words", "id_words", "in_words", "long_date", "month_name",
           "month_words", "months_in_words", "plural"]

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
          "ten", "eleven", "twelve")


def in_words(number: int) -> str:
    """``two``, ``six``: how the MoU writes small numbers."""
    return _WORDS[number] if 0 <= number < len(_WORDS) else str(number)


def months_in_words(number: int) -> str:
    return f"{in_words(number)} month{'s' if number != 1 else ''}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 breach``, ``2 breaches``, ``0 warnings``."""
    if count == 1:
        return f"1 {word}"
    return f"{count} {many or (word + 'es' if word.endswith(('ch', 'sh', 's')) else word + 's')}"


def month_name(year: int, month: int) -> str:
    return month_words(datetime.date(year, month, 1))


def and_list(codes: Sequence[str]) -> str:
    """``KP``, ``KCC and KP``, ``KCC, KFRS and KP``."""
    codes = list(codes)
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} and {codes[-1]}"


def id_words(name: str) -> str:
    """An id as words: ``formal-review-report`` -> ``Formal review report``,
    ``meeting-cadence`` -> ``Meeting cadence``."""
    words = name.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


#: How a rule with no MoU clause (``-``: the books' own integrity) is cited in words.
NO_CLAUSE = "no MoU clause"


def clause_words(clause: str) -> str:
    """``cl. 4.1``, ``cl. 8.2, 8.6``; never a bare ``-``: ``no MoU clause``."""
    clause = clause.strip()
    return f"cl. {clause}" if clause and clause != "-" else NO_CLAUSE
