"""The plugin: the only line a ledger needs; posts become Fava budgets per UK FY."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from beancount import loader
from fava.core.budgets import calculate_budget, parse_budgets

from kcst_budget.periods import FinancialYear

from ..conftest import BUNDLED, HEAD_LINES, TREE_ENV

BIN = Path(sys.executable).parent
POSTS = """\
2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP
  host: "KCC"
  months: 24
2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
  host: "KCC"
  months: 18
"""


def fy_budget(path: Path, account: str, fy: FinancialYear) -> Decimal:
    """What Fava's own budget module makes of the plugin's budgets for one FY."""
    entries, _, _ = loader.load_file(str(path))
    budgets, errors = parse_budgets([e for e in entries if type(e).__name__ == "Custom"])
    assert not errors
    budget = calculate_budget(budgets, account, fy.start, fy.end + datetime.timedelta(days=1))
    return budget.get("GBP", Decimal(0)).quantize(Decimal("0.01"))


def test_a_post_starting_mid_year_budgets_exactly_its_months_in_that_fy(write_ledger) -> None:
    path = write_ledger(POSTS)
    analyst = "Expenses:Staff:Analyst"
    assert fy_budget(path, analyst, FinancialYear(2018)) == Decimal("17500.00")  # Oct-Mar: 6/12
    assert fy_budget(path, analyst, FinancialYear(2019)) == Decimal("35000.00")
    assert fy_budget(path, analyst, FinancialYear(2020)) == Decimal("0.00")  # after its 18 months
    admin = "Expenses:Staff:Admin"
    assert fy_budget(path, admin, FinancialYear(2017)) == Decimal("0.00")
    assert fy_budget(path, admin, FinancialYear(2018)) == Decimal("24000.00")
    assert fy_budget(path, admin, FinancialYear(2020)) == Decimal("0.00")


def test_bundled_posts_budget_the_staff_accounts_for_2018_19(bundled) -> None:
    budgets, _ = parse_budgets([e for e in bundled.entries if type(e).__name__ == "Custom"])
    fy = FinancialYear(2018)
    end = fy.end + datetime.timedelta(days=1)
    by_post = {account: calculate_budget(budgets, account, fy.start, end)["GBP"].quantize(
        Decimal("0.01")) for account in ("Expenses:Staff:Admin", "Expenses:Staff:Coordinator",
                                         "Expenses:Staff:Analyst")}
    # admin all year, coordinator from July (9 months), analyst from October (6 months)
    assert by_post == {"Expenses:Staff:Admin": Decimal("24000.00"),
                       "Expenses:Staff:Coordinator": Decimal("33750.00"),
                       "Expenses:Staff:Analyst": Decimal("17500.00")}


def test_plugin_registers_the_dashboard_once(bundled) -> None:
    extensions = [e for e in bundled.entries
                  if type(e).__name__ == "Custom" and e.type == "fava-extension"]
    assert [e.values[0].value for e in extensions] == ["kcst_budget.dashboard"]


def test_malformed_directive_fails_bean_check_and_kcst_check_at_its_line(write_ledger) -> None:
    path = write_ledger('2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "here"\n')
    line = HEAD_LINES + 1
    bean = subprocess.run([BIN / "bean-check", str(path)], capture_output=True, text=True)
    assert bean.returncode == 1
    assert f"{path}:{line}:" in bean.stdout + bean.stderr
    kcst = subprocess.run([BIN / "kcst", "check", "--ledger", str(path)],
                          capture_output=True, text=True)
    assert kcst.returncode == 2
    assert f"main.beancount:{line}: kcst-meeting: kcc: attendance must be one of" in kcst.stdout


def test_unbalanced_transaction_is_the_ledgers_own_error(write_ledger) -> None:
    path = write_ledger("""\
        2018-05-01 * "KP" "Contribution"
          Assets:KFRS:KCST-Pool      100.00 GBP
          Income:Contributions:KP    -90.00 GBP
    """)
    kcst = subprocess.run([BIN / "kcst", "check", "--ledger", str(path)],
                          capture_output=True, text=True)
    assert kcst.returncode == 2
    assert f"main.beancount:{HEAD_LINES + 1}: Transaction does not balance" in kcst.stdout


def test_missing_ledger_is_an_argument_error(tmp_path: Path) -> None:
    kcst = subprocess.run([BIN / "kcst", "check", "--ledger", str(tmp_path / "none.beancount")],
                          capture_output=True, text=True)
    assert kcst.returncode == 2
    assert "--ledger: no ledger file at" in kcst.stderr


def test_kcst_ledger_variable_names_the_ledger(tmp_path: Path) -> None:
    kcst = subprocess.run([BIN / "kcst", "check"], capture_output=True, text=True, cwd=tmp_path,
                          env={"KCST_LEDGER": str(BUNDLED), "PATH": str(BIN), **TREE_ENV})
    assert kcst.returncode == 0, kcst.stdout + kcst.stderr
