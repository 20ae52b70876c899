"""The fast paths taken for big books give the same answers as the plain ones."""

from __future__ import annotations

import gc
import random
from pathlib import Path

from beancount import loader
from beancount.core import data

from kcst_budget.books import Movement, load_books
from kcst_budget.money.yearend import digests
from kcst_budget.plugin import kcst_budget
from kcst_budget.synthetic import Shape, generate


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
        assert len(out) == len(entries) + 2 * 3 + 1  # two budgets per post, the dashboard
