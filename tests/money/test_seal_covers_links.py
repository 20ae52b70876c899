"""The seal covers an entry's links (spec section 3: "nothing written in a source file,
metadata included, can take an entry out of it"): a link added to a sealed transaction
changes its canonical form and the period's digest."""

from __future__ import annotations

import datetime

from beancount.core import data

from kcst_budget.books import load_books_string
from kcst_budget.seal import canonical

from ..conftest import HEAD

RECHARGE = """\
2019-03-25 * "Kent County Council" "Recharge: KCST Analyst, March 2019"{links}
  Expenses:Staff:Analyst      2916.65 GBP
  Assets:KFRS:KCST-Pool      -2916.65 GBP
"""
SEALED_THROUGH = datetime.date(2019, 3, 31)


def recharge(links: str = ""):
    books = load_books_string(HEAD + RECHARGE.format(links=links))
    assert books.errors == ()
    (entry,) = [e for e in books.entries if isinstance(e, data.Transaction)]
    return books, entry


def test_a_link_is_part_of_a_transactions_canonical_form() -> None:
    _, plain = recharge()
    _, linked = recharge(" ^invoice-2019-03")
    assert linked.links == frozenset({"invoice-2019-03"})
    assert "invoice-2019-03" in canonical(linked)
    assert canonical(linked) != canonical(plain)
    assert canonical(linked) != canonical(recharge(" ^invoice-2019-04")[1])


def test_adding_a_link_to_a_sealed_entry_changes_the_digest() -> None:
    plain, _ = recharge()
    linked, _ = recharge(" ^invoice-2019-03")
    assert linked.digest(SEALED_THROUGH) != plain.digest(SEALED_THROUGH)
    assert recharge(" ^invoice-2019-03")[0].digest(SEALED_THROUGH) == linked.digest(SEALED_THROUGH)
