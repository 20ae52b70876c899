"""Helpers for the report tests: run the ``kcst`` CLI in-process, read the figures a
report marks with ``data-`` attributes, and two small fixture ledgers a person can read."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

from ..conftest import ROOT

LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
runner = CliRunner()


def kcst(*args: str) -> Any:
    """``kcst ARGS`` in-process (the real Typer app); the result has exit_code, stdout, stderr."""
    return runner.invoke(app, list(args))


def kcst_json(*args: str) -> dict[str, Any]:
    result = kcst(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)


class _Marked(HTMLParser):
    """Every element with ``data-value``, keyed by its row (``data-partner``, ``data-line``,
    ``data-account``, ``data-fy``, ``data-decision``, ``data-post``; ``project:ID`` and
    ``priority:ID`` for ``data-project`` and ``data-priority``) and its name
    (``data-figure``, ``data-col`` or ``data-topup``)."""

    ROW_KEYS = ("data-partner", "data-line", "data-account", "data-fy", "data-decision",
                "data-post")

    def __init__(self) -> None:
        super().__init__()
        self.row: str | None = None
        self.values: dict[tuple[str | None, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.row = next((found[k] for k in self.ROW_KEYS if k in found), None)
            for kind in ("project", "priority"):  # ids of their own: kept apart from the rest
                if f"data-{kind}" in found:
                    self.row = f"{kind}:{found[f'data-{kind}']}"
        if "data-value" in found:
            name = found.get("data-figure") or found.get("data-col") or found.get("data-topup")
            row = None if "data-figure" in found else self.row
            if "data-topup" in found:
                row = "top-up"
            assert name is not None, found
            key = (row, name)
            assert key not in self.values, f"{key} marked twice"
            self.values[key] = found["data-value"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.row = None


def marked(html: str) -> dict[tuple[str | None, str], str]:
    """``{(row or None, name): value}`` of every figure the report marks."""
    parser = _Marked()
    parser.feed(html)
    return parser.values


def months(year_month: str, last: str) -> list[str]:
    """First days of the months from ``year_month`` to ``last`` (YYYY-MM), inclusive."""
    year, month = map(int, year_month.split("-"))
    end = tuple(map(int, last.split("-")))
    out = []
    while (year, month) <= end:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def salary(account: str, amount: str, first: str, last: str, day: int = 25) -> str:
    return "".join(f'{m}-{day:02d} * "Host payroll" "Salary"\n  {account}  {amount} GBP\n'
                   f"  Assets:KFRS:KCST-Pool  -{amount} GBP\n" for m in months(first, last))


def paid(date: str, partner: str, amount: str) -> str:
    return (f'{date} * "{partner}" "Contribution"\n  Assets:KFRS:KCST-Pool  {amount} GBP\n'
            f"  Income:Contributions:{partner}  -{amount} GBP\n")


def smt(date: str, kp: str = "present") -> str:
    return (f'{date} custom "kcst-meeting" "SMT"\n  kcc: "present"\n  kfrs: "present"\n'
            f'  kp: "{kp}"\n  budget-reviewed: TRUE\n')


#: One post (the administration officer, GBP 24,000 a year) that the minimums cover, an
#: SMT-approved hot-desking spend, and Kent Police's notice of withdrawal: no shortfall.
COVERED = (
    '2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP\n'
    '  host: "KCC"\n  months: 24\n'
    + "".join(paid("2018-01-15", p, "10000.00") for p in ("KCC", "KFRS", "KP"))
    + "".join(smt(d) for d in ("2018-01-18", "2018-03-08", "2018-05-10", "2018-07-05",
                                "2018-09-06", "2018-11-01"))
    + "".join(paid("2018-05-01", p, "16000.00") for p in ("KCC", "KFRS", "KP"))
    + '2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot desks at Loose Road"\n'
      "  limit: 3000.00 GBP\n"
    + '2018-06-20 * "Office supplier" "Hot desks"\n  decision: "D-2018-05-1"\n'
      "  Expenses:Accommodation:HotDesking  2400.00 GBP\n  Assets:KFRS:KCST-Pool  -2400.00 GBP\n"
    + salary("Expenses:Staff:Admin", "2000.00", "2018-04", "2018-11")
    + '2018-09-01 custom "kcst-withdrawal-notice" "KP" 2019-03-31\n'
      "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n"
)

#: Three posts (GBP 104,000 a year at full strength) on the minimums, and Kent Police has paid only part of
#: its 2018/19 contribution: the pool will not last, and the paper must say so.
UNDERFUNDED = (
    '2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP\n'
    '  host: "KCC"\n  months: 24\n'
    '2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP\n'
    '  host: "KFRS"\n  months: 24\n'
    '2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP\n'
    '  host: "KCC"\n  months: 18\n'
    + "".join(paid("2018-01-15", p, "10000.00") for p in ("KCC", "KFRS", "KP"))
    + "".join(smt(d) for d in ("2018-01-18", "2018-03-08", "2018-05-10", "2018-07-05",
                                "2018-11-01"))
    + smt("2018-09-06", kp="apologies")
    + "".join(paid("2018-05-01", p, "16000.00") for p in ("KCC", "KFRS"))
    + paid("2018-06-01", "KP", "9000.00")
    + salary("Expenses:Staff:Admin", "2000.00", "2018-04", "2018-10")
    + salary("Expenses:Staff:Coordinator", "3750.00", "2018-07", "2018-10")
    + salary("Expenses:Staff:Analyst", "2916.67", "2018-10", "2018-10")
)


@pytest.fixture(params=["covered", "underfunded"])
def fixture_ledger(request: pytest.FixtureRequest, write_ledger: Any) -> tuple[Path, str]:
    """A fixture ledger and the date its report is read as of."""
    body = {"covered": COVERED, "underfunded": UNDERFUNDED}[request.param]
    return write_ledger(body), "2018-11-20"
