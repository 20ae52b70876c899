"""The bundled ledger: valid, and it says what the MoU says."""

from __future__ import annotations

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from kcst_budget.mou import in_force, minimum_for
from kcst_budget.books import Books

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
    from kcst_budget.periods import FinancialYear

    assert minimum_for(terms, FinancialYear(2017), "KP") == Decimal("10000.00")
    assert minimum_for(terms, FinancialYear(2018), "KP") == Decimal("16000.00")
    assert minimum_for(terms, FinancialYear(2019), "KP") == Decimal("16000.00")


def test_bundled_ledger_shows_the_underfunding(bundled: Books) -> None:
    """GBP 48,000 a year does not pay GBP 104,000 of posts: the pool is overdrawn at the
    2018/19 year end until the top-ups agreed in January 2019 arrive."""
    assert bundled.balance_on(datetime.date(2018, 3, 31)) == Decimal("30000.00")
    assert bundled.balance_on(datetime.date(2019, 3, 31)) == Decimal("-4890.00")
    assert bundled.balance_on(datetime.date(2020, 3, 31)) == Decimal("370.00")
