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
