"""The plugin reports every breach as a Beancount error (``bean-check`` exits 1, Fava's
Errors page shows it at the entry's line); warnings never fail ``bean-check``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..conftest import HEAD
from .conftest import contribution, line_in, meeting

BIN = Path(sys.executable).parent
AS_OF_15_FEBRUARY_2018 = HEAD.replace('plugin "kcst_budget.plugin"',
                                      'plugin "kcst_budget.plugin" "as-of: 2018-02-15"')
WARNINGS_ONLY = meeting("2018-01-18") + contribution("2017-12-01", "KCC", "10000.00")


def bean_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([BIN / "bean-check", str(path)], capture_output=True, text=True)


def test_bean_check_passes_a_ledger_with_only_warnings(write_ledger) -> None:
    path = write_ledger(AS_OF_15_FEBRUARY_2018 + WARNINGS_ONLY, head=False)
    result = bean_check(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def test_bean_check_fails_on_a_breach_at_the_entry_at_fault(write_ledger) -> None:
    body = WARNINGS_ONLY + meeting("2018-02-01", kp="absent")
    path = write_ledger(AS_OF_15_FEBRUARY_2018 + body, head=False)
    result = bean_check(path)
    assert result.returncode == 1
    assert f"{path}:{line_in(body, '2018-02-01')}: [quorum cl. 4.1] the SMT meeting of " \
           "1 February 2018 was inquorate" in result.stdout + result.stderr
    assert "[term" not in result.stdout + result.stderr  # the warning stays out of bean-check


def test_the_plugin_judges_nothing_after_its_as_of_date(write_ledger) -> None:
    body = WARNINGS_ONLY + meeting("2018-02-16", kp="absent")
    result = bean_check(write_ledger(AS_OF_15_FEBRUARY_2018 + body, head=False))
    assert result.returncode == 0, result.stdout + result.stderr
