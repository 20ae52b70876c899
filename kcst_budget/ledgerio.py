"""Safe writes to the ledger: nothing the user entered is ever lost.

Every write takes an exclusive lock on the ledger's folder, re-checks that each file it
changes is still what was read (its sha256, as Fava checks before saving a slice), and
replaces each file atomically (temporary file, fsync, rename, fsync of the folder). A
crash leaves each file either wholly old or wholly new.

Fava writes the same files from its editor, its add-entry form and its import page, each
write under a lock of its own. ``guard_fava_writes`` (called by the SMT dashboard
extension, which the plugin registers in every Fava that opens the ledger) makes that
lock also take the folder's lock, so Fava and ``kcst record``, ``kcst import`` and
``kcst close-year`` take turns: none reads a file while another is writing it. Fava's
editor then saves only if the file is still the one it showed (its sha256 check), so a
record made while the editor was open makes the stale save fail instead of overwriting.
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

class LedgerChanged(Exception):
    """A file changed between reading and writing (another writer got there first)."""


@dataclass(frozen=True)
class Snapshot:
    """A file's text as read, with its sha256 (``None`` text: the file did not exist)."""

    path: Path
    text: str | None
    sha256: str | None

    @classmethod
    def read(cls, path: Path) -> Snapshot:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path, None, None)
        return cls(path, raw.decode("utf-8"), hashlib.sha256(raw).hexdigest())

    def unchanged(self) -> bool:
        return Snapshot.read(self.path).sha256 == self.sha256


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the exclusive lock of the ledger in ``folder`` (blocks until it is free).

    The lock is taken on the folder itself, so locking creates no file.
    """
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: temporary file, fsync, rename."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def apply(changes: Mapping[Path, tuple[Snapshot, str]]) -> None:
    """Write each ``path -> (snapshot read, new text)`` if no file changed since it was read.

    The caller holds ``locked``. New files are written before the files that include
    them, so a crash never leaves an include pointing at nothing.
    """
    for path, (snapshot, _) in changes.items():
        if not snapshot.unchanged():
            raise LedgerChanged(f"{path} changed since it was read; nothing was written, "
                                "run the command again")
    for path in changes:
        remove_stale_temporaries(path)
    for path, (_, text) in sorted(changes.items(), key=lambda item: item[1][0].text
                                         is not None):
        write_atomic(path, text)


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files a writer killed mid-write left beside ``path``.

    The caller holds ``locked``, so no other writer of ours is writing them now.
    """
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


def trial_load(main: Path, new_texts: Mapping[Path, str]) -> Any:
    """Load the ledger as it would be with ``new_texts`` written, without touching it.

    The folder holding the main file is copied to a temporary folder, the new texts are
    written there, and the copy is loaded with the real loader. Returns its ``Books``.
    """
    from kcst_budget.books import load_books

    folder = main.resolve().parent
    with tempfile.TemporaryDirectory(prefix="kcst-trial-") as scratch:
        copy = Path(scratch) / folder.name
        shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*.picklecache", ".*.tmp"))
        for path, text in new_texts.items():
            target = copy / path.resolve().relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        books = load_books(copy / main.name)
    return books


class _FolderAndFavaLock:
    """Fava's per-ledger write lock, made to also hold the ledger folder's ``locked``."""

    def __init__(self, folder: Path, fava_lock: Any) -> None:
        self.folder = folder
        self.fava_lock = fava_lock
        self._held: Any = None  # set and cleared while holding ``fava_lock``: one at a time

    def __enter__(self) -> None:
        self.fava_lock.__enter__()
        held = locked(self.folder)
        try:
            held.__enter__()
        except BaseException:
            self.fava_lock.__exit__(None, None, None)
            raise
        self._held = held

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        held, self._held = self._held, None
        try:
            held.__exit__(kind, value, traceback)
        finally:
            self.fava_lock.__exit__(kind, value, traceback)


def guard_fava_writes(fava_ledger: Any) -> bool:
    """Make a Fava ledger's writes (editor, add-entry form, import page, document links)
    take the folder's lock as well as Fava's own.

    Fava's ``FileModule`` runs each write under its ``_lock``; that lock is wrapped. Safe to
    call on every load. Returns False, changing nothing, for a Fava without that lock.
    """
    module = getattr(fava_ledger, "file", None)
    fava_lock = getattr(module, "_lock", None)
    if fava_lock is None:
        return False
    if not isinstance(fava_lock, _FolderAndFavaLock):
        folder = Path(fava_ledger.beancount_file_path).resolve().parent
        module._lock = _FolderAndFavaLock(folder, fava_lock)
    return True
