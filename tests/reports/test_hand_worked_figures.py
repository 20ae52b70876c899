"""The SMT paper, the auditor's pack and the dashboard show figures worked out by hand
from the two small fixture ledgers (``conftest.COVERED`` and ``conftest.UNDERFUNDED``),
as of 20 November 2018, not figures read back from the package's own JSON.

The working, in the ledgers' own numbers (HEAD: MoU 2018-2020 from 1 January 2018 to
31 March 2020; minimums GBP 10,000 for 2017/18 and GBP 16,000 a year from 2018/19):

COVERED
  pool: 3 x 10,000 (Jan 2018) + 3 x 16,000 (May 2018) - 2,400 hot desks
        - 7 x 2,000 admin salaries (25 April to 25 October)              = 61,600.00
  still due: 2019/20 from KCC and KFRS only (KP's notice takes effect on
        31 March 2019, before 2019/20 begins)                          2 x 16,000 = 32,000.00
  admin post: 24 months x 2,000 = 48,000 committed - 14,000 paid     = 34,000.00
  decision D-2018-05-1: limit 3,000 - 2,400 spent                      =    600.00
  balance at term end: 61,600 + 32,000 - 34,000 - 600                  = 59,000.00, no shortfall
  portions: 61,600 in thirds (26,000 each): 20,533.33 each, the penny over to KCC

UNDERFUNDED
  pool: 30,000 + 2 x 16,000 + 9,000 (KP) - 14,000 admin - 4 x 3,750 coordinator
        - 2,916.67 analyst                                              = 39,083.33
  still due: KP 7,000 for 2018/19 + 3 x 16,000 for 2019/20             = 55,000.00
  posts: admin 48,000 - 14,000 = 34,000; coordinator 21 months in the term x 3,750
        = 78,750 - 15,000 = 63,750; analyst 18 x 35,000/12 = 52,500 - 2,916.67
        = 49,583.33                                                      = 147,333.33
  balance at term end: 39,083.33 + 55,000 - 147,333.33                 = -53,250.00
  top-ups (equal minimums): 53,250 / 3                                 = 17,750.00 each
  month ends: November 39,083.33 + 7,000 - 2,000 - 3,750 - 2,916.61 (the analyst's
        remaining less 16 later months of 2,916.67) = 37,416.72; then -8,666.67 a month
        with +48,000 in April 2019: March 2019 2,750.04, August 2019 7,416.69,
        September 2019 -1,249.98: the pool runs out in September 2019
  portions: 39,083.33 x 26/71, 26/71, 19/71 = 14,312.2054, 14,312.2054, 10,458.9292:
        floors 14,312.20, 14,312.20, 10,458.92 leave 2p: to KP (.92) then KCC (.54, first)
  2018/19 statement: admin budget 24,000 (to date 7 20/30 months = 15,333.33), paid
        14,000, outturn 14,000 + 5 x 2,000; coordinator 9 x 3,750 = 33,750, paid 15,000;
        analyst 6 x 35,000/12 = 17,500, paid 2,916.67, outturn 2,916.67 + 14,583.33;
        due 48,000 against a budget of 75,250: gap -27,250
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from kcst_budget.dashboard.server import make_app

from .conftest import COVERED, UNDERFUNDED, kcst, marked

AS_OF = "2018-11-20"

#: What the forecast and the portions must say, by hand (see the module's docstring).
HAND_WORKED = {
    "covered": {
        "balance_as_of": "61600.00", "outstanding_contributions": "32000.00",
        "remaining_post_commitments": "34000.00", "remaining_approved_spend": "600.00",
        "remaining_commitments": "34600.00", "balance_at_term_end": "59000.00",
        "shortfall": "0.00", "exhaustion_month": "",
        "top_ups": {},
        "portions": {"KCC": "20533.34", "KFRS": "20533.33", "KP": "20533.33"},
    },
    "underfunded": {
        "balance_as_of": "39083.33", "outstanding_contributions": "55000.00",
        "remaining_post_commitments": "147333.33", "remaining_approved_spend": "0.00",
        "remaining_commitments": "147333.33", "balance_at_term_end": "-53250.00",
        "shortfall": "53250.00", "exhaustion_month": "2019-09",
        "top_ups": {"KCC": "17750.00", "KFRS": "17750.00", "KP": "17750.00"},
        "portions": {"KCC": "14312.21", "KFRS": "14312.20", "KP": "10458.92"},
    },
}
#: The underfunded ledger's 2018/19 statement, by hand.
UNDERFUNDED_2018_19 = {
    "contributions": {"KCC": ("16000.00", "16000.00", "0.00"),
                      "KFRS": ("16000.00", "16000.00", "0.00"),
                      "KP": ("16000.00", "9000.00", "7000.00")},
    # budget, budget to date, actual, outturn, variance
    "spend": {"KCST Administration Officer": ("24000.00", "15333.33", "14000.00", "24000.00",
                                              "0.00"),
              "KCST Coordinator": ("33750.00", "17500.00", "15000.00", "33750.00", "0.00"),
              "KCST Analyst": ("17500.00", "4861.11", "2916.67", "17500.00", "0.00")},
    "total_due": "48000.00", "total_budget": "75250.00", "gap": "-27250.00",
}
FORECAST_KEYS = ("balance_as_of", "outstanding_contributions", "remaining_post_commitments",
                 "remaining_approved_spend", "balance_at_term_end", "shortfall")


@pytest.fixture(params=sorted(HAND_WORKED))
def worked(request: pytest.FixtureRequest, write_ledger) -> tuple[Path, dict]:
    body = {"covered": COVERED, "underfunded": UNDERFUNDED}[request.param]
    return write_ledger(body), HAND_WORKED[request.param]


def report(kind: str, ledger: Path, tmp_path: Path, *more: str) -> str:
    out = tmp_path / f"{kind}.html"
    result = kcst("report", kind, "--ledger", str(ledger), "--as-of", AS_OF, *more,
                  "--output", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def test_the_smt_paper_shows_the_hand_worked_forecast_and_portions(worked, tmp_path) -> None:
    ledger, expected = worked
    shown = marked(report("smt", ledger, tmp_path))
    for key in FORECAST_KEYS:
        assert shown[(None, key)] == expected[key], key
    assert shown[(None, "exhaustion_month")] == expected["exhaustion_month"]
    assert {code: value for (row, code), value in shown.items() if row == "top-up"} \
        == expected["top_ups"]
    assert {code: shown[(code, "portion")] for code in expected["portions"]} \
        == expected["portions"]
    assert shown[(None, "portions_balance")] == expected["balance_as_of"]


def test_the_smt_paper_shows_the_hand_worked_2018_19_statement(write_ledger, tmp_path) -> None:
    shown = marked(report("smt", write_ledger(UNDERFUNDED), tmp_path))
    for partner, (due, received, outstanding) in UNDERFUNDED_2018_19["contributions"].items():
        assert (shown[(partner, "due")], shown[(partner, "received")],
                shown[(partner, "outstanding")]) == (due, received, outstanding), partner
    for line, figures in UNDERFUNDED_2018_19["spend"].items():
        assert tuple(shown[(line, column)] for column in (
            "budget", "budget_to_date", "actual", "outturn", "variance")) == figures, line
    for key in ("total_due", "total_budget", "gap"):
        assert shown[(None, key)] == UNDERFUNDED_2018_19[key], key


def test_the_audit_pack_shows_the_hand_worked_schedules(write_ledger, tmp_path) -> None:
    covered = marked(report("audit", write_ledger(COVERED), tmp_path, "--fy", "2018/19"))
    # decision register: the hot desks cite D-2018-05-1 (GBP 2,400 of its GBP 3,000)
    assert covered[("D-2018-05-1", "spent")] == "2400.00"
    # roll-forward: 2017/18 took the three January contributions; 2018/19 to the as-of date
    assert [covered[("2017/18", c)] for c in ("opening", "contributions", "spend", "closing")] \
        == ["0.00", "30000.00", "0.00", "30000.00"]
    assert [covered[("2018/19", c)] for c in ("opening", "contributions", "spend", "closing")] \
        == ["30000.00", "48000.00", "16400.00", "61600.00"]
    assert covered[("Assets:KFRS:KCST-Pool", "closing")] == "61600.00"

    underfunded = marked(report("audit", write_ledger(UNDERFUNDED, name="u.beancount"),
                                tmp_path, "--fy", "2018/19"))
    posts = {"KCST Administration Officer": ("48000.00", "14000.00", "34000.00"),
             "KCST Coordinator": ("78750.00", "15000.00", "63750.00"),
             "KCST Analyst": ("52500.00", "2916.67", "49583.33")}
    for title, figures in posts.items():
        assert tuple(underfunded[(title, c)] for c in ("committed", "spent", "remaining")) \
            == figures, title
    assert [underfunded[("2018/19", c)] for c in ("opening", "contributions", "spend", "closing")] \
        == ["30000.00", "41000.00", "31916.67", "39083.33"]
    assert underfunded[("KP", "outstanding")] == "7000.00"


class _DashboardFigures(HTMLParser):
    """``{(row or None, name): value}``: each ``data-figure`` keyed by its table row's
    ``data-partner`` or ``data-line``; each ``data-topup`` under ``top-up``."""

    def __init__(self) -> None:
        super().__init__()
        self.row: str | None = None
        self.values: dict[tuple[str | None, str], str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr":
            self.row = found.get("data-partner") or found.get("data-line")
        if "data-topup" in found:
            self.values[("top-up", found["data-topup"] or "")] = found["data-value"] or ""
        elif "data-figure" in found and "data-value" in found:
            self.values[(self.row, found["data-figure"] or "")] = found["data-value"] or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.row = None


def test_the_dashboard_shows_the_hand_worked_figures(worked) -> None:
    ledger, expected = worked
    app = make_app(ledger)
    slug = next(iter(app.config["LEDGERS"].ledgers_by_slug))
    response = app.test_client().get(f"/{slug}/extension/KCSTDashboard/?as_of={AS_OF}")
    assert response.status_code == 200
    parser = _DashboardFigures()
    parser.feed(response.get_data(as_text=True))
    shown = parser.values
    for key in ("balance_as_of", "outstanding_contributions", "remaining_commitments",
                "balance_at_term_end", "shortfall", "exhaustion_month"):
        assert shown[(None, key)] == expected[key], key
    assert {code: value for (row, code), value in shown.items() if row == "top-up"} \
        == expected["top_ups"]
    assert {code: shown[(code, "portion")] for code in expected["portions"]} \
        == expected["portions"]
