"""Rules are judged as of a date: "nothing dated after it is judged". Judging the books as
of a day gives exactly what the books written up to that day would give."""

from __future__ import annotations

import datetime

import pytest
from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st

from kcst_budget.books import Books, books_of, load_books
from kcst_budget.rules import judge

from ..conftest import BUNDLED, ROOT

LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
DAYS = st.dates(min_value=datetime.date(2017, 12, 1), max_value=datetime.date(2020, 6, 30))


@pytest.fixture(scope="module")
def ledgers() -> list[Books]:
    return [load_books(LAPSES), load_books(BUNDLED)]


TERMS = ("kcst-agreement", "kcst-contribution-minimum", "kcst-post", "kcst-deadline")


def written_up_to(books: Books, day: datetime.date) -> Books:
    """The same books as if nothing after ``day`` had happened yet: the agreement's terms
    and the accounts stay, every event (money, meetings, decisions, notices...) after
    ``day`` goes."""
    kept = [e for e in books.entries
            if e.date <= day or isinstance(e, data.Open)
            or (isinstance(e, data.Custom) and e.type in TERMS)]
    return books_of(kept, (), books.options, books.path)  # read afresh: another list


@settings(max_examples=15, deadline=None)
@given(day=DAYS)
def test_judging_as_of_a_day_ignores_everything_written_after_it(ledgers, day) -> None:
    for books in ledgers:
        later_ignored = judge(books, day)
        assert all(f.date <= day for f in later_ignored.findings)
        assert later_ignored.findings == judge(written_up_to(books, day), day).findings
