"""Fixtures of the finance officer's entry: a temporary copy of the bundled ledger (never
the real one), a hash of a whole folder, and the ``kcst`` command run in-process."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

ROOT = Path(__file__).resolve().parents[2]
BUNDLED_FOLDER = ROOT / "ledger"
SAMPLE_EXPORT = BUNDLED_FOLDER / "import" / "kfrs-ledger-2020-04.csv"


def folder_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (so any byte changed, added or removed shows),
    but the ledger's lock (``.kcst.lock`` and its holder note), which is no ledger file."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not path.name.startswith(".kcst.lock")}


@pytest.fixture
def ledger_copy(tmp_path: Path) -> Path:
    """A copy of the bundled ``ledger/`` folder; returns its main file."""
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED_FOLDER, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder / "main.beancount"


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def kcst() -> Callable[..., Run]:
    """Run ``kcst ARGS`` in this process (the real Typer app, no mocks)."""
    runner = CliRunner()

    def run(*args: str) -> Run:
        result = runner.invoke(app, [str(a) for a in args])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result.exit_code, result.stdout, result.stderr)

    return run
