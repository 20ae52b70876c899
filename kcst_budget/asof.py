"""The one as-of rule (spec section 6): the date every presenter judges and counts as of.

"The date given (``--as-of``, ``?as_of=``), else the plugin line's ``as-of``, else
today; a malformed date is refused (exit 2, or an error shown on the page), never
silently replaced."

The plugin line names a date for books kept about the past::

    plugin "kcst_budget.plugin" "as-of: 2019-06-30"

``KCST_TODAY`` (a date, YYYY-MM-DD) stands in for today: the documentation's examples
and their tests run on a fixed day, so their output does not change overnight.
"""

from __future__ import annotations

import datetime
import os
import re

#: The dates the books may be judged as of: wide enough for any agreement, narrow
#: enough that every period around them (a term, a notice, a month) is a real date.
EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2999, 12, 31)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONFIG = re.compile(r"^\s*as-of:\s*(?P<date>\S+)\s*$")


class AsOfError(ValueError):
    """A malformed as-of date; the message names where it was given."""


def parse_date(text: str, where: str) -> datetime.date:
    """``2019-06-30`` as a date between ``EARLIEST`` and ``LATEST``, else ``AsOfError``."""
    stripped = text.strip()
    if not _DATE.match(stripped):
        raise AsOfError(f"{where}: {text!r} is not a date like 2019-06-30 (YYYY-MM-DD)")
    try:
        date = datetime.date.fromisoformat(stripped)
    except ValueError as problem:
        raise AsOfError(f"{where}: {text!r} is not a real date ({problem})") from None
    if not EARLIEST <= date <= LATEST:
        raise AsOfError(f"{where}: {text} is outside the dates the books can be judged as "
                        f"of ({EARLIEST} to {LATEST})")
    return date


def configured(config: str | None) -> datetime.date | None:
    """The plugin line's ``as-of`` (``"as-of: 2019-06-30"``), or None when it names none."""
    if config is None or not config.strip():
        return None
    match = _CONFIG.match(config)
    if match is None:
        raise AsOfError(f'plugin "kcst_budget.plugin" {config!r}: the only setting is '
                        '"as-of: YYYY-MM-DD"')
    return parse_date(match.group("date"), 'plugin "kcst_budget.plugin" as-of')


def today() -> datetime.date:
    """Today, or the date ``KCST_TODAY`` names."""
    fixed = os.environ.get("KCST_TODAY")
    if fixed:
        return parse_date(fixed, "KCST_TODAY")
    return datetime.date.today()


def as_of(given: datetime.date | None, plugin_as_of: datetime.date | None) -> datetime.date:
    """The date given, else the plugin line's, else today."""
    if given is not None:
        return given
    if plugin_as_of is not None:
        return plugin_as_of
    return today()
