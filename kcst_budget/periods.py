"""Periods: UK public-sector financial years (1 April - 31 March), written ``2018/19``,
calendar months, and any run of days a reader picks (Fava's time filter: a month, a
quarter, Fava's own fiscal year, a range).

The MoU's money is counted per financial year (cl. 8.2, 8.6): "a minimum sum of
£16,000 per financial year". Inputs may also say ``2018-19``.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_FY_PATTERN = re.compile(r"^(\d{4})[/-](\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year that starts on 1 April of ``start_year``."""

    start_year: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.start_year, 4, 1)

    @property
    def end(self) -> datetime.date:
        """The FY's last day, 31 March."""
        return datetime.date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        """File-name form, ``2018-19``."""
        return self.label.replace("/", "-")

    def __str__(self) -> str:
        return self.label

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def contains(self, date: datetime.date) -> bool:
        return self.start <= date <= self.end

    @property
    def period(self) -> Period:
        """The FY as a period of days."""
        return Period(self.start, self.end)


@dataclass(frozen=True, order=True)
class Period:
    """The days from ``first`` to ``last`` inclusive: an MoU financial year, a month, a
    quarter, Fava's fiscal year on a ledger whose year does not end on 31 March, a range."""

    first: datetime.date
    last: datetime.date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a period cannot end ({self.last}) before it begins ({self.first})")

    @property
    def fy(self) -> FinancialYear | None:
        """The MoU financial year this period is, if it is exactly one."""
        year = fy_of(self.first)
        return year if (year.start, year.end) == (self.first, self.last) else None

    @property
    def whole_months(self) -> bool:
        return self.first.day == 1 and self.last == month_end(self.last)

    @property
    def label(self) -> str:
        """``2018/19``, ``June 2019``, ``April to June 2019``, ``November 2018 to October
        2019``, else ``3 June 2019 to 17 June 2019``."""
        if self.fy is not None:
            return self.fy.label
        if self.whole_months:
            if (self.first.year, self.first.month) == (self.last.year, self.last.month):
                return month_words(self.first)
            if self.first.year == self.last.year:
                return f"{self.first:%B} to {month_words(self.last)}"
            return f"{month_words(self.first)} to {month_words(self.last)}"
        if self.first == self.last:
            return long_date(self.first)
        return f"{long_date(self.first)} to {long_date(self.last)}"

    def fys_ending(self) -> list[FinancialYear]:
        """The MoU financial years whose last day (31 March) falls inside the period."""
        return [fy for fy in fys_between(self.first, self.last) if self.contains(fy.end)]

    def contains(self, date: datetime.date) -> bool:
        return self.first <= date <= self.last

    def __str__(self) -> str:
        return self.label


def fy_of(date: datetime.date) -> FinancialYear:
    """The financial year containing ``date``."""
    return FinancialYear(date.year if date.month >= 4 else date.year - 1)


def parse_fy(text: str) -> FinancialYear:
    """Parse ``2018/19`` or ``2018-19``; raise ``ValueError`` naming the text otherwise."""
    match = _FY_PATTERN.match(text.strip())
    if not match:
        raise ValueError(f"financial year {text!r} is not written like 2018/19")
    start = int(match.group(1))
    if (start + 1) % 100 != int(match.group(2)):
        raise ValueError(f"financial year {text!r}: {match.group(2)} does not follow {start}")
    return FinancialYear(start)


def fys_between(first: datetime.date, last: datetime.date) -> list[FinancialYear]:
    """Every FY from the one containing ``first`` to the one containing ``last``."""
    start, stop = fy_of(first).start_year, fy_of(last).start_year
    return [FinancialYear(year) for year in range(start, stop + 1)]


def add_months(date: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (clamped to the month's end)."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(date.day, days_in_month(year, month))
    return datetime.date(year, month, day)


def month_end(date: datetime.date) -> datetime.date:
    return datetime.date(date.year, date.month, days_in_month(date.year, date.month))


def month_start(date: datetime.date) -> datetime.date:
    return date.replace(day=1)


def month_words(date: datetime.date) -> str:
    """``March 2019``: a month as people read it."""
    return f"{date:%B %Y}"


def long_date(date: datetime.date) -> str:
    """``1 March 2019``, as the MoU writes dates."""
    return f"{date.day} {date:%B %Y}"


def next_day(date: datetime.date) -> datetime.date:
    """The day after ``date`` (the last date there is has none after it: itself)."""
    return date if date == datetime.date.max else date + datetime.timedelta(days=1)


def previous_day(date: datetime.date) -> datetime.date:
    return date if date == datetime.date.min else date - datetime.timedelta(days=1)


def month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``first``'s month to ``last``'s month."""
    months = []
    current = datetime.date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        if (current.year, current.month) == (datetime.MAXYEAR, 12):
            break
        current = add_months(current, 1)
    return months


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]
