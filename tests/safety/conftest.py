"""Fixtures of the safety tests: a small ledger in a temporary folder, and ``kcst`` run as
a process of the tree under test (``python -m kcst_budget.cli`` with ``PYTHONPATH`` at
this tree, never an installed copy elsewhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import HEAD, ROOT

BODY = """\
2018-04-18 * "Kent Police" "Contribution 2018/19 (cl. 8.2)"
  ref: "AR-1"
  Assets:KFRS:KCST-Pool   16000.00 GBP
  Income:Contributions:KP  -16000.00 GBP
"""


def tree_env(**extra: str) -> dict[str, str]:
    """The environment for a child running this tree's package."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


@pytest.fixture
def small_ledger(tmp_path: Path) -> Path:
    """``ledger/main.beancount``: the MoU's terms and one contribution (ref AR-1)."""
    folder = tmp_path / "ledger"
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(HEAD + BODY, encoding="utf-8")
    return main


class Run:
    """What ``kcst`` did in-process: exit code and output, and any exception it let out."""

    def __init__(self, exit_code: int, stdout: str, stderr: str,
                 exception: BaseException | None) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr
        self.exception = exception

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def kcst_in() -> Callable[..., Run]:
    """Run ``kcst ARGS`` in this process (the real Typer app); an exception that is no exit
    is kept, not raised, so a test can say it escaped (a traceback for the user)."""
    from typer.testing import CliRunner

    from kcst_budget.cli import app

    runner = CliRunner()

    def run(*args: object, env: dict[str, str] | None = None) -> Run:
        result = runner.invoke(app, [str(a) for a in args], env=env)
        escaped = result.exception if not isinstance(result.exception, SystemExit) else None
        return Run(result.exit_code, result.stdout, result.stderr, escaped)

    return run


@pytest.fixture
def run_kcst() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``kcst ARGS`` as a process: exit code, stdout and stderr as text."""

    def run(*args: object, cwd: Path | None = None, timeout: float = 120,
            **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kcst_budget.cli", *map(str, args)],
                              capture_output=True, text=True, timeout=timeout, cwd=cwd,
                              env=tree_env(**env), stdin=subprocess.DEVNULL)

    return run
