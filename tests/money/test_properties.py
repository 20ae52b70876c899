"""Properties of the seal over generated books (hypothesis, bounded examples). The money
views' properties, each checked against an independent computation, are in
``test_independent_properties.py``."""

from __future__ import annotations

import datetime
import random
import sys
from decimal import Decimal
from pathlib import Path

from beancount.scripts.format import align_beancount
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcst_budget.books import load_books, load_books_string

from ..conftest import HEAD

BIN = Path(sys.executable).parent
PARTNERS = ("KCC", "KFRS", "KP")
POSTS = """\
2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
  host: "KFRS"
  months: 24
2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
  host: "KCC"
  months: 18
2018-05-10 custom "kcst-decision" "D-1" "Hot desks"
  limit: 8000.00 GBP
"""
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

dates = st.dates(datetime.date(2018, 1, 1), datetime.date(2020, 3, 31))
pennies = st.integers(min_value=1, max_value=3_000_000).map(lambda n: Decimal(n) / 100)
contribution = st.tuples(st.just("c"), dates, st.sampled_from(PARTNERS), pennies)
spend = st.tuples(st.just("s"), dates,
                  st.sampled_from(["Expenses:Staff:Coordinator", "Expenses:Staff:Analyst",
                                   "Expenses:Accommodation:HotDesking"]), pennies)
movements = st.lists(st.one_of(contribution, spend), min_size=1, max_size=25)


def ledger_text(items: list[tuple[str, datetime.date, str, Decimal]]) -> str:
    body = []
    for n, (kind, date, who, amount) in enumerate(items):
        if kind == "c":
            body.append(f'{date} * "{who}" "Contribution" #c{n}\n'
                        f"  Assets:KFRS:KCST-Pool  {amount} GBP\n"
                        f"  Income:Contributions:{who}  -{amount} GBP\n")
        else:
            decision = '  decision: "D-1"\n' if who.endswith("HotDesking") else ""
            body.append(f'{date} * "Payee" "Spend"\n{decision}'
                        f"  {who}  {amount} GBP\n  Assets:KFRS:KCST-Pool  -{amount} GBP\n")
    return HEAD + POSTS + "\n".join(body)


def edits_of(entry: str, kind: str, who: str, amount: Decimal) -> list[str]:
    """The entry after each kind of single edit: date, amount, flag, tag, metadata, payee,
    narration, account."""
    first, rest = entry.split("\n", 1)
    date = datetime.date.fromisoformat(first[:10])
    more = amount + Decimal("0.01")
    return [
        first.replace(str(date), str(date + datetime.timedelta(days=1)), 1) + "\n" + rest,
        entry.replace(f" {amount} GBP", f" {more} GBP").replace(f"-{amount} GBP", f"-{more} GBP"),
        first.replace(" * ", " ! ", 1) + "\n" + rest,
        first + " #edited\n" + rest,
        first + '\n  note: "edited"\n' + rest,
        first.replace('"Payee"', '"Other payee"').replace(f'"{who}"', '"Someone"') + "\n" + rest,
        first.replace('"Spend"', '"Spent"').replace('"Contribution"', '"Paid"') + "\n" + rest,
    ] + ([entry.replace(f"  {who} ", "  Expenses:Staff:Other ")] if kind == "s" else [])


@settings(SETTINGS, max_examples=15)
@given(movements, st.randoms(use_true_random=False))
def test_digest_ignores_layout_files_and_order_and_sees_every_edit(
        tmp_path_factory, items, rnd: random.Random) -> None:
    text = ledger_text(items)
    seal = datetime.date(2020, 3, 31)
    original = load_books_string(text).digest(seal)
    # bean-format, shuffle the entries and spread them over included files: the same books
    blocks = text[len(HEAD + POSTS):].split("\n\n")
    rnd.shuffle(blocks)
    folder = tmp_path_factory.mktemp("spread")
    parts = [blocks[k::3] for k in range(3)]
    for k, part in enumerate(parts):
        (folder / f"part{k}.beancount").write_text(align_beancount("\n\n".join(part)))
    main = folder / "main.beancount"
    main.write_text(align_beancount(HEAD + POSTS) + "".join(
        f'include "part{k}.beancount"\n' for k in range(3)))
    assert load_books(main).digest(seal) == original
    # any single edit of a sealed entry (three kinds of edit drawn per example)
    index = rnd.randrange(len(items))
    entry = text[len(HEAD + POSTS):].split("\n\n")[index]
    kind, _, who, amount = items[index]
    for edited in rnd.sample(edits_of(entry, kind, who, amount), 3):
        assert edited != entry
        books = load_books_string(text.replace(entry, edited, 1))
        assert not books.errors, [e.message for e in books.errors]
        assert books.digest(seal) != original, edited
