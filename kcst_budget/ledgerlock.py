"""The ledger's lock: one writer at a time in a ledger folder, on any operating system.

``kcst record``, ``kcst import``, ``kcst close-year`` and Fava's saves take turns by
holding the lock file ``.kcst.lock`` in the folder of the ledger's main file (a
``filelock.FileLock``: ``flock`` on Linux and macOS, ``msvcrt`` locking on Windows, which
is what a fire service's finance office runs; the operating system releases it when its
holder dies, even by ``kill -9``).

The holder writes who it is into ``.kcst.lock.holder`` (process id, command, since when).
A writer that finds the lock taken says who holds it, waits, and gives up after
``KCST_LOCK_TIMEOUT`` seconds (30 unless set) with ``LedgerBusy``: a hung holder never
makes the finance officer wait without a word, or forever::

    kcst: waiting for the ledger lock of ledger/: held by process 4242 (kcst record spend
    --account ...) since 2020-04-18 14:02:07; giving up after 30 s
"""

from __future__ import annotations

import datetime
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".kcst.lock"
HOLDER_NAME = ".kcst.lock.holder"
TIMEOUT_VARIABLE = "KCST_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 30.0


class LedgerWriteError(Exception):
    """A write to the ledger cannot go ahead; the message says why. Nothing was written."""


class LedgerBusy(LedgerWriteError):
    """Another writer held the ledger's lock for longer than the wait allowed."""


def lock_timeout() -> float:
    """Seconds to wait for the lock: ``$KCST_LOCK_TIMEOUT``, else 30."""
    text = os.environ.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise LedgerWriteError(f"{TIMEOUT_VARIABLE}: {text!r} is not a number of seconds "
                               "(0 or more)")
    return seconds


def holder_of(folder: Path) -> str:
    """Who holds (or last held) the lock of ``folder``, as its holder wrote it."""
    try:
        text = (folder / HOLDER_NAME).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "another program (it left no name)"


def _describe_self(purpose: str | None) -> str:
    command = purpose or " ".join([Path(sys.argv[0]).name, *sys.argv[1:]] if sys.argv else ["?"])
    if len(command) > 160:
        command = command[:157] + "..."
    since = datetime.datetime.now().isoformat(sep=" ", timespec="seconds")
    return f"process {os.getpid()} ({command}) since {since}"


@contextmanager
def locked(folder: Path, purpose: str | None = None) -> Iterator[None]:
    """Hold the exclusive lock of the ledger in ``folder``.

    Waits at most ``lock_timeout()`` seconds, saying on stderr who holds it, then raises
    ``LedgerBusy``. ``purpose`` names the holder in ``.kcst.lock.holder`` (default: the
    command line).
    """
    from filelock import FileLock, Timeout

    folder = Path(folder)
    wait = lock_timeout()
    lock = FileLock(str(folder / LOCK_NAME))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            holder = holder_of(folder)
            print(f"kcst: waiting for the ledger lock of {folder}: held by {holder}; giving up "
                  f"after {wait:g} s", file=sys.stderr, flush=True)
            try:
                lock.acquire(timeout=wait, poll_interval=0.05)
            except Timeout:
                raise LedgerBusy(f"the ledger in {folder} is still locked after {wait:g} s, held "
                                 f"by {holder}; if that program hangs, stop it (set "
                                 f"{TIMEOUT_VARIABLE} to wait longer)") from None
    except OSError as problem:
        raise LedgerWriteError(f"cannot lock the ledger in {folder}: "
                               f"{problem.strerror or problem}") from None
    try:
        from kcst_budget.ledgerio import write_atomic

        try:
            write_atomic(folder / HOLDER_NAME, _describe_self(purpose) + "\n")
        except OSError:
            pass  # the name is a courtesy to whoever waits; the lock itself is held
        yield
    finally:
        lock.release()
