"""The SMT paper and the auditor's pack show exactly the figures of kcst forecast, shares
and audit for the same ledger and date."""

from __future__ import annotations

import json
from html import unescape
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import BUNDLED, ROOT

BIN = Path(sys.executable).parent
LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"


def kcst(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "kcst"), *args], capture_output=True, text=True, cwd=cwd)


def kcst_json(*args: str) -> dict:
    result = kcst(*args, "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def figures(html: str, attribute: str) -> dict[str, str]:
    return dict(re.findall(rf'data-{attribute}="([^"]+)" data-value="([^"]+)"', html))


@pytest.mark.parametrize(("ledger", "as_of"), [(BUNDLED, "2019-01-17"), (BUNDLED, "2019-06-30"),
                                               (LAPSES, "2019-02-28")])
def test_smt_paper_shows_the_forecast_and_shares_figures(tmp_path, ledger, as_of) -> None:
    out = tmp_path / "smt.html"
    assert kcst("report", "smt", "--ledger", str(ledger), "--as-of", as_of,
                "--output", str(out)).returncode == 0
    html = out.read_text()
    forecast = kcst_json("forecast", "--ledger", str(ledger), "--as-of", as_of)
    shares = kcst_json("shares", "--ledger", str(ledger), "--as-of", as_of)
    shown = figures(html, "figure")
    for key in ("balance_at_term_end", "shortfall", "balance_as_of", "outstanding_contributions"):
        assert shown[key] == forecast[key], key
    if forecast["exhaustion_month"]:
        assert shown["exhaustion_month"] == forecast["exhaustion_month"]
    assert figures(html, "topup") == (forecast["top_up_per_partner"]
                                      if Decimal(forecast["shortfall"]) else {})
    portions = re.findall(r'data-partner="(\w+)">.*?data-figure="portion" data-value="([^"]+)"',
                          html.split('class="portions"')[1], re.S)
    assert dict(portions) == {k: v["portion"] for k, v in shares["partners"].items()}
    audit = kcst_json("audit", "--ledger", str(ledger), "--as-of", as_of)
    assert f'data-breaches="{audit["summary"]["breaches"]}"' in html


def test_smt_paper_pdf_holds_the_key_figures(tmp_path) -> None:
    out = tmp_path / "smt.pdf"
    result = kcst("report", "smt", "--ledger", str(BUNDLED), "--as-of", "2019-01-17",
                  "--format", "pdf", "--output", str(out))
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for figure in ("£21,109.99", "-£61,250.00", "£61,250.00", "£20,416.67", "2019-03",
                   "The pool does not cover its commitments"):
        assert figure in text, figure


def test_audit_pack_matches_kcst_audit_and_cites_evidence(tmp_path) -> None:
    out = tmp_path / "audit.html"
    assert kcst("report", "audit", "--ledger", str(LAPSES), "--as-of", "2020-06-30",
                "--fy", "2018/19", "--output", str(out)).returncode == 0
    html = out.read_text()
    audit = kcst_json("audit", "--ledger", str(LAPSES), "--as-of", "2020-06-30", "--fy", "2018/19")
    statuses = dict(re.findall(r'data-rule="([\w-]+)" data-status="([^"]+)"', html))
    assert statuses == {r["id"]: r["status"] for r in audit["rules"]}
    assert f'data-breaches="{audit["summary"]["breaches"]}"' in html
    quorum = next(r for r in audit["rules"] if r["id"] == "quorum")
    for finding in quorum["findings"]:
        assert f"lapses.beancount:{finding['line']}" in html
    assert 'custom "kcst-meeting" "SMT"' in unescape(html)  # the entry's text as evidence


def test_audit_pack_xlsx_reads_back_to_the_same_numbers(tmp_path) -> None:
    out = tmp_path / "audit.xlsx"
    assert kcst("report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30",
                "--fy", "2018/19", "--format", "xlsx", "--output", str(out)).returncode == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"Compliance", "Trial balance", "Contributions", "Posts", "Roll-forward",
            "Decisions", "Sealed periods"} <= set(sheets)
    roll = sheets["Roll-forward"].set_index("fy")
    assert roll.loc["2018/19", "closing"] == -4890.00
    assert roll.loc["2019/20", "carried forward (record)"] == 370.00
    assert abs(sheets["Trial balance"]["closing"].sum()) < 0.005
    contributions = sheets["Contributions"].set_index("partner")
    assert list(contributions["received"]) == [16000.0, 16000.0, 16000.0]
    assert bool(sheets["Sealed periods"]["digest holds"].all())
    decisions = sheets["Decisions"].set_index("decision")
    assert decisions.loc["D-2018-05-1", "spent"] == 7640.00


def test_reports_go_to_reports_named_by_kind_and_date(tmp_path) -> None:
    result = kcst("report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30",
                  "--fy", "2019-20", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reports" / "audit-2019-20-2020-06-30.html").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (("report", "smt", "--as-of", "yesterday"), "--as-of: 'yesterday' is not a date"),
    (("report", "audit", "--fy", "2019"), "--fy: financial year '2019' is not written like 2018/19"),
    (("report", "audit", "--format", "xlsx", "--output", "pack.pdf"), "does not end in .xlsx"),
])
def test_bad_report_arguments_exit_2_and_write_nothing(tmp_path, args, message) -> None:
    result = kcst(*args, "--ledger", str(BUNDLED), cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []
