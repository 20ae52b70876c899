"""Safe writes: nothing the user entered is ever lost, and nothing is ever half written.

Every file the project writes (a ledger file, a report, ``kcst audit --output``, the
lock's holder note) goes through ONE helper, ``AtomicFile``: the bytes go to a temporary
file beside the target (``.<name>.<pid>-<random>.tmp``, created with the mode a new file
gets from the umask, 0644 under the usual 022), are flushed and fsync'ed, the temporary
takes the target's mode if it exists and is renamed over it, and the folder is fsync'ed
so the rename itself survives a power cut. A crash or a ``kill -9`` leaves the target
wholly old or wholly new; the temporaries of a dead writer are swept by the next write
beside them.

Ledger writes also hold the ledger's lock (``kcst_budget.ledgerlock.locked``) and
re-check that each file they change is still what was read (its sha256, as Fava checks
before saving a slice).

Fava writes the same files from its editor, its add-entry form and its import page.
``guard_fava_writes`` (called by the SMT dashboard extension, which the plugin registers
in every Fava that opens the ledger) makes Fava's write lock also take the folder's lock,
so Fava and ``kcst record``, ``kcst import`` and ``kcst close-year`` take turns, and makes
each of Fava's saves go through ``AtomicFile`` too: Fava itself truncates a file and
rewrites it in place, which a kill mid-save leaves truncated or empty.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kcst_budget.ledgerlock import LedgerBusy, LedgerWriteError, locked

__all__ = ["AtomicFile", "LedgerBusy", "LedgerChanged", "LedgerWriteError", "OutsideLedger",
           "Snapshot", "apply", "guard_fava_writes", "ledger_file_at", "locked", "process_alive",
           "remove_stale_temporaries", "sweep_trials", "trial_load", "write_atomic"]

#: The temporary folders of ``trial_load``: ``kcst-trial-<pid>-<random>``.
TRIAL_PREFIX = "kcst-trial-"
_TRIAL_OWNER = re.compile(rf"^{TRIAL_PREFIX}(\d+)-")
_TEMPORARY_OWNER = re.compile(r"\.(\d+)-[0-9a-f]+\.tmp$")
#: What a copy of the ledger folder leaves out: caches, temporaries, the lock.
_NOT_COPIED = shutil.ignore_patterns(".*.picklecache", ".*.tmp", ".kcst.lock*")


class LedgerChanged(LedgerWriteError):
    """A file changed between reading and writing (another writer got there first)."""


class OutsideLedger(LedgerWriteError):
    """A file to write leads out of the ledger's folder (a symlink, say)."""


# ---- The one way a file is written -------------------------------------------------------

