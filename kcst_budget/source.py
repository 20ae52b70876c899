"""Where an entry stands in the ledger: every finding and error points at a file and a line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Source:
    """A file and a line of the ledger (Beancount's ``filename`` and ``lineno`` metadata)."""

    filename: str
    lineno: int

    @classmethod
    def of(cls, meta: Mapping[str, Any] | None) -> Source:
        meta = meta or {}
        return cls(str(meta.get("filename", "<unknown>")), int(meta.get("lineno", 0) or 0))

    @property
    def meta(self) -> dict[str, Any]:
        """Beancount metadata naming this place (for errors and generated entries)."""
        return {"filename": self.filename, "lineno": self.lineno}

    def display(self) -> str:
        """``file:line`` with the file relative to the working directory when inside it."""
        name = self.filename
        if os.path.isabs(name):
            relative = os.path.relpath(name)
            if not relative.startswith(".."):
                name = relative
        return f"{name}:{self.lineno}"

    def __str__(self) -> str:
        return self.display()


def entry_text(source: Source) -> str:
    """The lines of the ledger an entry stands on: its first line and the indented lines
    under it (metadata, postings), as the auditor would read them in the file."""
    try:
        lines = _file_lines(source.filename)
    except OSError:
        return ""
    index = source.lineno - 1
    if not 0 <= index < len(lines):
        return ""
    taken = [lines[index]]
    for line in lines[index + 1:]:
        if not line.strip() or not line[0].isspace():
            break
        taken.append(line)
    return "\n".join(taken)


_LINES: dict[tuple[str, float], list[str]] = {}


def _file_lines(filename: str) -> list[str]:
    stamp = os.path.getmtime(filename)
    key = (filename, stamp)
    if key not in _LINES:
        with open(filename, encoding="utf-8") as handle:
            _LINES[key] = handle.read().splitlines()
    return _LINES[key]
