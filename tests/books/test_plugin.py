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


PROJECTS = """\
2018-01-01 open Expenses:Projects:Seminars GBP
2018-01-01 open Expenses:Projects:Conference GBP
2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"
2018-04-20 * "KFRS" "Contribution"
  Assets:KFRS:KCST-Pool       16000.00 GBP
  Income:Contributions:KFRS  -16000.00 GBP
2018-09-04 custom "kcst-project" "P-1" "DHR seminars" 1000.00 GBP
  priority: "domestic-abuse"
  decision: "D-1"
  ends: 2018-12-12
2018-11-01 custom "kcst-project" "P-2" "Second seminars" 600.00 GBP
  priority: "domestic-abuse"
  decision: "D-1"
  ends: 2019-01-29
2018-11-01 custom "kcst-project" "P-3" "Conference" 730.00 GBP
  priority: "domestic-abuse"
  decision: "D-1"
2018-11-01 custom "kcst-project" "P-4" "Not started" 500.00 GBP
  priority: "domestic-abuse"
  decision: "D-1"
2018-11-20 * "Venue" "Seminar"
  project: "P-1"
  Expenses:Projects:Seminars   100.00 GBP
  Assets:KFRS:KCST-Pool
2018-11-21 * "Venue" "Seminar"
  project: "P-2"
  Expenses:Projects:Seminars   100.00 GBP
  Assets:KFRS:KCST-Pool
2019-01-10 * "Venue" "Conference"
  project: "P-3"
  Expenses:Projects:Conference  100.00 GBP
  Assets:KFRS:KCST-Pool
"""


def budget_between(path: Path, account: str, first: str, last: str) -> Decimal:
    """What Fava's own budget module makes of the plugin's budgets from ``first`` to
    ``last`` inclusive."""
    entries, _, _ = loader.load_file(str(path))
    budgets, errors = parse_budgets([e for e in entries if type(e).__name__ == "Custom"])
    assert not errors
    budget = calculate_budget(budgets, account, datetime.date.fromisoformat(first),
                              datetime.date.fromisoformat(last) + datetime.timedelta(days=1))
    return budget.get("GBP", Decimal(0)).quantize(Decimal("0.01"))


def test_a_projects_budget_is_spread_over_the_days_of_its_life_on_its_account(
        write_ledger) -> None:
    path = write_ledger(PROJECTS)
    seminars = "Expenses:Projects:Seminars"
    # P-1 runs 4 September to 12 December 2018: 100 days of £10.00
    assert budget_between(path, seminars, "2018-09-04", "2018-10-31") == Decimal("580.00")
    # from 1 November, P-2 (90 days of £6.66...) adds up with P-1 on the shared account
    assert budget_between(path, seminars, "2018-09-04", "2019-01-29") == Decimal("1600.00")
    assert budget_between(path, seminars, "2018-12-13", "2019-01-29") == Decimal("320.00")
    assert budget_between(path, seminars, "2019-01-30", "2019-12-31") == Decimal("0.00")
    assert budget_between(path, seminars, "2018-04-01", "2018-09-03") == Decimal("0.00")


def test_a_project_with_no_end_runs_to_the_term_end_and_one_with_no_spend_has_no_budget(
        write_ledger) -> None:
    path = write_ledger(PROJECTS)
    # P-3: 1 November 2018 to 31 March 2020 (the MoU's last day), 517 days
    conference = "Expenses:Projects:Conference"
    assert budget_between(path, conference, "2018-11-01", "2020-03-31") == Decimal("730.00")
    assert budget_between(path, conference, "2020-04-01", "2021-03-31") == Decimal("0.00")
    entries, _, _ = loader.load_file(str(path))
    generated = [e for e in entries if type(e).__name__ == "Custom" and e.type == "budget"
                 and e.values[0].value.startswith("Expenses:Projects")]
    assert {e.values[0].value for e in generated} == {"Expenses:Projects:Seminars", conference}
    assert all(e.meta["kcst-generated"] for e in generated)
