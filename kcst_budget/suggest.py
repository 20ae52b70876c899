"""The closest match to what was typed, for messages a person can act on.

A finance officer who types ``Expenses:Staff:Coordinater``, ``expenses:staff:coordinator``
or ``D-2020-5-1`` is told what the books hold and which one was probably meant::

    --account: account Expenses:Staff:Coordinater is not opened in the ledger; did you
    mean Expenses:Staff:Coordinator? ...

Case is ignored when comparing (a name typed in lower case is found), and the answer is
the name as the books spell it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

#: How alike two names must be (difflib's ratio) to be offered as "did you mean".
CUTOFF = 0.6
#: How many choices a message lists before it says how many more there are.
LISTED = 12


def closest(typed: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``typed`` (case ignored), or None when none is close."""
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(choice.casefold(), choice)
    folded = typed.strip().casefold()
    if folded in by_folded:
        return by_folded[folded]
    found = difflib.get_close_matches(folded, list(by_folded), n=1, cutoff=CUTOFF)
    return by_folded[found[0]] if found else None


def did_you_mean(typed: str, choices: Iterable[str], aside: bool = False) -> str:
    """``; did you mean X?`` (``aside``: `` (did you mean X?)``, to end a message) when a
    choice is close to ``typed``, else nothing."""
    match = closest(typed, choices)
    if match is None or match == typed:
        return ""
    return f" (did you mean {match}?)" if aside else f"; did you mean {match}?"


def listed(choices: Sequence[str], limit: int = LISTED) -> str:
    """``A, B, C`` (the first ``limit``, then ``and N more``), or ``none``."""
    if not choices:
        return "none"
    shown = ", ".join(choices[:limit])
    more = len(choices) - limit
    return f"{shown} and {more} more" if more > 0 else shown
