"""No stale verdicts: ``bean-check`` and Fava never report a judgement made on another day.

The plugin judges as of today when its line names no ``as-of``. Beancount's load cache
(``.main.beancount.picklecache``) is keyed on the ledger's files only, so on unchanged
files it would serve yesterday's verdict; the plugin makes the cached load name one more
input on any other day, and Beancount loads and judges afresh. Tested with the cache on
(Beancount caches only loads slower than a second: the threshold is lowered to nothing,
all else is the real ``bean-check``), the day moved with ``KCST_TODAY``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kcst_budget.dashboard.server import make_app

from ..conftest import HEAD

DEADLINE = ('2018-01-01 custom "kcst-deadline" "formal-review-report" 2019-03-01\n'
            '  clause: "13.2"\n')
BREACH = "[deadlines cl. 13.2]"
#: bean-check itself, with Beancount's cache on for loads of any length.
BEAN_CHECK_CACHED = ("import sys; from beancount import loader; "
                     "loader.PICKLE_CACHE_THRESHOLD = 0; loader.initialize(True); "
                     "from beancount.scripts.check import main; main()")


def bean_check(ledger: Path, today: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items()
           if key != "BEANCOUNT_DISABLE_LOAD_CACHE"}
    return subprocess.run([sys.executable, "-c", BEAN_CHECK_CACHED, str(ledger)],
                          capture_output=True, text=True, env={**env, "KCST_TODAY": today})


def cache_of(ledger: Path) -> tuple[int, int]:
    """The cache file's inode and modification time: both change when it is rewritten."""
    stat = (ledger.parent / f".{ledger.name}.picklecache").stat()
    return stat.st_ino, stat.st_mtime_ns


def test_a_deadline_passing_overnight_is_reported_by_the_cached_bean_check(
        write_ledger) -> None:
    ledger = write_ledger(DEADLINE)
    before = ledger.read_bytes()

    first = bean_check(ledger, "2019-02-28")
    assert BREACH not in first.stderr, first.stderr
    cached = cache_of(ledger)  # the first run wrote the cache

    same_day = bean_check(ledger, "2019-02-28")
    assert (same_day.returncode, same_day.stderr) == (first.returncode, first.stderr)
    assert cache_of(ledger) == cached  # served from the cache

    next_days = bean_check(ledger, "2019-03-02")
    assert next_days.returncode == 1
    assert (f"{ledger}:{HEAD.count(chr(10)) + 1}: {BREACH} formal-review-report was due by "
            "1 March 2019 and not delivered\n" in next_days.stderr), next_days.stderr
    assert cache_of(ledger) != cached  # judged afresh, and cached again
    assert ledger.read_bytes() == before

    again = bean_check(ledger, "2019-03-02")  # the new verdict is itself served that day
    assert BREACH in again.stderr and cache_of(ledger) != cached


def test_books_judged_as_of_a_fixed_date_keep_their_cache_every_day(write_ledger) -> None:
    """With ``as-of`` on the plugin line the verdict does not depend on the day."""
    ledger = write_ledger(HEAD.replace('plugin "kcst_budget.plugin"',
                                       'plugin "kcst_budget.plugin" "as-of: 2019-03-02"')
                          + DEADLINE, head=False)
    first = bean_check(ledger, "2019-02-28")
    assert BREACH in first.stderr
    cached = cache_of(ledger)
    later = bean_check(ledger, "2026-12-02")
    assert later.stderr == first.stderr and cache_of(ledger) == cached


def test_a_running_fava_judges_again_when_the_day_changes(write_ledger,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ledger = write_ledger(DEADLINE)
    monkeypatch.setenv("KCST_TODAY", "2019-02-28")
    app = make_app(ledger)
    slug = app.config["LEDGERS"].first_slug()
    client = app.test_client()

    def errors() -> list[str]:
        return [e["message"] for e in client.get(f"/{slug}/api/errors").get_json()["data"]]

    assert client.get(f"/{slug}/extension/KCSTDashboard/").status_code == 200
    assert not [m for m in errors() if BREACH in m]

    monkeypatch.setenv("KCST_TODAY", "2019-03-02")
    page = client.get(f"/{slug}/extension/KCSTDashboard/")  # the next request, the next day
    assert page.status_code == 200
    assert [m for m in errors() if BREACH in m], errors()
    assert "formal-review-report" in page.get_data(as_text=True)
