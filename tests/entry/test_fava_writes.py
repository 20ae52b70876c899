"""Fava's own writes (its editor, add-entry form and import page) take the ledger folder's
lock, so they take turns with ``kcst record``, ``kcst import`` and ``kcst close-year``:
neither reads a file while the other is replacing it, and neither loses the other's entry."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fava.application import create_app
from flask.testing import FlaskClient

from kcst_budget import record
from kcst_budget.ledgerio import locked

#: How long a Fava save must stay blocked while a kcst writer holds the lock.
HELD_SECONDS = 1.0


@pytest.fixture
def fava(ledger_copy: Path) -> Iterator[tuple[FlaskClient, str]]:
    """The real Fava app on a copy of the bundled ledger, and its API's base URL."""
    app = create_app([str(ledger_copy)], load=True)
    yield app.test_client(), f"/{app.config['LEDGERS'].first_slug()}/api"


def contribution(ref: str) -> record.NewEntry:
    return lambda books: [record.contribution(  # type: ignore[return-value]
        books, "KP", record.parse_amount("5.00"), datetime.date(2020, 4, 20), ref=ref)]


def blocked_while_locked(folder: Path, request: threading.Thread) -> bool:
    """Start ``request`` while holding the folder's lock: is it still waiting after a while?"""
    with locked(folder):  # as kcst record does while it reads, validates and writes
        request.start()
        request.join(timeout=HELD_SECONDS)
        waiting = request.is_alive()
    request.join(timeout=60)
    return waiting and not request.is_alive()


def test_favas_editor_save_waits_while_kcst_holds_the_lock(
        ledger_copy: Path, fava: tuple[FlaskClient, str]) -> None:
    client, api = fava
    fy_file = ledger_copy.parent / "2019-20.beancount"
    shown = client.get(f"{api}/source", query_string={"filename": str(fy_file)}).get_json()["data"]
    statuses: list[int] = []
    save = threading.Thread(target=lambda: statuses.append(client.put(f"{api}/source", json={
        "file_path": str(fy_file), "source": shown["source"] + "; typed in Fava\n",
        "sha256sum": shown["sha256sum"]}).status_code))

    assert blocked_while_locked(ledger_copy.parent, save)
    assert statuses == [200] and fy_file.read_text().endswith("; typed in Fava\n")


def test_favas_add_entry_form_waits_and_keeps_an_entry_recorded_meanwhile(
        ledger_copy: Path, fava: tuple[FlaskClient, str]) -> None:
    client, api = fava
    record.write_entries(ledger_copy, contribution("RECORDED-BY-KCST"))  # Fava has not reloaded
    entry = {"t": "Transaction", "date": "2020-04-21", "flag": "*", "payee": "Kent Police",
             "narration": "Entered in Fava", "tags": [], "links": [], "meta": {},
             "postings": [{"account": "Assets:KFRS:KCST-Pool", "amount": "6.00 GBP"},
                          {"account": "Income:Contributions:KP", "amount": "-6.00 GBP"}]}
    statuses: list[int] = []
    add = threading.Thread(target=lambda: statuses.append(
        client.put(f"{api}/add_entries", json={"entries": [entry]}).status_code))

    assert blocked_while_locked(ledger_copy.parent, add)
    assert statuses == [200]
    text = "".join(p.read_text() for p in ledger_copy.parent.glob("*.beancount"))
    assert 'ref: "RECORDED-BY-KCST"' in text and '"Entered in Fava"' in text

