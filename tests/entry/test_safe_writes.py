"""Safe writes: concurrent writers never lose each other's entries, a writer killed at any
point leaves only whole entries, and Fava's stale save fails rather than overwrite."""

from __future__ import annotations

import datetime
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from fava.core import FavaLedger
from fava.core.file import ExternallyChangedError

from kcst_budget import record
from kcst_budget.books import load_books
from kcst_budget.periods import fy_of
from kcst_budget.ledgerio import LedgerChanged, Snapshot, apply, locked
from tests.conftest import HEAD, ROOT

WRITER = textwrap.dedent("""
    import datetime, sys
    from pathlib import Path
    from kcst_budget import record
    main, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    for number in range(count):
        record.write_entries(main, lambda books: [record.contribution(
            books, "KP", record.parse_amount(f"{number + 1}.00"), datetime.date(2019, 5, 1),
            ref=f"{name}-{number}")])
""")


@pytest.fixture
def small_ledger(tmp_path: Path) -> Path:
    """A ledger of the MoU's terms only, kept small so that writers run fast."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(HEAD, encoding="utf-8")
    return main


def refs_of(main: Path) -> list[str]:
    books = load_books(main)
    assert books.errors == ()
    return [m.ref for m in books.movements if m.ref]


def test_two_processes_recording_50_entries_each_leave_all_100(small_ledger: Path) -> None:
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(small_ledger), name, "50"],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True)
               for name in ("first", "second")]
    for writer in writers:
        _, errors = writer.communicate(timeout=300)
        assert writer.returncode == 0, errors
    refs = refs_of(small_ledger)
    assert sorted(refs) == sorted(f"{name}-{n}" for name in ("first", "second") for n in range(50))
    books = load_books(small_ledger)
    # 1 + 2 + ... + 50 from each writer
    assert books.net_contributions("KP", datetime.date(2019, 4, 1), datetime.date(2020, 3, 31)) == 2 * 1275


def test_a_writer_killed_at_random_points_leaves_only_whole_entries(small_ledger: Path) -> None:
    """SIGKILL 200 times at random points while ``record`` writes: every time the ledger
    loads without error and each entry in it is whole (both postings, balanced)."""
    chance = random.Random(20190501)
    fy_file = small_ledger.parent / "2019-20.beancount"
    fy_file_date = datetime.date(2019, 5, 1)
    written = 0
    # The kill comes within ``window`` of the writer's start. The machine's load varies (a
    # record takes 0.05 s on an idle machine, ten times that on a busy one), so the window
    # follows it: wider after a round in which no entry landed, narrower after one that did.
    window = 0.2
    for attempt in range(200):
        pid = os.fork()
        if pid == 0:  # the writer: record until killed
            try:
                for number in range(1000):
                    ref = f"kill-{attempt}-{number}"
                    record.write_entries(small_ledger, lambda books, ref=ref: [record.contribution(
                        books, "KP", record.parse_amount("1.00"), datetime.date(2019, 5, 1),
                        ref=ref)])
            finally:
                os._exit(0)
        time.sleep(chance.uniform(0.0, window))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        books = load_books(small_ledger)
        assert books.errors == (), (attempt, books.errors)
        for movement in books.movements:
            assert len(movement.entry.postings) == 2 and movement.pool_change == 1
        refs = [m.ref for m in books.movements]
        assert len(refs) == len(set(refs))
        if fy_file.exists():  # whole entries, or (killed as it was created) just its header
            text = fy_file.read_text()
            assert text.endswith(" GBP\n") or text == record.fy_header(fy_of(fy_file_date))
        window *= 0.85 if len(refs) > written else 1.1
        written = len(refs)
    assert written >= 10  # the writers did get entries in between the kills
    leftovers = list(small_ledger.parent.glob(".*.tmp"))
    record.write_entries(small_ledger, lambda books: [record.contribution(
        books, "KP", record.parse_amount("1.00"), datetime.date(2019, 5, 1), ref="after")])
    assert all(not path.exists() for path in leftovers)  # the next write sweeps them up


def test_a_write_refuses_a_file_changed_since_it_was_read(small_ledger: Path) -> None:
    snapshot = Snapshot.read(small_ledger)
    small_ledger.write_text(HEAD + "; edited in Fava meanwhile\n")
    with locked(small_ledger.parent), pytest.raises(LedgerChanged, match="changed since it was read"):
        apply({small_ledger: (snapshot, HEAD + "; ours\n")})
    assert small_ledger.read_text().endswith("; edited in Fava meanwhile\n")


def test_favas_stale_save_fails_after_a_record(small_ledger: Path) -> None:
    """Fava's editor sends the sha256 of the text it opened; a record in between makes
    Fava refuse the save (ExternallyChangedError), so the recorded entry is not lost."""
    record.write_entries(small_ledger, lambda books: [record.contribution(
        books, "KP", record.parse_amount("5.00"), datetime.date(2019, 5, 1), ref="first")])
    fy_file = small_ledger.parent / "2019-20.beancount"
    fava = FavaLedger(str(small_ledger))
    opened_text, opened_sha = fava.file.get_source(fy_file)
    record.write_entries(small_ledger, lambda books: [record.contribution(
        books, "KCC", record.parse_amount("7.00"), datetime.date(2019, 5, 2), ref="second")])
    with pytest.raises(ExternallyChangedError):
        fava.file.set_source(fy_file, opened_text + "\n; the editor's change\n", opened_sha)
    assert 'ref: "second"' in fy_file.read_text()
    assert "the editor's change" not in fy_file.read_text()
