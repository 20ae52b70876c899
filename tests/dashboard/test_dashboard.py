"""The SMT dashboard in a real browser on the real Fava app: no page errors, charts
drawn, and the figures on the page equal `kcst forecast` and `kcst shares`."""

from __future__ import annotations

import datetime
import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

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
        for key in ("balance_at_term_end", "shortfall", "balance_as_of",
                    "outstanding_contributions", "remaining_commitments"):
            assert figure(page, key) == forecast[key], (as_of, key)
        assert figure(page, "exhaustion_month") == (forecast["exhaustion_month"] or "")
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


def test_read_only_refuses_edits_and_still_renders(serve, browser) -> None:
    server = serve(BUNDLED, read_only=True)
    page, problems = open_page(browser, server.url(DASHBOARD))
    assert problems == [] and page.locator("svg.chart").count() == 2
    page.close()
    request = urllib.request.Request(server.url("api/source"), method="PUT",
                                     data=json.dumps({"file_path": str(BUNDLED), "source": "",
                                                      "sha256sum": ""}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status = error.code
    assert status == 401
    assert Path(BUNDLED).read_text().startswith("; KCST Pooled Budget")


def test_fava_serves_the_bundled_ledger_with_no_errors_and_the_post_budgets(serve, browser) -> None:
    server = serve(BUNDLED)
    with urllib.request.urlopen(server.url("api/errors"), timeout=10) as response:
        assert json.load(response)["data"] == []
    page, _ = open_page(browser, server.url("account/Expenses:Staff/?time=FY2019"))
    text = page.inner_text("body")
    # 2018/19: admin 24,000 + coordinator 33,750 + analyst 17,500 budgeted by the plugin
    assert "75,250" in text.replace("\u202f", ",").replace("\xa0", ",") or "75250" in text
    page.close()