class AtomicFile:
    """A file open for writing that replaces ``target`` only when closed without error.

    ``with AtomicFile(path, "w", encoding="utf-8") as handle: handle.write(text)``: the
    text is written to a temporary file beside ``path``, fsync'ed, and renamed over
    ``path`` (then the folder is fsync'ed) when the block ends; if the block raises, the
    temporary is removed and ``path`` is untouched. ``mode`` is ``"w"`` or ``"wb"``.
    """

    def __init__(self, target: str | os.PathLike[str], mode: str = "wb", *,
                 encoding: str | None = None, errors: str | None = None,
                 newline: str | None = None) -> None:
        if mode not in ("w", "wt", "wb"):
            raise ValueError(f"AtomicFile writes a whole file (mode 'w' or 'wb'), not {mode!r}")
        self.target = Path(os.fspath(target))
        remove_stale_temporaries(self.target)
        flags = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
                 | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOINHERIT", 0))
        while True:
            temporary = self.target.parent / (f".{self.target.name}.{os.getpid()}-"
                                              f"{secrets.token_hex(4)}.tmp")
            try:
                descriptor = os.open(temporary, flags, 0o666)  # the umask gives the usual mode
                break
            except FileExistsError:
                continue
        self.temporary = temporary
        binary = "b" in mode
        self._handle: IO[Any] = os.fdopen(descriptor, mode, encoding=None if binary else encoding,
                                          errors=None if binary else errors,
                                          newline=None if binary else newline)
        self._finished = False

    def write(self, data: Any) -> int:
        return self._handle.write(data)

    def writelines(self, lines: Any) -> None:
        self._handle.writelines(lines)

    def __getattr__(self, name: str) -> Any:  # flush, seek, tell... of the temporary file
        handle = self.__dict__.get("_handle")
        if handle is None:
            raise AttributeError(name)
        return getattr(handle, name)

    def commit(self) -> None:
        """Make the written bytes the target's: fsync, keep the target's mode, rename."""
        if self._finished:
            return
        self._finished = True
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
            try:
                os.chmod(self.temporary, os.stat(self.target).st_mode & 0o7777)
            except FileNotFoundError:
                pass  # a new file keeps the mode it was created with
            os.replace(self.temporary, self.target)
        except BaseException:
            self._remove_temporary()
            raise
        _fsync_folder(self.target.parent)

    def discard(self) -> None:
        """Forget what was written: the target stays as it was."""
        if self._finished:
            return
        self._finished = True
        self._remove_temporary()

    close = commit

    def _remove_temporary(self) -> None:
        try:
            self._handle.close()
        except OSError:
            pass
        try:
            os.unlink(self.temporary)
        except FileNotFoundError:
            pass

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8, newlines as given)."""
    if isinstance(data, str):
        with AtomicFile(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
    else:
        with AtomicFile(path, "wb") as handle:
            handle.write(data)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows cannot open a folder)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (on any operating system)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - the finance office's Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.GetLastError() == 5  # type: ignore[attr-defined]  # access denied
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files that writers killed mid-write left beside ``path``: those
    whose process is gone (and any of the older nameless kind)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        owner = _TEMPORARY_OWNER.search(stale.name)
        if owner is None or not process_alive(int(owner.group(1))):
            try:
                stale.unlink()
            except OSError:
                pass


#: What a report may be: an earlier report of these kinds in the ledger's folder may be
#: replaced by a new one; any other file there belongs to the books.
REPORT_SUFFIXES = frozenset({".html", ".pdf", ".xlsx", ".json", ".txt", ".ics"})


def ledger_file_at(path: Path, main: Path, included: Iterable[str]) -> str | None:
    """Why ``path`` must not be written by a report (``--output``), or None.

    Refused: a file the ledger includes, wherever it is, reached by any path or symlink;
    any other file already in the ledger's folder (an FY file not yet included, the
    import map, an export, the lock) unless it is itself a report (``REPORT_SUFFIXES``).
    A new file there, or anything elsewhere, is no file of the ledger.
    """
    real = path.resolve()
    replaced = path.absolute().parent.resolve() / path.name  # what the rename would replace
    folder = main.resolve().parent
    shown = f"{path} (a link to {real})" if path.is_symlink() else str(path)
    books = {Path(name).resolve() for name in included} | {main.resolve()}
    if real in books or replaced in books:
        return f"{shown} is a file of the ledger ({real.name})"
    for place in (real, replaced):
        if place.is_relative_to(folder) and (place.exists() or place.is_symlink()) \
                and (place.is_symlink() or place.suffix.lower() not in REPORT_SUFFIXES
                     or place.name.startswith(".")):
            return f"{shown} is a file in the ledger's folder {folder}"
    return None


# ---- Ledger writes: read, re-check, replace ------------------------------------------------

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
        except IsADirectoryError:
            raise LedgerWriteError(f"{path} is a folder, not a ledger file") from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as problem:
            line = raw[:problem.start].count(b"\n") + 1
            raise LedgerWriteError(f"{path}:{line}: not UTF-8 text ({problem.reason}); save the "
                                   "file as UTF-8") from None
        return cls(path, text, hashlib.sha256(raw).hexdigest())

    def unchanged(self) -> bool:
        return Snapshot.read(self.path).sha256 == self.sha256


def apply(changes: Mapping[Path, tuple[Snapshot, str]]) -> None:
    """Write each ``path -> (snapshot read, new text)`` if no file changed since it was read.

    The caller holds ``locked``. New files are written before the files that include
    them, so a crash never leaves an include pointing at nothing. A path that is a symlink
    is written where it leads (``trial_load`` has refused one leading out of the folder).
    """
    for path, (snapshot, _) in changes.items():
        if not snapshot.unchanged():
            raise LedgerChanged(f"{path} changed since it was read; nothing was written, "
                                "run the command again")
    for path, (_, text) in sorted(changes.items(), key=lambda item: item[1][0].text
                                  is not None):
        write_atomic(path.resolve(), text)


# ---- Trial loads -----------------------------------------------------------------------------

def trial_load(main: Path, new_texts: Mapping[Path, str]) -> Any:
    """Load the ledger as it would be with ``new_texts`` written, without touching it.

    The folder holding the main file is copied to a temporary folder
    (``kcst-trial-<pid>-...``), the new texts are written there, and the copy is loaded
    with the real loader. Returns its ``Books``. A file to write that leads out of the
    folder is refused (``OutsideLedger``). Copies left by a process killed meanwhile are
    swept first.
    """
    from kcst_budget.books import load_books

    folder = main.resolve().parent
    for path in new_texts:
        real = path.resolve()
        if not real.is_relative_to(folder):
            shown = f"{path} (a link to {real})" if real != path.absolute() else str(path)
            raise OutsideLedger(f"{shown} is outside the ledger folder {folder}: kcst writes "
                                f"only the files in the folder of {main.name}")
    sweep_trials()
    scratch = Path(tempfile.mkdtemp(prefix=f"{TRIAL_PREFIX}{os.getpid()}-"))
    try:
        copy = scratch / folder.name
        shutil.copytree(folder, copy, ignore=_NOT_COPIED)
        for path, text in new_texts.items():
            target = copy / path.resolve().relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            target.write_text(text, encoding="utf-8")
        return load_books(copy / main.name)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


#: A trial copy whose name names no process (made by another version of kcst) is swept
#: only once it is this old: its owner may be loading it right now.
STRAY_TRIAL_SECONDS = 3600


def _older_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:
        return False


def sweep_trials(folder: Path | None = None) -> list[Path]:
    """Remove the trial copies whose process is gone (killed during a trial load)."""
    removed = []
    for trial in Path(folder or tempfile.gettempdir()).glob(f"{TRIAL_PREFIX}*"):
        owner = _TRIAL_OWNER.match(trial.name)
        if owner is not None and process_alive(int(owner.group(1))):
            continue
        if owner is None and not _older_than(trial, STRAY_TRIAL_SECONDS):
            continue  # named by another version of kcst, perhaps still loading it
        if trial.is_dir() and not trial.is_symlink():
            shutil.rmtree(trial, ignore_errors=True)
            removed.append(trial)
    return removed


# ---- Fava's writes ---------------------------------------------------------------------------

class _FolderAndFavaLock:
    """Fava's per-ledger write lock, made to also hold the ledger folder's ``locked``."""

    def __init__(self, folder: Path, fava_lock: Any) -> None:
        self.folder = folder
        self.fava_lock = fava_lock
        self._held: Any = None  # set and cleared while holding ``fava_lock``: one at a time

    def __enter__(self) -> None:
        self.fava_lock.__enter__()
        held = locked(self.folder, purpose="a save from Fava")
        try:
            held.__enter__()
        except BaseException as problem:
            self.fava_lock.__exit__(None, None, None)
            if isinstance(problem, LedgerWriteError):
                from fava.helpers import FavaAPIError

                raise FavaAPIError(str(problem)) from None  # Fava answers with the message
            raise
        self._held = held

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        held, self._held = self._held, None
        try:
            held.__exit__(kind, value, traceback)
        finally:
            self.fava_lock.__exit__(kind, value, traceback)


def _atomic_save_path() -> type[Path]:
    """A ``Path`` whose ``open`` for writing is an ``AtomicFile`` (the type of the platform's
    concrete paths, as Python before 3.12 cannot subclass ``Path`` itself)."""

    class AtomicSavePath(type(Path())):  # type: ignore[misc]
        def open(self, mode: str = "r", buffering: int = -1, encoding: str | None = None,
                 errors: str | None = None, newline: str | None = None) -> Any:
            if mode in ("w", "wt", "wb"):
                return AtomicFile(self, mode, encoding=encoding, errors=errors, newline=newline)
            return super().open(mode, buffering, encoding, errors, newline)

    return AtomicSavePath


AtomicSavePath = _atomic_save_path()


def _make_favas_saves_atomic(module: Any) -> bool:
    """Route every write of Fava's ``FileModule`` through ``AtomicFile``.

    Fava's writers (``insert_entry``, ``save_entry_slice``, ``delete_entry_slice``,
    ``insert_metadata_in_file``) build their paths with ``fava.core.file.Path`` and write
    with ``path.open("w")``; that name is pointed at ``AtomicSavePath``. The editor's
    ``set_source`` is handed its path by the request, so the module's method is wrapped to
    pass the same kind of path. Returns False for a Fava built otherwise.
    """
    import pathlib

    import fava.core.file as fava_file

    current = getattr(fava_file, "Path", None)
    if current is not AtomicSavePath:
        if current is not pathlib.Path:
            return False
        fava_file.Path = AtomicSavePath
    set_source: Callable[..., Any] | None = getattr(module, "set_source", None)
    if set_source is not None and not getattr(set_source, "kcst_atomic", False):
        def atomic_set_source(path: Path, source: str, sha256sum: str) -> Any:
            return set_source(AtomicSavePath(path), source, sha256sum)

        atomic_set_source.kcst_atomic = True  # type: ignore[attr-defined]
        module.set_source = atomic_set_source
    return True


def guard_fava_writes(fava_ledger: Any) -> bool:
    """Make a Fava ledger's writes (editor, add-entry form, import page, document links)
    take the folder's lock as well as Fava's own, and write each file atomically.

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
    return _make_favas_saves_atomic(module)
