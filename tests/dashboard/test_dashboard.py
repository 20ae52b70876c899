"""The SMT dashboard in a real browser on the real Fava app: no page errors, charts
drawn, and the figures on the page equal `kcst forecast` and `kcst shares`."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest

from kcst_budget.books import load_books
from kcst_budget.money.statement import fy_statement
from kcst_budget.periods import FinancialYear

from ..conftest import BUNDLED, ROOT
from .conftest import BIN

LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
DASHBOARD = "extension/KCSTDashboard/"


def kcst_json(*args: str) -> dict:
    result = subprocess.run([str(BIN / "kcst"), *args, "--format", "json"],
                            capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200
    return page, problems


def figure(page, name: str) -> str:
    return page.get_attribute(f'[data-figure="{name}"]', "data-value")


def test_bundled_dashboard_shows_the_cli_figures(serve, browser, tmp_path) -> None:
    server = serve(BUNDLED)
    for as_of in ("2019-01-17", datetime.date.today().isoformat()):
        page, problems = open_page(browser, server.url(DASHBOARD) + f"?as_of={as_of}")
        assert problems == []
        forecast = kcst_json("forecast", "--ledger", str(BUNDLED), "--as-of", as_of)
        shares = kcst_json("shares", "--ledger", str(BUNDLED), "--as-of", as_of)
        assert page.get_attribute(".kcst", "data-as-of") == as_of
        keys = ["balance_at_term_end", "shortfall", "balance_as_of"]
        if forecast["in_force"]:
            keys += ["outstanding_contributions", "remaining_commitments"]
            assert figure(page, "exhaustion_month") == (forecast["exhaustion_month"] or "")
        else:  # the MoU ended on 31 March 2020: said first, no green all-clear
            standing = page.locator("[data-standing]")
            assert standing.get_attribute("data-standing") == "none"
            assert "MoU 2018-2020 ended on 31 March 2020" in standing.inner_text()
            assert page.locator(".kcst .ok").count() == 0
        for key in keys:
            assert figure(page, key) == forecast[key], (as_of, key)
        portions = {row.get_attribute("data-partner"):
                    row.query_selector('[data-figure="portion"]').get_attribute("data-value")
                    for row in page.query_selector_all("tr[data-partner]:has([data-figure=portion])")}
        assert portions == {code: p["portion"] for code, p in shares["partners"].items()}
        assert page.locator("svg.chart").count() == 2
        assert page.locator('[data-chart="balance"] polyline').count() >= 1
        assert page.locator('[data-chart="budget"] rect.actual').count() >= 1
        page.screenshot(path=str(tmp_path / f"dashboard-{as_of}.png"), full_page=True)
        page.close()
    shot = tmp_path / "dashboard-2019-01-17.png"
    assert shot.stat().st_size > 10_000
    # the shortfall the SMT acted on in January 2019 is on the page
    page, _ = open_page(browser, server.url(DASHBOARD) + "?as_of=2019-01-17")
    assert figure(page, "shortfall") == "61250.00"
    assert "The contributions do not cover the commitments" in page.inner_text(".kcst")
    page.close()


def test_fava_time_filter_selects_the_fy(serve, browser) -> None:
    server = serve(BUNDLED)
    page, problems = open_page(browser, server.url(DASHBOARD) + "?time=FY2019")
    assert problems == []
    assert page.get_attribute(".kcst", "data-fy") == "2018/19"
    received = page.locator('tr[data-partner] [data-figure="received"]').all()
    assert [r.get_attribute("data-value") for r in received] == ["16000.00"] * 3
    page.close()


def test_quorum_breach_shows_with_its_clause_and_links_to_the_entry(serve, browser) -> None:
    server = serve(LAPSES)
    page, problems = open_page(browser, server.url(DASHBOARD))
    assert problems == []
    row = page.locator('tr[data-rule="quorum"]').first
    assert "cl. 4.1" in row.inner_text() and "breach" in row.inner_text()
    audit = kcst_json("audit", "--ledger", str(LAPSES))
    quorum = next(r for r in audit["rules"] if r["id"] == "quorum")["findings"][0]
    href = row.locator("a").get_attribute("href")
    assert "editor/" in href and f"line={quorum['line']}" in href
    assert page.get_attribute("[data-breaches]", "data-breaches") == str(audit["summary"]["breaches"])
    page.close()


def ledger_folder_copy(tmp_path: Path) -> Path:
    """A copy of the bundled ``ledger/`` folder (never the real one); its main file."""
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder / BUNDLED.name


def put_source(server, path: Path) -> int:
    """Fava's editor saving ``path`` with a line added, as the page sends it (the current
    sha256 first): the HTTP status."""
    query = urllib.parse.urlencode({"filename": str(path)})
    with urllib.request.urlopen(server.url(f"api/source?{query}"), timeout=10) as response:
        current = json.load(response)["data"]
    request = urllib.request.Request(
        server.url("api/source"), method="PUT",
        data=json.dumps({"file_path": str(path), "source": current["source"] + "\n; edited\n",
                         "sha256sum": current["sha256sum"]}).encode(),
        headers={"Content-Type": "application/json", "Origin": server.base})  # from its page
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_read_only_refuses_edits_and_still_renders(serve, browser, tmp_path) -> None:
    ledger = ledger_folder_copy(tmp_path / "read-only")
    server = serve(ledger, read_only=True)
    page, problems = open_page(browser, server.url(DASHBOARD))
    assert problems == [] and page.locator("svg.chart").count() == 2
    page.close()
    before = ledger.read_bytes()
    assert put_source(server, ledger) == 401
    assert ledger.read_bytes() == before
    # the same edit on a server that is not read-only is written: the request is sound
    writable = ledger_folder_copy(tmp_path / "writable")
    assert put_source(serve(writable), writable) == 200
    assert writable.read_text(encoding="utf-8").endswith("\n; edited\n")


def test_fava_serves_the_bundled_ledger_with_no_errors_and_the_post_budgets(serve, browser) -> None:
    """Issue 2: Fava's Errors page is empty and the plugin's post budgets show for
    Expenses:Staff in 2018/19 (Fava's FY2019), adding up to the FY statement's posts."""
    fy = FinancialYear(2018)
    statement = fy_statement(load_books(BUNDLED), fy, fy.end)
    staff = sum((line.budget for line in statement.spend
                 if all(a.startswith("Expenses:Staff:") for a in line.accounts)), Decimal(0))
    assert staff > 0
    server = serve(BUNDLED)
    with urllib.request.urlopen(server.url("api/errors"), timeout=10) as response:
        assert json.load(response)["data"] == []
    with urllib.request.urlopen(server.url("api/account_report?a=Expenses:Staff&r=balances"
                                           "&time=FY2019&interval=year"), timeout=10) as response:
        budgets = json.load(response)["data"]["budgets"]["Expenses:Staff"]
    assert Decimal(str(budgets[0]["budget_children"]["GBP"])) == staff  # the whole FY
    page, problems = open_page(browser, server.url("account/Expenses:Staff/?r=balances"
                                                   "&time=FY2019&interval=year"))
    # Fava shows an account's budget as the title of the (difference) under its balance;
    # the tree is drawn client-side, so wait for it rather than for the network to settle
    budget = page.locator(f'ol.tree-table-new span[title="{staff:.2f} GBP"]').first
    budget.wait_for()
    assert budget.inner_text().startswith("(")
    assert problems == []
    page.close()


def page_figures(page) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The page's figures: (figures outside any row by name, row figures by (row, name))."""
    single: dict[str, str] = {}
    rows: dict[tuple[str, str], str] = {}
    for name, value, row in page.evaluate("""() => Array.from(
            document.querySelectorAll('.kcst [data-figure]')).map(e => {
                const row = e.closest('[data-partner],[data-line],[data-fy]:not(.kcst)');
                return [e.dataset.figure, e.dataset.value, row ? (row.dataset.partner
                        || row.dataset.line || row.dataset.fy) : null]; })"""):
        if row is None:
            single[name] = value
        else:
            rows[(row, name)] = value
    return single, rows


@pytest.mark.parametrize(("ledger", "query", "as_of"), [
    (LAPSES, "", "2019-04-30"),  # the plugin line's as-of
    (BUNDLED, "?as_of=2019-06-30", "2019-06-30"),
])
def test_every_figure_and_finding_equals_forecast_shares_and_audit(serve, browser, ledger, query,
                                                                   as_of) -> None:
    server = serve(ledger)
    page, problems = open_page(browser, server.url(DASHBOARD) + query)
    assert problems == []
    assert page.get_attribute(".kcst", "data-as-of") == as_of
    single, rows = page_figures(page)
    forecast = kcst_json("forecast", "--ledger", str(ledger), "--as-of", as_of)
    for key in ("balance_as_of", "balance_at_term_end", "shortfall",
                "outstanding_contributions", "remaining_commitments"):
        assert single[key] == forecast[key], key
    assert single["exhaustion_month"] == (forecast["exhaustion_month"] or "")
    topups = {e.get_attribute("data-topup"): e.get_attribute("data-value")
              for e in page.query_selector_all("[data-topup]")}
    assert topups == (forecast["top_up_per_partner"] if Decimal(forecast["shortfall"]) else {})
    shares = kcst_json("shares", "--ledger", str(ledger), "--as-of", as_of)
    assert {code: rows[(code, "portion")] for code in shares["partners"]} == \
        {code: p["portion"] for code, p in shares["partners"].items()}
    assert f"Method: {shares['method']}." in page.inner_text(".kcst")
    audit = kcst_json("audit", "--ledger", str(ledger), "--as-of", as_of)
    shown = sorted((row.get_attribute("data-rule"), row.get_attribute("data-clause"),
                    row.get_attribute("data-severity"))
                   for row in page.query_selector_all("tr.finding"))
    assert shown == sorted((rule["id"], rule["clause"], f["severity"])
                           for rule in audit["rules"] for f in rule["findings"])
    page.close()


def test_time_filter_fy_shows_that_years_statement_and_year_links_switch_it(serve,
                                                                            browser) -> None:
    """``?time=FY2019`` is Fava's FY ending 31 March 2019 (fiscal-year-end 03-31): our
    2018/19, every line as ``fy_statement`` gives it."""
    as_of = datetime.date.today()
    statement = fy_statement(load_books(BUNDLED), FinancialYear(2018), as_of).as_json()
    server = serve(BUNDLED)
    page, problems = open_page(browser, server.url(DASHBOARD) + "?time=FY2019")
    assert page.get_attribute(".kcst", "data-fy") == "2018/19"
    single, rows = page_figures(page)
    for line in statement["contributions"]:
        for key in ("due", "received", "outstanding"):
            assert rows[(line["partner"], key)] == line[key], (line["partner"], key)
    for line in statement["spend"]:
        for key in ("budget", "actual", "variance"):
            assert rows[(line["line"], key)] == line[key], (line["line"], key)
    for key in ("budget", "budget_to_date", "actual", "variance_to_date", "outturn", "variance"):
        assert rows[("total", key)] == statement["totals"][key], key
    assert single["gap"] == statement["totals"]["gap"]
    page.locator('.fy-picker a[data-fy="2019/20"]').click()
    page.wait_for_selector('.kcst[data-fy="2019/20"]')
    assert "time=FY2020" in page.url
    assert page.locator("input[placeholder='Time']").input_value() == "FY2020"
    assert problems == []
    page.close()


def test_a_finding_links_to_its_entry_in_favas_editor(serve, browser) -> None:
    server = serve(LAPSES)
    page, problems = open_page(browser, server.url(DASHBOARD))
    row = page.locator('tr.finding[data-rule="quorum"]').first
    assert row.get_attribute("data-clause") == "4.1"
    line = row.locator("a.source").inner_text().rsplit(":", 1)[1]
    row.locator("a.source").click()
    page.wait_for_url(f"**/editor/**line={line}*")
    page.wait_for_selector(".cm-editor")
    assert "kcst-meeting" in page.locator(".cm-editor").inner_text()
    assert problems == []
    page.close()


def test_the_briefings_kept_are_bounded_and_year_links_follow_the_request() -> None:
    """Each request asks for a briefing (as-of date, FY); only the last few are kept, and
    one person's request never changes another's page."""
    from kcst_budget.dashboard.server import make_app
    from kcst_budget.dashboard.view import KEPT

    app = make_app(BUNDLED)
    ledgers = app.config["LEDGERS"]
    slug = next(iter(ledgers.ledgers_by_slug))
    extension = ledgers[slug].extensions.get_extension("KCSTDashboard")
    client = app.test_client()
    for day in range(1, 2 * KEPT + 1):
        response = client.get(f"/{slug}/{DASHBOARD}?as_of=2019-01-{day:02d}")
        assert response.status_code == 200
    assert len(extension.briefings._kept) == KEPT
    looking_back = client.get(f"/{slug}/{DASHBOARD}?as_of=2019-01-17").data
    assert b'href="?time=FY2019&amp;as_of=2019-01-17"' in looking_back  # year links keep it
    plain = client.get(f"/{slug}/{DASHBOARD}").data
    assert b"as_of=2019-01-17" not in plain
