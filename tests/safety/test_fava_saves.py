"""Fava's own saves are whole or not at all: killed at random points while its add-entry
form saves into a large main file, the file is every time the old text plus whole
entries, never truncated or empty (Fava alone rewrites the file in place)."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from fava.application import create_app

from kcst_budget.books import load_books
from tests.conftest import HEAD

#: Enough comment lines that rewriting the file takes a while, as on real books.
PADDING = "".join(f"; {n:07d} the books of the KCST pool, as the finance officer keeps them\n"
                  for n in range(40_000))
KILLS = 24
#: More kills, up to this many, while fewer than three landed inside a save (a busy machine).
MOST_KILLS = 60


def entry(number: int) -> dict[str, object]:
    return {"t": "Transaction", "date": "2019-05-01", "flag": "*", "payee": "Kent Police",
            "narration": f"Entered in Fava {number}", "tags": [], "links": [], "meta": {},
            "postings": [{"account": "Assets:KFRS:KCST-Pool", "amount": "1.00 GBP"},
                         {"account": "Income:Contributions:KP", "amount": "-1.00 GBP"}]}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked writer")
def test_a_kill_during_favas_add_entry_save_never_leaves_a_truncated_file(tmp_path: Path) -> None:
    main = tmp_path / "main.beancount"
    original = HEAD + PADDING
    main.write_text(original, encoding="utf-8")
    app = create_app([str(main)], load=True)  # the plugin's extension guards the saves
    client = app.test_client()
    api = f"/{app.config['LEDGERS'].first_slug()}/api/add_entries"
    chance = random.Random(20190501)
    saved = caught_mid_save = kills = 0
    for attempt in range(MOST_KILLS):
        if kills >= KILLS and caught_mid_save >= 3:
            break
        kills += 1
        pid = os.fork()
        if pid == 0:  # Fava, saving entries until killed
            try:
                for number in range(10_000):
                    client.put(api, json={"entries": [entry(attempt * 10_000 + number)]})
            finally:
                os._exit(0)
        time.sleep(chance.uniform(0.05, 1.0))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        caught_mid_save += bool(list(tmp_path.glob(".main.beancount.*.tmp")))
        text = main.read_text(encoding="utf-8")
        assert text.startswith(original), (attempt, len(text), len(original))
        assert text.endswith(" GBP\n"), attempt  # the last entry is whole
        saved = text.count('"Entered in Fava')
    # a kill caught Fava writing (its temporary was left), and Fava did save in between
    print(f"{kills} kills, {caught_mid_save} in the middle of a save, {saved} entries saved")
    assert caught_mid_save >= 1 and saved >= KILLS // 2
    assert client.put(api, json={"entries": [entry(-1)]}).status_code == 200
    books = load_books(main)
    assert books.errors == ()
    assert len(books.movements) == saved + 1
    assert list(tmp_path.glob(".*.tmp")) == []  # the save swept what the killed ones left


def test_favas_editor_and_form_saves_replace_the_file_instead_of_rewriting_it(
        tmp_path: Path) -> None:
    """A save that renames a new file into place gives the path a new inode; Fava's own
    in-place rewrite keeps it."""
    main = tmp_path / "main.beancount"
    main.write_text(HEAD, encoding="utf-8")
    app = create_app([str(main)], load=True)
    client = app.test_client()
    api = f"/{app.config['LEDGERS'].first_slug()}/api"
    shown = client.get(f"{api}/source", query_string={"filename": str(main)}).get_json()["data"]
    inode = main.stat().st_ino
    saved = client.put(f"{api}/source", json={"file_path": str(main), "source": shown["source"]
                                              + "; typed in Fava's editor\n",
                                              "sha256sum": shown["sha256sum"]})
    assert saved.status_code == 200 and main.read_text().endswith("; typed in Fava's editor\n")
    assert main.stat().st_ino != inode
    inode = main.stat().st_ino
    assert client.put(f"{api}/add_entries", json={"entries": [entry(1)]}).status_code == 200
    assert main.stat().st_ino != inode and '"Entered in Fava 1"' in main.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kcst.lock", ".kcst.lock.holder",
                                                         "main.beancount"]
