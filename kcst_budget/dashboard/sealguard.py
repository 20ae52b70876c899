"""Fava's writers keep out of sealed periods (spec section 7): its editor (PUT
``/api/source``), the entry editor (``/api/source_slice``), the add-entry form and the
import page (PUT ``/api/add_entries``) and document links (``/api/add_document``,
``/api/attach_document``) all write through the ledger's ``FileModule``.

``guard_sealed_periods`` wraps those methods of one Fava ledger: each asks
``kcst_budget.lockdates`` about the change, with the books read afresh from disk, before
calling Fava's own method, and a change dated on or before the last year-end is refused
with HTTP 409 and the reason (``SealedPeriodError``): the file is not touched.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Any

from fava.core.file import find_entry_lines
from fava.json_api import FavaJSONAPIError

from kcst_budget import lockdates
from kcst_budget.books import Books, load_books
from kcst_budget.lockdates import Touch

#: Set on a guarded ``FileModule``: the guard is installed once per Fava ledger.
GUARDED = "kcst_sealed_periods"


class SealedPeriodError(FavaJSONAPIError):
    """A change Fava was asked to write touches a sealed period."""

    status = HTTPStatus.CONFLICT

    def __init__(self, touch: Touch) -> None:
        super().__init__(f"kcst: {touch.message()}")


def guard_sealed_periods(fava_ledger: Any) -> bool:
    """Make every write of this Fava ledger refuse a change to a sealed period. Safe to
    call on every load; returns False, changing nothing, for a Fava built otherwise."""
    module = getattr(fava_ledger, "file", None)
    if module is None:
        return False
    if getattr(module, GUARDED, False):
        return True
    main = Path(fava_ledger.beancount_file_path)

    def books() -> Books:
        return load_books(main)

    def entry(entry_hash: str) -> Any:
        return fava_ledger.get_entry(entry_hash)

    def set_source(path: Path, source: str, sha256sum: str) -> Touch | None:
        now = books()
        included = {Path(name).resolve() for name in now.options.get("include", ())}
        if Path(path).resolve() not in included:
            return None  # Fava refuses a file that is not one of the ledger's
        return lockdates.source_touch(now, Path(path), source)

    def insert_entries(entries: Sequence[Any]) -> Touch | None:
        return lockdates.entries_touch(books().terms, entries)

    def save_entry_slice(entry_hash: str, source_slice: str, sha256sum: str) -> Touch | None:
        # the file as Fava would write it: the entry's lines replaced by the slice
        found = entry(entry_hash)
        path, lineno = Path(str(found.meta.get("filename"))), int(found.meta.get("lineno") or 0)
        try:
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            old = find_entry_lines(lines, lineno - 1)
        except (OSError, IndexError, UnicodeDecodeError):
            return None  # a generated entry or a vanished file: Fava refuses it itself
        text = "".join([*lines[:lineno - 1], source_slice + "\n",
                        *lines[lineno - 1 + len(old):]])
        return lockdates.source_touch(books(), path, text)

    def delete_entry_slice(entry_hash: str, sha256sum: str) -> Touch | None:
        return lockdates.entries_touch(books().terms, [entry(entry_hash)],
                                       "the entry to delete is")

    def insert_metadata(entry_hash: str, basekey: str, value: str) -> Touch | None:
        return lockdates.entries_touch(books().terms, [entry(entry_hash)],
                                       "the entry to annotate is")

    for name, check in (("set_source", set_source), ("insert_entries", insert_entries),
                        ("save_entry_slice", save_entry_slice),
                        ("delete_entry_slice", delete_entry_slice),
                        ("insert_metadata", insert_metadata)):
        original = getattr(module, name, None)
        if original is None:
            return False
        setattr(module, name, _refusing(original, check))
    setattr(module, GUARDED, True)
    return True


def _refusing(write: Callable[..., Any], check: Callable[..., Touch | None]) -> Callable[..., Any]:
    @functools.wraps(write)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        touch = check(*args, **kwargs)
        if touch is not None:
            raise SealedPeriodError(touch)
        return write(*args, **kwargs)

    return guarded
