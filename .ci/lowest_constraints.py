"""Print pip constraints pinning each runtime dependency of pyproject.toml to its floor.

``make test-lowest`` installs the package with these constraints into a venv of its own
and runs the tests there, so the floors written in pyproject.toml are versions whose
tests pass, not hopes. Every runtime dependency must have a ``>=`` floor.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path


def constraints(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        found = re.match(r"^\s*([A-Za-z0-9_.\-\[\]]+)\s*(?:[^>]*?)>=\s*([0-9][^,;\s]*)", requirement)
        if found is None:
            raise SystemExit(f"{pyproject}: {requirement!r} has no floor (name>=version)")
        name = re.sub(r"\[.*\]", "", found.group(1))
        pins.append(f"{name}=={found.group(2)}")
    return pins


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    print("\n".join(constraints(root / "pyproject.toml")))
