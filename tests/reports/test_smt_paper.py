"""The SMT's budget-monitoring paper shows exactly what ``kcst forecast``, ``kcst shares``
and ``kcst audit`` say for the same ledger and date, and the FY statement's lines."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

from kcst_budget.mou import minimum_for
from kcst_budget.books import load_books
from kcst_budget.money.statement import fy_statement
from kcst_budget.periods import fy_of

from ..conftest import BUNDLED
from .conftest import LAPSES, kcst, kcst_json, marked


def paper(ledger: Path, as_of: str, tmp_path: Path) -> str:
    out = tmp_path / f"smt-{as_of}.html"
    result = kcst("report", "smt", "--ledger", str(ledger), "--as-of", as_of, "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    return out.read_text(encoding="utf-8")


def assert_paper_agrees(html: str, ledger: Path, as_of: str) -> None:
    shown = marked(html)
    forecast = kcst_json("forecast", "--ledger", str(ledger), "--as-of", as_of)
    for key in ("balance_as_of", "outstanding_contributions", "remaining_post_commitments",
                "remaining_approved_spend", "balance_at_term_end", "shortfall"):
        assert shown[(None, key)] == forecast[key], key
    assert shown[(None, "exhaustion_month")] == (forecast["exhaustion_month"] or "")
    top_ups = {row: value for (kind, row), value in shown.items() if kind == "top-up"}
    if forecast["shortfall"] != "0.00":
        assert top_ups == forecast["top_up_per_partner"]
    else:
        assert top_ups == {}

    shares = kcst_json("shares", "--ledger", str(ledger), "--as-of", as_of)
    assert shown[(None, "portions_balance")] == shares["balance"]
    for code, share in shares["partners"].items():
        assert shown[(code, "contributed")] == share["contributed"], code
        assert shown[(code, "portion")] == share["portion"], code

    date = datetime.date.fromisoformat(as_of)
    statement = fy_statement(load_books(ledger), fy_of(date), date).as_json()
    for line in statement["contributions"]:
        for column in ("due", "received", "outstanding"):
            assert shown[(line["partner"], column)] == line[column], (line["partner"], column)
    for line in statement["spend"]:
        for column in ("budget", "budget_to_date", "actual", "variance_to_date", "outturn",
                       "variance"):
            assert shown[(line["line"], column)] == line[column], (line["line"], column)
    totals = statement["totals"]
    assert shown[(None, "total_due")] == totals["due"]
    assert shown[(None, "total_budget")] == totals["budget"]
    assert shown[(None, "gap")] == totals["gap"]
    if statement["spend"]:  # the total row is filled in every column
        for column in ("budget", "budget_to_date", "actual", "variance_to_date", "outturn",
                       "variance"):
            assert shown[("total", column)] == totals[column], column

    audit = kcst_json("audit", "--ledger", str(ledger), "--as-of", as_of)
    assert f'data-breaches="{audit["summary"]["breaches"]}"' in html
    assert f'data-warnings="{audit["summary"]["warnings"]}"' in html
    listed = dict(re.findall(r'<tr data-rule="([\w-]+)" data-status="([^"]+)"', html))
    assert listed == {r["id"]: r["status"] for r in audit["rules"] if r["findings"]}


@pytest.mark.parametrize(("ledger", "as_of"), [
    (BUNDLED, "2019-01-17"), (BUNDLED, "2019-06-30"), (BUNDLED, "2020-03-31"),
    (LAPSES, "2019-04-30"),
])
def test_the_paper_shows_the_figures_of_forecast_shares_and_audit(tmp_path, ledger, as_of) -> None:
    assert_paper_agrees(paper(ledger, as_of, tmp_path), ledger, as_of)


def test_the_paper_for_a_fixture_ledger_agrees_too(tmp_path, fixture_ledger) -> None:
    ledger, as_of = fixture_ledger
    assert_paper_agrees(paper(ledger, as_of, tmp_path), ledger, as_of)


def test_the_paper_shows_that_the_minimums_do_not_cover_the_posts(tmp_path) -> None:
    """cl. 8.2, 8.6: GBP 16,000 a partner, GBP 48,000 a year, against posts that cost
    GBP 104,000 a year at full strength: the headline must say so, in red."""
    html = paper(BUNDLED, "2019-06-30", tmp_path)
    shown = marked(html)
    terms = load_books(BUNDLED).terms
    fy = fy_of(datetime.date(2019, 6, 30))
    minimums = minimum_for(terms, fy, "KP") * len(terms.agreements[0].partners)
    full_strength = sum(post.annual_cost for post in terms.posts)
    assert (minimums, full_strength) == (Decimal("48000.00"), Decimal("104000.00"))
    assert Decimal(shown[(None, "total_due")]) == minimums
    # every post all year, and the 2019/20 projects' budgets (1,200 + 1,500 + 600)
    projects = Decimal("3300.00")
    assert Decimal(shown[(None, "total_budget")]) == full_strength + projects
    assert Decimal(shown[(None, "gap")]) == minimums - full_strength - projects
    assert "The minimum contributions do not cover the budget: gap" in html
    assert re.search(r'class="neg" data-figure="gap"', html)


def test_a_shortfall_is_headlined_with_each_partners_top_up(tmp_path, write_ledger) -> None:
    from .conftest import UNDERFUNDED

    ledger = write_ledger(UNDERFUNDED)
    html = paper(ledger, "2018-11-20", tmp_path)
    forecast = kcst_json("forecast", "--ledger", str(ledger), "--as-of", "2018-11-20")
    assert forecast["shortfall"] != "0.00"
    assert 'class="alert headline"' in html
    assert "Shortfall to be met by the partners" in html
    assert "runs out" in html and forecast["exhaustion_month"] in html


def test_governance_since_the_last_meeting_lists_it_and_what_is_open(tmp_path, write_ledger) -> None:
    from .conftest import COVERED

    html = paper(write_ledger(COVERED), "2018-11-20", tmp_path)
    assert "Governance since the last meeting (1 November 2018)" in html
    assert 'data-meeting="2018-11-01"' in html
    assert 'data-meeting="2018-09-06"' not in html  # before the last meeting
    assert 'data-notice="KP"' in html  # given 1 September 2018, effective 31 March 2019
    assert "Next quorate meeting due by <strong>1 January 2019</strong>" in html


def test_the_paper_draws_two_inline_svg_charts_and_fetches_nothing(tmp_path) -> None:
    html = paper(BUNDLED, "2019-06-30", tmp_path)
    assert html.count("<svg") == 2
    assert 'class="chart balance"' in html and 'class="chart budget"' in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<script" not in html
