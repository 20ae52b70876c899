"""The dashboard as a Fava report page, readable in the room: in a real browser (Debian's
chromium) on the real Fava app, at 1366x768 and 1920x1080, in Fava's light and dark
themes, with 30 and more findings; Fava's time filter (a month, a range, Fava's fiscal
year on books whose year ends on 31 October); the date picker; errors on the page; the
calendar link; and no page at all on books without an agreement."""

from __future__ import annotations

import datetime
import json
import subprocess
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import icalendar
import pytest

from kcst_budget.books import load_books
from kcst_budget.money.statement import statement
from kcst_budget.periods import Period

from ..conftest import HEAD
from ..reports.conftest import COVERED, paid, salary, smt
from .conftest import BIN
from .test_dashboard import DASHBOARD, kcst_json, open_page, page_figures

D = datetime.date

#: Books that break the MoU the way a tired SMT does, month after month: the pool overdrawn
#: at every month end from April 2018 (KCC's 1,000.00 against 2,000.00 of salary a month),
#: six meetings that never reviewed the budget, one inquorate, hot desks citing a decision
#: nobody took (with an id no line can wrap): 38 findings as of 30 June 2019.
ROOM = (
    '2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin 24000.00 GBP\n'
    '  host: "KCC"\n  months: 24\n'
    + paid("2018-04-10", "KCC", "1000.00")
    + salary("Expenses:Staff:Admin", "2000.00", "2018-04", "2020-01")
    + "".join(f'{d} custom "kcst-meeting" "SMT"\n  kcc: "present"\n  kfrs: "present"\n'
              f'  kp: "present"\n'
              for d in ("2018-01-18", "2018-03-08", "2018-05-10", "2018-07-05", "2018-09-06",
                        "2018-11-01"))
    + smt("2019-01-10", kp="apologies")
    + '2018-06-20 * "Office supplier" "Hot desks"\n'
      '  decision: "D-2018-05-1-AN-EXTRAORDINARILY-LONG-DECISION-IDENTIFIER-WITHOUT-SPACES"\n'
      "  Expenses:Accommodation:HotDesking  2400.00 GBP\n  Assets:KFRS:KCST-Pool  -2400.00 GBP\n"
)
ROOM_AS_OF = "2019-06-30"

#: Fava's fiscal year ends on 31 October on these books: its FY2019 is not an MoU year.
OCTOBER = HEAD.replace('"fiscal-year-end" "03-31"', '"fiscal-year-end" "10-31"')

#: Fava's own kind of books: the plugin line, dollars, and no agreement.
NO_AGREEMENT = """\
option "title" "Household"
option "operating_currency" "USD"
plugin "kcst_budget.plugin"
2017-01-01 open Assets:Bank USD
2017-01-01 open Expenses:Food USD
2017-01-05 * "Grocer" "Food"
  Expenses:Food  42.00 USD
  Assets:Bank   -42.00 USD
"""

#: What a page shows in a browser: overflow, font sizes, chart labels, colours.
MEASURE = """() => {
  const scroller = document.scrollingElement, article = document.querySelector('article');
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const small = [];
  for (const el of document.querySelectorAll('.kcst *')) {
    if (el.closest('svg') || !el.getClientRects().length) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (own && size < body - 0.01) small.push([el.tagName, el.className, size]);
  }
  const labels = [...document.querySelectorAll('.kcst svg.chart text')].map(
    t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a);
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  const background = getComputedStyle(document.body).backgroundColor;
  const pairs = [...document.querySelectorAll('.kcst p, .kcst td, .kcst th, .kcst .tile b, .kcst .neg')]
    .filter(e => e.getClientRects().length).map(e => {
      let node = e, fill = 'rgba(0, 0, 0, 0)';
      while (node && (fill === 'rgba(0, 0, 0, 0)' || fill === 'transparent')) {
        fill = getComputedStyle(node).backgroundColor; node = node.parentElement; }
      return [contrast(getComputedStyle(e).color, node ? fill : background),
              e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 30)]; })
    .sort((a, b) => a[0] - b[0]);
  return {scroll: [scroller.scrollWidth, scroller.clientWidth],
          article: [article.scrollWidth, article.clientWidth], body, small,
          labels: labels.length ? Math.min(...labels) : null,
          contrast: pairs[0], background,
          label_fill: getComputedStyle(document.querySelector('.kcst svg.chart text')).fill,
          text: getComputedStyle(document.querySelector('.kcst')).color};
}"""


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("room")
    made = {}
    for name, text in (("room", HEAD + ROOM), ("october", OCTOBER + COVERED),
                       ("covered", HEAD + COVERED), ("household", NO_AGREEMENT)):
        (folder / name).mkdir()
        made[name] = folder / name / "main.beancount"
        made[name].write_text(text, encoding="utf-8")
    return made


