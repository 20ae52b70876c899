"""The fast paths taken for big books give the same answers as the plain ones."""

from __future__ import annotations

import datetime
import gc
import random
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data
from hypothesis import given, settings
from hypothesis import strategies as st

from kcst_budget.mou import in_force
from kcst_budget.books import Movement, load_books, read
from kcst_budget.seal import chain, digests
from kcst_budget.plugin import kcst_budget, project_budgets
from kcst_budget.rules.term import outside_any_term
from kcst_budget.source import Source
from tools.synthetic import Shape, generate
from kcst_budget.terms import Agreement, Terms


def test_digests_are_the_same_whatever_order_the_entries_come_in(tmp_path: Path) -> None:
    books = load_books(generate(Shape(transactions=300, seed=5)).write(tmp_path))
    days = sorted({e.date for e in books.entries})
    cuts = [days[len(days) // 3], days[-1]]
    in_order = digests(books.entries, cuts)
    shuffled = list(books.entries)
    random.Random(1).shuffle(shuffled)
    assert digests(shuffled, cuts) == digests(reversed(books.entries), cuts) == in_order


def test_a_movement_is_an_immutable_record_pointing_at_its_transaction(tmp_path: Path) -> None:
    books = load_books(generate(Shape(transactions=50, seed=2)).write(tmp_path))
    movement = books.movements[0]
    assert isinstance(movement, Movement)
    assert movement.source.filename == movement.entry.meta["filename"]
    assert movement.source.lineno == movement.entry.meta["lineno"]
    text = Path(movement.source.filename).read_text().splitlines()[movement.source.lineno - 1]
    assert text.startswith(f"{movement.date} * ")
    try:
        movement.date = movement.date  # type: ignore[misc]
    except AttributeError:
        pass
    else:
        raise AssertionError("a movement can be changed")


def test_the_plugin_puts_its_entries_in_date_order_and_leaves_the_collector_as_it_was(
        tmp_path: Path) -> None:
    main = generate(Shape(transactions=100, seed=4)).write(tmp_path, plugin=False)
    entries, errors, options = loader.load_file(str(main))
    assert not errors
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            out, _ = kcst_budget(list(entries), dict(options), "as-of: 2020-03-31")
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
        assert out == sorted(out, key=data.entry_sortkey)
        # two budgets per post, the projects' budgets, the dashboard
        projects = project_budgets(read(entries, dict(options)))
        assert projects
        assert len(out) == len(entries) + 2 * 3 + len(projects) + 1


DAY = datetime.timedelta(days=1)
dates = st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2021, 12, 31))


@st.composite
def agreements(draw: st.DrawFn) -> tuple[Agreement, ...]:
    found = []
    for number in range(draw(st.integers(0, 4))):
        start = draw(dates)
        end = start + datetime.timedelta(days=draw(st.integers(-5, 900)))
        found.append(Agreement(f"MoU {number}", start, end, ("KCC", "KFRS", "KP"), "KFRS",
                               "Assets:KFRS:KCST-Pool", 2, 6, (), Source("main.beancount", 1)))
    return tuple(sorted(found, key=lambda a: a.start))


@settings(deadline=None)
@given(agreements(), dates)
def test_the_spans_outside_every_term_are_the_days_with_no_agreement_in_force(
        found: tuple[Agreement, ...], as_of: datetime.date) -> None:
    terms = Terms(agreements=tuple(sorted(found, key=lambda a: a.start)))
    spans = outside_any_term(terms, as_of)
    day = datetime.date(2016, 12, 1)
    while day <= min(as_of, datetime.date(2022, 3, 1)):
        inside = any(first <= day <= last for first, last in spans)
        assert inside == (in_force(terms, day) is None), day
        day += DAY
    assert all(last <= as_of for _, last in spans)


def test_each_account_s_spend_is_every_spend_posting_on_it_in_date_order(tmp_path: Path) -> None:
    books = load_books(generate(Shape(transactions=400, seed=7)).write(tmp_path))
    as_of = books.movements[len(books.movements) // 2].date
    plain: dict[str, list[tuple[datetime.date, Decimal]]] = {}
    for movement in books.movements:
        for account, amount in movement.spend:
            if movement.date <= as_of:
                plain.setdefault(account, []).append((movement.date, amount))
    assert len(plain) > 3
    assert set(books.spending) >= set(plain)
    for account, expected in plain.items():
        assert [(m.date, a) for m, a in books.spend_on(account, as_of)] == expected
        since = books.movements[len(books.movements) // 4].date
        assert [(m.date, a) for m, a in books.spend_on(account, as_of, since)] == [
            (date, amount) for date, amount in expected if date >= since]


def test_the_seals_are_serialised_once_per_load_and_equal_a_fresh_digest(tmp_path: Path) -> None:
    books = load_books(generate(Shape(transactions=300, years=3, seed=3)).write(tmp_path))
    year_ends = books.terms.year_ends
    assert len(year_ends) >= 2, "the generated books close their years"
    assert "seal_digests" in vars(books.reading)  # the plugin's, handed over with its reading
    records = [e for e in books.entries if type(e) is data.Custom and e.type == "kcst-year-end"]
    assert list(books.seal_digests.values()) == chain(books.reading.in_source(books.entries),
                                                      records)
    assert [y.digest for y in year_ends] == [books.seal_now(y) for y in year_ends]
