"""Jinja2 rendering shared by the reports: GBP and date filters, autoescaping."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import jinja2

from kcst_budget import asof
from kcst_budget.amounts import decimal_string, gbp
from kcst_budget.money.forecast import months_text
from kcst_budget.rules._common import and_list, clause_words, id_words, plural
from kcst_budget.source import Source

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("kcst_budget.reports", "templates"),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True)
_ENV.filters["gbp"] = lambda value: "" if value is None else gbp(Decimal(value))
_ENV.filters["money"] = lambda value: "" if value is None else decimal_string(Decimal(value))


def long_date(value: object) -> object:
    """``17 January 2019``; anything else as given."""
    return f"{value.day} {value:%B %Y}" if isinstance(value, datetime.date) else value


_ENV.filters["long_date"] = long_date
_ENV.filters["place"] = lambda source: source.display() if isinstance(source, Source) else source
_ENV.filters["where"] = lambda finding: Source(finding["file"], finding["line"]).display()
_ENV.filters["percent"] = lambda share: f"{Decimal(share) * 100:.2f}%"
_ENV.filters["plural"] = plural
_ENV.filters["months"] = months_text
_ENV.filters["clause"] = lambda clause: clause_words(clause or "")
_ENV.filters["words"] = id_words
_ENV.filters["and_list"] = and_list
_ENV.filters["day"] = lambda iso: long_date(datetime.date.fromisoformat(iso)) if iso else ""


def render(template: str, **context: Any) -> str:
    return _ENV.get_template(template).render(**context, generated=asof.today())
