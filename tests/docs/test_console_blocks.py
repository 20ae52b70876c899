"""The documentation's ``console`` blocks are produced by the tool: each ``$ kcst ...`` line
is run (the real Typer app, in this process) on a copy of the repository's ``ledger/``
folder, and what it prints, stdout and stderr as a terminal shows them, must be the lines
under it. A line ``...`` stands for any number of lines (an elision the reader sees).

A page opts in with a comment that pins today and says how its blocks share the books::

    <!-- console blocks: KCST_TODAY=2020-05-29, one copy for the page -->
    <!-- console blocks: KCST_TODAY=2021-04-30, a fresh copy for each block -->

One copy for the page: the blocks are a walkthrough, each continuing from the last (the
finance officer's month). A fresh copy for each block: each block stands on its own (the
README). Only ``kcst`` runs; any other ``$`` line is an error.

To see what the tool prints for a page (to paste it)::

    .venv/bin/python -m tests.docs.test_console_blocks docs/finance-officer.md
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
#: The pages whose blocks must run (the others may opt in).
REQUIRED = (ROOT / "README.md", ROOT / "docs" / "finance-officer.md")
DIRECTIVE = re.compile(r"<!-- console blocks: KCST_TODAY=(?P<today>\d{4}-\d{2}-\d{2}), "
                       r"(?P<copy>one copy for the page|a fresh copy for each block) -->")
ELISION = "..."


@dataclass(frozen=True)
class Command:
    line: int  # in the page, 1-based
    typed: str  # as the page shows it, after the "$ "
    expected: tuple[str, ...]

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.typed)


@dataclass(frozen=True)
class Block:
    line: int
    commands: tuple[Command, ...]


def blocks_of(text: str) -> Iterator[Block]:
    """Each ```console block of a page and its commands with the lines under them."""
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        if lines[number].strip() != "```console":
            number += 1
            continue
        start, number = number + 1, number + 1
        commands: list[Command] = []
        while number < len(lines) and lines[number].strip() != "```":
            line = lines[number]
            if line.startswith("$ "):
                typed, at = line[2:], number + 1
                while typed.endswith("\\"):
                    number += 1
                    typed = typed[:-1] + lines[number]
                commands.append(Command(at, typed, ()))
            elif commands:
                last = commands[-1]
                commands[-1] = Command(last.line, last.typed, (*last.expected, line))
            number += 1
        yield Block(start, tuple(commands))
        number += 1


def matches(expected: tuple[str, ...], actual: list[str]) -> bool:
    """Whether ``actual`` is ``expected`` line for line, ``...`` standing for any lines."""
    if not expected:
        return not actual
    if expected[0] == ELISION:
        return any(matches(expected[1:], actual[skip:]) for skip in range(len(actual) + 1))
    return bool(actual) and actual[0] == expected[0] and matches(expected[1:], actual[1:])


@contextmanager
def working_in(folder: Path, today: str) -> Iterator[None]:
    saved_cwd, saved_env = Path.cwd(), dict(os.environ)
    os.chdir(folder)
    os.environ["KCST_TODAY"] = today
    os.environ.pop("KCST_LEDGER", None)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def fresh_books(folder: Path) -> Path:
    """A copy of the repository's ``ledger/`` folder in ``folder`` (the working folder)."""
    if (folder / "ledger").exists():
        shutil.rmtree(folder / "ledger")
    shutil.copytree(ROOT / "ledger", folder / "ledger",
                    ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder


def run(command: Command, page: Path) -> list[str]:
    if not command.argv or command.argv[0] != "kcst":
        raise AssertionError(f"{page.name}:{command.line}: only kcst commands run in a console "
                             "block; show other commands in a ```sh block")
    result = CliRunner().invoke(app, list(command.argv[1:]))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.output.splitlines()


def outputs(page: Path, folder: Path) -> Iterator[tuple[Command, list[str]]]:
    """Each command of the page and what it printed, run as the page's directive says."""
    text = page.read_text(encoding="utf-8")
    directive = DIRECTIVE.search(text)
    assert directive is not None, f"{page.name}: no <!-- console blocks: ... --> comment"
    one_copy = directive["copy"] == "one copy for the page"
    fresh_books(folder)
    with working_in(folder, directive["today"]):
        for index, block in enumerate(blocks_of(text)):
            if index and not one_copy:
                fresh_books(folder)
            for command in block.commands:
                yield command, run(command, page)


def opted_in() -> list[Path]:
    return [page for page in PAGES if DIRECTIVE.search(page.read_text(encoding="utf-8"))]


def test_the_readme_and_the_finance_officers_month_opt_in() -> None:
    assert set(REQUIRED) <= set(opted_in())


@pytest.mark.parametrize("page", opted_in(), ids=lambda page: page.name)
def test_every_console_block_prints_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    ran = 0
    with closing(outputs(page, tmp_path)) as commands:  # a failure still restores the folder
        for command, actual in commands:
            ran += 1
            assert matches(command.expected, actual), (
                f"{page.relative_to(ROOT)}:{command.line}: $ {command.typed}\n"
                "--- the page shows ---\n" + "\n".join(command.expected)
                + "\n--- the tool prints ---\n" + "\n".join(actual))
    assert ran > 0


def test_an_elision_stands_for_any_lines_and_nothing_else_is_loose() -> None:
    assert matches(("a", "...", "d"), ["a", "b", "c", "d"])
    assert matches(("a", "...", "d"), ["a", "d"])
    assert not matches(("a", "...", "d"), ["a", "b", "c"])
    assert not matches(("a", "b"), ["a", "b", "c"])
    assert not matches(("a", "b"), ["a", "B"])


if __name__ == "__main__":  # print what the tool prints for a page, to paste it
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        for command, actual in outputs(Path(sys.argv[1]).resolve(), Path(scratch)):
            print(f"$ {command.typed}")
            print("\n".join(actual))
