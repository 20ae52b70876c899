"""Re-paste what the tool prints into the documentation's ``console`` blocks.

    python -m tools.refresh_docs README.md docs/finance-officer.md

Runs each page as ``tests/docs/test_console_blocks.py`` does (its pinned day, its copy of
``ledger/``) and writes each command's real output under it, keeping the page's elisions
(``...``): the lines before the first and after the last elision are refreshed, the
elided middle stays elided. A tool for the project's writers; the test is what holds the
pages true.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from difflib import SequenceMatcher

from tests.docs.test_console_blocks import ELISION, matches, outputs


def shown(expected: tuple[str, ...], actual: list[str]) -> list[str]:
    """``actual`` as the page should show it: the page's lines brought up to date where
    they differ, its elisions (``...``) kept where they still stand for lines left out."""
    if matches(expected, actual):
        return list(expected)
    if ELISION not in expected:
        return actual
    out: list[str] = []
    opcodes = SequenceMatcher(None, expected, actual, autojunk=False).get_opcodes()
    for tag, e1, e2, a1, a2 in opcodes:
        elided = ELISION in expected[e1:e2]
        if tag == "equal":
            out += expected[e1:e2]
        elif tag == "insert":
            near = expected[max(0, e1 - 1):e1 + 1]
            out += [] if ELISION in near else actual[a1:a2]
        elif elided:
            out.append(ELISION)
        elif tag == "replace":
            out += actual[a1:a2]
    return out if matches(tuple(out), actual) else actual


def refresh(page: Path) -> int:
    """Rewrite ``page``'s console blocks with the tool's output; how many changed."""
    lines = page.read_text(encoding="utf-8").splitlines()
    changes = []
    with tempfile.TemporaryDirectory() as scratch:
        for command, actual in outputs(page.resolve(), Path(scratch)):
            start = command.line - 1
            while lines[start].endswith("\\"):
                start += 1
            first, last = start + 1, start + 1 + len(command.expected)
            new = shown(command.expected, actual)
            if list(command.expected) != new:
                changes.append((first, last, new))
    for first, last, new in reversed(changes):
        lines[first:last] = new
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(changes)


def main(argv: list[str]) -> int:
    for name in argv:
        print(f"{name}: {refresh(Path(name))} command(s) re-pasted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
