"""Safe writes to the ledger: nothing the user entered is ever lost.

Every write takes an exclusive lock on the ledger's folder, re-checks that each file it
changes is still what was read (its sha256, as Fava checks before saving a slice), and
replaces each file atomically (temporary file, fsync, rename, fsync of the folder). A
crash leaves each file either wholly old or wholly new.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".kcst.lock"


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
    """Hold the exclusive lock of the ledger in ``folder`` (blocks until it is free)."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


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
    for path, (_, text) in sorted(changes.items(), key=lambda item: item[1][0].text
                                         is not None):
        write_atomic(path, text)
