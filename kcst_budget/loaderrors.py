"""Errors of the loader put where the finance officer can act on them.

Beancount reports an include it cannot follow at no place at all::

    <load>:0: File glob "2020-21.beancount" does not match any files
    <load>:0: Duplicate filename parsed: "/books/ledger/main.beancount"

and a file saved with a byte-order mark (as Notepad and Excel save "UTF-8") as "Invalid
token" errors on its line 1, without a word about the mark. ``placed`` names the file and
line of the ``include`` directive at fault, and says what the mark is::

    ledger/main.beancount:5: include "2020-21.beancount": no file matches it
    ledger/2019-20.beancount:3: include "main.beancount": main.beancount is already loaded
      (an include cycle, or a file included twice)
    ledger/main.beancount:1: the file starts with a byte-order mark (U+FEFF) ...

A byte-order mark is refused, not silently accepted: Fava and ``bean-check`` read the same
files and stumble on it the same way, so the file itself is what needs saving again.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

_INCLUDE = re.compile(r'^\s*include\s+"((?:[^"\\]|\\.)*)"')
_NO_MATCH = re.compile(r'^File glob "(.*)" does not match any files$')
_DUPLICATE = re.compile(r'^Duplicate filename parsed: "(.*)"$')
BOM = b"\xef\xbb\xbf"
BOM_MESSAGE = ("the file starts with a byte-order mark (U+FEFF, as some Windows editors save "
               "UTF-8), which Beancount cannot read: save it as UTF-8 without a byte-order mark")


class LoadProblem(NamedTuple):
    """An error of the ledger's files (Beancount's error shape: source, message, entry)."""

    source: dict[str, Any]
    message: str
    entry: Any


class _Include(NamedTuple):
    filename: str
    lineno: int
    pattern: str
    matches: tuple[str, ...]  # absolute paths the pattern names now


def _includes(files: Iterable[str]) -> list[_Include]:
    """Every ``include`` directive of the loaded files, in load order."""
    found = []
    for filename in files:
        try:
            with open(filename, encoding="utf-8", errors="replace") as handle:
                lines = handle.read().splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            match = _INCLUDE.match(line.lstrip("\ufeff"))
            if match is None:
                continue
            pattern = match.group(1).replace('\\"', '"')
            full = os.path.normpath(os.path.join(os.path.dirname(filename), pattern))
            matches = tuple(os.path.normpath(m) for m in glob.glob(full)) or (full,)
            found.append(_Include(filename, number, pattern, matches))
    return found


def placed(errors: Sequence[Any], options: dict[str, Any], main: str) -> list[Any]:
    """``errors`` with each placeless include error at its ``include`` line, and each
    file's byte-order mark named once instead of the syntax errors it causes."""
    files = list(dict.fromkeys([main, *options.get("include", [])]))
    with_bom = {name for name in files if _starts_with_bom(name)}
    loaded = [name for name in files if os.path.exists(name)]
    includes: list[_Include] | None = None
    out: list[Any] = []
    for error in errors:
        source = getattr(error, "source", None) or {}
        filename, lineno = source.get("filename"), source.get("lineno") or 0
        if filename in with_bom and lineno <= 1 and type(error).__name__ in ("LexerError",
                                                                              "ParserError"):
            continue  # said once below
        if filename == "<load>":
            includes = includes if includes is not None else _includes(loaded)
            better = _place_include_error(error, includes, main)
            if better is not None:
                out.append(better)
                continue
        out.append(error)
    out.extend(LoadProblem({"filename": name, "lineno": 1}, BOM_MESSAGE, None)
               for name in files if name in with_bom)
    return out


def _place_include_error(error: Any, includes: Sequence[_Include], main: str) -> Any | None:
    message = str(getattr(error, "message", ""))
    missing = _NO_MATCH.match(message)
    if missing is not None:
        for include in includes:
            if include.pattern == missing.group(1):
                return LoadProblem({"filename": include.filename, "lineno": include.lineno},
                                   f'include "{include.pattern}": no file matches it', None)
        return None
    twice = _DUPLICATE.match(message)
    if twice is None:
        return None
    target = os.path.normpath(twice.group(1))
    pointing = [i for i in includes if target in i.matches]
    if os.path.normpath(main) != target:
        pointing = pointing[1:]  # the first include of a file is the one that loaded it
    if not pointing:
        return None
    at = pointing[0]
    return LoadProblem({"filename": at.filename, "lineno": at.lineno},
                       f'include "{at.pattern}": {os.path.basename(target)} is already loaded '
                       "(an include cycle, or a file included twice)", None)


def _starts_with_bom(filename: str) -> bool:
    try:
        with open(filename, "rb") as handle:
            return handle.read(3) == BOM
    except OSError:
        return False
