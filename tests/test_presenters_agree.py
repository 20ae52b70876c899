"""One reading, one as-of, one answer: for any as-of date, the dashboard, ``kcst forecast``,
``kcst shares`` and ``kcst audit``, the SMT paper and the auditor's pack (HTML and XLSX)
show the same date, the same figures and the same counts (issue: truth, contract v1.1
section 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

from .conftest import BUNDLED, ROOT

LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
SUCCESSOR = ROOT / "ledger" / "examples" / "successor.beancount"
runner = CliRunner()

#: (ledger, --as-of or None for the one as-of rule's default)
CASES = [
    (BUNDLED, None), (BUNDLED, "2019-01-17"), (BUNDLED, "2020-03-31"),
    (LAPSES, None), (LAPSES, "2018-11-30"),
    (SUCCESSOR, None), (SUCCESSOR, "2020-07-31"), (SUCCESSOR, "2023-06-30"),
]
FIGURES = ("balance_as_of", "balance_at_term_end", "shortfall")


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def cli(command: str, ledger: Path, as_of: str | None) -> dict:
    dated = ["--as-of", as_of] if as_of else []
    return json.loads(run(command, "--ledger", str(ledger), *dated, "--format", "json"))


def marked(html: str, attribute: str, name: str) -> set[str]:
    """Every ``data-value`` of the elements marked ``attribute="name"``."""
    return set(re.findall(rf'{attribute}="{re.escape(name)}"[^>]*?data-value="([^"]*)"', html))


def counts(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'data-breaches="(\d+)" data-warnings="(\d+)"', html))


@pytest.fixture(scope="module")
def dashboards(dashboard_page):
    """The real Fava app for each ledger, made once."""
    return dashboard_page


@pytest.mark.parametrize(("ledger", "as_of"), CASES,
                         ids=[f"{p.stem}-{d or 'default'}" for p, d in CASES])
def test_every_presenter_shows_the_same_date_figures_and_counts(
        ledger, as_of, tmp_path, dashboards) -> None:
    forecast, shares, audit = (cli(c, ledger, as_of) for c in ("forecast", "shares", "audit"))
    date = audit["as_of"]
    assert forecast["as_of"] == shares["as_of"] == date
    if as_of:
        assert date == as_of

    dated = ["--as-of", as_of] if as_of else []
    smt = tmp_path / "smt.html"
    run("report", "smt", "--ledger", str(ledger), *dated, "--output", str(smt))
    pack = tmp_path / "audit.html"
    run("report", "audit", "--ledger", str(ledger), *dated, "--output", str(pack))
    book = tmp_path / "audit.xlsx"
    run("report", "audit", "--ledger", str(ledger), *dated, "--format", "xlsx",
        "--output", str(book))
    pages = {"dashboard": dashboards(ledger, as_of), "smt": smt.read_text(encoding="utf-8"),
             "pack": pack.read_text(encoding="utf-8")}

    summary = audit["summary"]
    for name, html in pages.items():
        assert set(re.findall(r'data-as-of="([\d-]+)"', html)) == {date}, name
        assert counts(html) == {(str(summary["breaches"]), str(summary["warnings"]))}, name
        assert forecast["standing"] in html.replace("&#39;", "'"), name
    for name in ("dashboard", "smt"):
        html = pages[name]
        for key in FIGURES:
            assert marked(html, "data-figure", key) == {forecast[key]}, (name, key)
        for code, amount in forecast["top_up_per_partner"].items():
            if forecast["shortfall"] != "0.00":
                assert marked(html, "data-topup", code) == {amount}, (name, code)
        shown = dict(re.findall(r'<tr data-partner="(\w+)">(?:(?!</tr>).)*?data-(?:figure|col)='
                                r'"portion" data-value="([^"]+)"', html, re.S))
        assert shown == {code: p["portion"] for code, p in shares["partners"].items()}, name

    summary_sheet = {row[0]: row[1] for row in
                     openpyxl.load_workbook(book)["Summary"].iter_rows(min_row=2, values_only=True)}
    assert (summary_sheet["Breaches"], summary_sheet["Warnings"]) == (
        summary["breaches"], summary["warnings"])
    assert summary_sheet["Judged as of"].date().isoformat() == date
    assert summary_sheet["Agreement"] == forecast["standing"]


def test_with_no_date_given_every_presenter_says_the_mou_has_ended(tmp_path, dashboards) -> None:
    """The bundled books judged today: MoU 2018-2020 ended on 31 March 2020; its end
    position is shown, and nothing shows a green all-clear."""
    forecast = cli("forecast", BUNDLED, None)
    assert forecast["in_force"] is False
    assert forecast["standing"].endswith("MoU 2018-2020 ended on 31 March 2020.")
    assert forecast["term_end"] == "2020-03-31"
    assert forecast["balance_at_term_end"] == "370.00"
    assert forecast["exhaustion_month"] is None
    text = run("forecast", "--ledger", str(BUNDLED))
    assert text.startswith(forecast["standing"])
    assert "No shortfall: the pool covers its commitments" not in text
    audit_text = run("audit", "--ledger", str(BUNDLED))
    assert forecast["standing"] in audit_text.splitlines()[2]
    smt = tmp_path / "smt.html"
    run("report", "smt", "--ledger", str(BUNDLED), "--output", str(smt))
    for html in (dashboards(BUNDLED, None), smt.read_text(encoding="utf-8")):
        assert 'data-standing="none"' in html
        assert 'class="ok' not in html.split('data-standing="none"')[0]
        assert "No shortfall: the pool covers its commitments" not in html


def test_a_malformed_plugin_as_of_is_refused_everywhere(tmp_path, dashboards) -> None:
    """Never silently replaced: the commands exit 2 naming the plugin line, the dashboard
    shows the error at the top of the page."""
    ledger = tmp_path / "main.beancount"
    ledger.write_text(SUCCESSOR.read_text(encoding="utf-8").replace(
        '"as-of: 2021-10-31"', '"as-of: 2021-13-31"'), encoding="utf-8")
    for command in ("check", "audit", "forecast", "shares"):
        result = runner.invoke(app, [command, "--ledger", str(ledger)])
        assert result.exit_code == 2, command
        assert f"{ledger.name}:20: " in result.output.replace(str(tmp_path) + "/", "")
        assert "'2021-13-31' is not a real date" in result.output
    html = dashboards(ledger, None)
    assert 'data-error="as_of"' in html and "2021-13-31" in html
