"""The bundled ledger: valid, and it says what the MoU says."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from fava.core.budgets import calculate_budget, parse_budgets
from typer.testing import CliRunner

from kcst_budget.books import Books
from kcst_budget.briefing import briefing
from kcst_budget.cli import app
from kcst_budget.mou import decided_quorately, in_force, minimum_for
from kcst_budget.periods import FinancialYear
from kcst_budget.rules import judgement_of

from .conftest import BUNDLED, ROOT

BIN = Path(sys.executable).parent


def test_bean_check_accepts_the_bundled_ledger() -> None:
    result = subprocess.run([BIN / "bean-check", str(BUNDLED)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kcst_check_exits_zero_on_the_bundled_ledger() -> None:
    result = subprocess.run([BIN / "kcst", "check", "--ledger", str(BUNDLED)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bundled_ledger_carries_the_mou_terms(bundled: Books) -> None:
    terms = bundled.terms
    mou = in_force(terms, datetime.date(2019, 1, 1))
    assert mou is not None
    assert (mou.start, mou.end) == (datetime.date(2018, 1, 1), datetime.date(2020, 3, 31))
    assert mou.partners == ("KCC", "KFRS", "KP") and mou.host == "KFRS"
    assert mou.reviews == ((2019, 1), (2020, 1))
    costs = {p.title: (p.annual_cost, p.months, p.host) for p in terms.posts}
    assert costs == {
        "KCST Administration Officer": (Decimal("24000.00"), 24, "KCC"),
        "KCST Coordinator": (Decimal("45000.00"), 24, "KFRS"),
        "KCST Analyst": (Decimal("35000.00"), 18, "KCC"),
    }
    assert [p.title for p in terms.posts if p.reports_performance] == ["KCST Coordinator"]
    assert minimum_for(terms, FinancialYear(2017), "KP") == Decimal("10000.00")
    assert minimum_for(terms, FinancialYear(2018), "KP") == Decimal("16000.00")
    assert minimum_for(terms, FinancialYear(2019), "KP") == Decimal("16000.00")


def test_bundled_ledger_shows_the_underfunding(bundled: Books) -> None:
    """GBP 48,000 a year does not pay GBP 104,000 of posts: the pool is overdrawn at the
    2018/19 year end until the top-ups agreed in January 2019 arrive."""
    assert bundled.balance_on(datetime.date(2018, 3, 31)) == Decimal("30000.00")
    assert bundled.balance_on(datetime.date(2019, 3, 31)) == Decimal("-4890.00")
    assert bundled.balance_on(datetime.date(2020, 3, 31)) == Decimal("370.00")


def test_bundled_projects_serve_the_csa_priorities_and_keep_the_agreement(bundled: Books) -> None:
    """The CSA 2017's six priorities and three cross-cutting themes; three illustrative
    projects, each approved by the SMT at a quorate meeting before its spend, funded by the
    partners' 2019/20 project contributions: the pool still ends the term at £370.00."""
    terms = bundled.terms
    assert [p.id for p in terms.priorities if not p.theme] == [
        "domestic-abuse", "anti-social-behaviour", "substance-misuse", "serious-organised-crime",
        "safeguarding-vulnerable-people", "road-safety"]
    assert len([p for p in terms.priorities if p.theme]) == 3
    assert {p.date for p in terms.priorities} == {datetime.date(2017, 4, 1)}
    assert all(decided_quorately(terms, terms.decision(p.decision)) for p in terms.projects)
    assert [o.project for o in terms.outcomes] == ["P-2019-01", "P-2019-02", "P-2019-03"]
    judgement = judgement_of(bundled, datetime.date(2026, 12, 2))
    link = next(r for r in judgement.results if r.rule.id == "project-link")
    assert (link.status, link.findings) == ("pass", ())
    assert [f.rule for f in judgement.findings] == ["pool-solvency"]
    fy = FinancialYear(2019)
    assert sum((c.amount for c in bundled.contributions if fy.contains(c.date)), Decimal(0)) \
        == Decimal("112260.00")  # 3 x (16,000 + 20,420 top-up + 1,000 for the projects)


def test_the_bundled_books_briefing_and_kcst_projects_agree(bundled: Books) -> None:
    shown = briefing(bundled)  # as of today: the FY of the books' last entry, 2019/20
    assert shown.fy == FinancialYear(2019)
    assert shown.projects.as_json() == projects_json(BUNDLED, "--as-of", shown.as_of.isoformat(),
                                                     "--fy", "2019/20")
    report = projects_json(BUNDLED)
    assert report["by_priority"] == {
        "domestic-abuse": "1035.00", "anti-social-behaviour": "0.00", "substance-misuse": "0.00",
        "serious-organised-crime": "1410.00", "safeguarding-vulnerable-people": "555.00",
        "road-safety": "0.00", "early-intervention": "0.00", "reoffending-and-victims": "0.00",
        "quality-of-life": "0.00"}
    assert [(p["id"], p["budget"], p["spent"], p["remaining"]) for p in report["projects"]] == [
        ("P-2019-01", "1200.00", "1035.00", "165.00"), ("P-2019-02", "1500.00", "1410.00", "90.00"),
        ("P-2019-03", "600.00", "555.00", "45.00")]
    assert report["totals"] == {"budget": "3300.00", "spent": "3000.00", "remaining": "300.00"}


def test_the_bundled_projects_budget_their_accounts_over_their_lives(bundled: Books) -> None:
    budgets, _ = parse_budgets([e for e in bundled.entries if type(e).__name__ == "Custom"])
    found = {}
    for project in bundled.terms.projects:
        account = next(account for movement, _ in bundled.spend_citing(project.id, project.ends)
                       for account, _ in movement.spend)
        after = project.ends + datetime.timedelta(days=1)
        found[project.id] = calculate_budget(budgets, account, project.date, after)["GBP"] \
            .quantize(Decimal("0.01"))
    assert found == {p.id: p.budget for p in bundled.terms.projects}


def projects_json(path: Path, *args: str) -> dict:
    result = CliRunner().invoke(app, ["projects", "--ledger", str(path), "--format", "json",
                                      *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