@pytest.fixture(scope="module")
def room(serve, ledgers):
    return serve(ledgers["room"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_thirty_findings_fit_the_screen_readably_in_light_and_dark(
        browser, room, ledgers, width, height, scheme, tmp_path) -> None:
    audit = kcst_json("audit", "--ledger", str(ledgers["room"]), "--as-of", ROOM_AS_OF)
    assert audit["summary"]["breaches"] + audit["summary"]["warnings"] >= 30
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(room.url(DASHBOARD) + f"?as_of={ROOM_AS_OF}", wait_until="networkidle")
    total = audit["summary"]["breaches"] + audit["summary"]["warnings"]
    assert page.locator("tr.finding").count() == total  # each one on the page, folded or not
    for opened in (False, True):
        if opened:  # every grouped finding shown: still no overflow
            page.evaluate("document.querySelectorAll('.kcst details').forEach(d => d.open = true)")
        seen = page.evaluate(MEASURE)
        assert seen["scroll"][0] <= seen["scroll"][1], (opened, seen["scroll"])
        assert seen["article"][0] <= seen["article"][1], (opened, seen["article"])
        assert seen["small"] == [], seen["small"]  # nothing smaller than Fava's own 14 px
        assert seen["labels"] >= 12, seen["labels"]
        assert seen["contrast"][0] >= 4.5, seen["contrast"]  # WCAG AA in either theme
        assert seen["label_fill"] == seen["text"]  # chart labels take Fava's text colour
    dark = scheme == "dark"
    assert (seen["background"] == "rgb(38, 38, 38)") is dark  # Fava's own dark background
    assert problems == []
    page.screenshot(path=str(tmp_path / f"room-{width}-{scheme}.png"), full_page=True)
    page.close()


def test_repeated_findings_of_a_rule_are_one_line_with_the_detail_a_click_away(
        browser, room) -> None:
    """Worked by hand: the pool is overdrawn at the end of each month from April 2018
    (1,000.00 - 2,000.00) to June 2019, 15 month ends; at the lowest, 30 June 2019,
    1,000.00 - 2,400.00 - 15 x 2,000.00 = -31,400.00."""
    page, problems = open_page(browser, room.url(DASHBOARD) + f"?as_of={ROOM_AS_OF}")
    group = page.locator('tr.group[data-rule="pool-solvency"]')
    assert group.get_attribute("data-count") == "15"
    summary = group.locator("summary")
    assert summary.inner_text() == ("overdrawn at 15 month ends, April 2018 to June 2019, "
                                    "lowest -£31,400.00")
    detail = group.locator("tr.finding").first
    assert not detail.is_visible()
    summary.click()
    assert detail.is_visible()
    assert group.locator("tr.finding").count() == 15
    assert group.locator("td").first.inner_text() == "no MoU clause"  # never a bare "-"
    assert "Pool solvency" in group.inner_text()
    text = page.inner_text(".kcst")
    for wording in ("breach(es)", "warning(s)", "due by -", "formal-review-report", "2019-03\n"):
        assert wording not in text
    assert problems == []
    page.close()


def test_a_month_of_favas_time_filter_is_the_statement_of_that_month(
        browser, serve, ledgers) -> None:
    """June 2018 as of 20 November 2018, by hand: the administration officer's June
    (24,000.00 / 12 = 2,000.00) paid on 25 June; the hot desks (2,400.00) cite a decision
    of 10 May, so they were budgeted; the contributions came on 1 May, none in June."""
    server = serve(ledgers["covered"])
    page, problems = open_page(browser, server.url(DASHBOARD) + "?as_of=2018-11-20&time=2018-06")
    kcst = page.locator(".kcst")
    assert (kcst.get_attribute("data-period"), kcst.get_attribute("data-period-first"),
            kcst.get_attribute("data-period-last"), kcst.get_attribute("data-fy")) == (
        "June 2018", "2018-06-01", "2018-06-30", "")
    _, rows = page_figures(page)
    assert rows[("KCST Administration Officer", "budget")] == "2000.00"
    assert rows[("KCST Administration Officer", "actual")] == "2000.00"
    assert rows[("Hot desking", "budget")] == rows[("Hot desking", "actual")] == "2400.00"
    assert rows[("total", "variance")] == "0.00"
    assert [rows[(code, "received")] for code in ("KCC", "KFRS", "KP")] == ["0.00"] * 3
    assert_page_is_the_statement(rows, ledgers["covered"], Period(D(2018, 6, 1), D(2018, 6, 30)),
                                 D(2018, 11, 20))
    assert page.locator("input[placeholder='Time']").input_value() == "2018-06"
    assert problems == []
    page.close()


def test_a_custom_range_of_favas_time_filter(browser, serve, ledgers) -> None:
    """July to December 2018 as of 20 November 2018, with Fava's account filter set (not
    applied: the MoU counts the whole pool), by hand: budget 6 x 2,000.00 =
    12,000.00; to date July to October and 20/30 of November = 9,333.33; paid July to
    October (the November salary falls on the 25th) = 8,000.00; November and December
    still to come, so the outturn is 12,000.00."""
    server = serve(ledgers["covered"])
    time = "2018-07 - 2018-12"
    page, problems = open_page(browser, server.url(DASHBOARD) + f"?as_of=2018-11-20&time={quote(time)}"
                               "&account=Expenses:Accommodation")
    assert page.get_attribute(".kcst", "data-period") == "July to December 2018"
    # Fava's account filter is said not to apply, and does not: the whole pool is shown
    filters = page.locator("[data-filters]")
    assert filters.get_attribute("data-filters") == "account filter"
    assert "Not applied on this page: Fava's account filter “Expenses:Accommodation”" in \
        filters.inner_text()
    _, rows = page_figures(page)
    line = "KCST Administration Officer"
    assert [rows[(line, key)] for key in ("budget", "budget_to_date", "actual", "outturn")] == [
        "12000.00", "9333.33", "8000.00", "12000.00"]
    assert_page_is_the_statement(rows, ledgers["covered"], Period(D(2018, 7, 1), D(2018, 12, 31)),
                                 D(2018, 11, 20))
    assert problems == []
    page.close()


def assert_page_is_the_statement(rows: dict, ledger: Path, period: Period,
                                 as_of: datetime.date) -> None:
    shown = statement(load_books(ledger), period, as_of).as_json()
    for line in shown["spend"]:
        for key in ("budget", "budget_to_date", "actual", "variance_to_date", "outturn",
                    "variance"):
            assert rows[(line["line"], key)] == line[key], (line["line"], key)
    for line in shown["contributions"]:
        for key in ("due", "received", "outstanding"):
            assert rows[(line["partner"], key)] == line[key], (line["partner"], key)


def test_books_whose_fiscal_year_ends_on_31_october(browser, serve, ledgers) -> None:
    """``fiscal-year-end 10-31``: Fava's FY2019 is 1 November 2018 to 31 October 2019, not
    an MoU year; it holds 31 March 2019, so 2018/19's minimums (16,000.00 each) are due in
    it; the administration officer costs the whole 24,000.00 of those 12 months. The
    year links pick the MoU's years by their months."""
    server = serve(ledgers["october"])
    page, problems = open_page(browser, server.url(DASHBOARD) + "?as_of=2018-11-20&time=FY2019")
    kcst = page.locator(".kcst")
    assert (kcst.get_attribute("data-period-first"), kcst.get_attribute("data-period-last"),
            kcst.get_attribute("data-period")) == ("2018-11-01", "2019-10-31",
                                                   "November 2018 to October 2019")
    assert "On these books Fava's FY2019 is November 2018 to October 2019 (fiscal-year-end " \
           "10-31), not an MoU financial year" in kcst.inner_text()
    _, rows = page_figures(page)
    assert [rows[(code, "due")] for code in ("KCC", "KFRS", "KP")] == ["16000.00"] * 3
    assert rows[("KCST Administration Officer", "budget")] == "24000.00"
    link = page.locator('.fy-picker a[data-fy="2018/19"]')
    assert "time=2018-04+-+2019-03" in link.get_attribute("href")
    link.click()
    page.wait_for_selector('.kcst[data-fy="2018/19"]')
    assert page.get_attribute(".kcst", "data-period-first") == "2018-04-01"
    assert page.get_attribute(".kcst", "data-as-of") == "2018-11-20"
    assert problems == []
    page.close()


def test_books_without_an_agreement_are_offered_no_kcst_page(browser, serve, ledgers) -> None:
    server = serve(ledgers["household"])
    with urllib.request.urlopen(server.url("api/ledger_data"), timeout=10) as response:
        extensions = json.load(response)["data"]["extensions"]
    assert [e["name"] for e in extensions] == []
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url(DASHBOARD), timeout=10)
    assert refused.value.code == 404
    page, problems = open_page(browser, server.url("income_statement/"))
    page.wait_for_selector("aside")
    assert "KCST" not in page.inner_text("aside")
    assert problems == []
    page.close()


def test_a_bad_date_or_period_is_an_error_on_the_page(browser, serve, ledgers) -> None:
    server = serve(ledgers["covered"])
    page, problems = open_page(browser, server.url(DASHBOARD) + "?as_of=2019-02-30")
    error = page.locator('[data-error="as_of"]')
    assert error.is_visible() and "'2019-02-30' is not a real date" in error.inner_text()
    page.close()
    page, problems = open_page(browser, server.url(DASHBOARD) + "?as_of=2018-11-20&time=2018-13")
    error = page.locator('[data-error="time"]')
    assert error.is_visible() and "Fava's time filter '2018-13'" in error.inner_text()
    assert page.get_attribute(".kcst", "data-fy") == "2018/19"  # the as-of date's year instead
    assert problems == []
    page.close()


def test_the_date_picker_sets_the_as_of_date_and_keeps_the_time_filter(
        browser, serve, ledgers) -> None:
    server = serve(ledgers["covered"])
    page, problems = open_page(browser, server.url(DASHBOARD) + "?time=FY2019&as_of=2018-11-20")
    picker = page.locator("input[type=date][name=as_of]")
    assert picker.input_value() == "2018-11-20"
    picker.fill("2018-09-30")
    page.locator(".as-of-picker button[type=submit]").click()
    page.wait_for_selector('.kcst[data-as-of="2018-09-30"]')
    assert "as_of=2018-09-30" in page.url and "time=FY2019" in page.url
    assert page.get_attribute(".kcst", "data-fy") == "2018/19"
    assert problems == []
    page.close()


def test_the_calendar_link_serves_what_kcst_calendar_writes(browser, serve, ledgers) -> None:
    server = serve(ledgers["covered"])
    page, problems = open_page(browser, server.url(DASHBOARD) + "?as_of=2018-11-20")
    link = page.locator("a.calendar")
    assert link.get_attribute("data-remote") is not None  # Fava's router leaves it alone
    href = link.get_attribute("href")
    assert href.endswith("/extension/KCSTDashboard/calendar.ics?as_of=2018-11-20")
    with urllib.request.urlopen(server.base + href, timeout=10) as response:
        assert response.headers.get_content_type() == "text/calendar"
        served = response.read()
    written = subprocess.run([str(BIN / "kcst"), "calendar", "--ledger", str(ledgers["covered"]),
                              "--as-of", "2018-11-20"], capture_output=True, check=True).stdout
    assert served == written
    events = icalendar.Calendar.from_ical(served).walk("VEVENT")
    assert any(str(e["SUMMARY"]).startswith("KP withdraws") for e in events)  # cl. 12.1
    assert problems == []
    page.close()


def test_chart_figures_are_decimal_strings(browser, room) -> None:
    page, _ = open_page(browser, room.url(DASHBOARD) + f"?as_of={ROOM_AS_OF}")
    """Each point carries its month-end balance as a decimal string: at the end of May 2019,
    by hand, 1,000.00 - 2,400.00 - 14 x 2,000.00 = -29,400.00."""
    points = {c.get_attribute("data-month"): c.get_attribute("data-balance")
              for c in page.locator('[data-chart="balance"] circle').all()}
    assert points and all(Decimal(b) == Decimal(b).quantize(Decimal("0.01"))
                          for b in points.values())
    assert points["2019-05"] == "-29400.00"
    bars = page.locator('[data-chart="budget"] g.line').first
    assert (bars.get_attribute("data-budget"), bars.get_attribute("data-actual")) == (
        "24000.00", "6000.00")  # 2019/20: the officer's year; April to June paid
    page.close()
