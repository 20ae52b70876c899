"""The dashboard's forms in a real browser (Debian's chromium) on the real Fava app (the
``kcst dashboard`` command): a meeting with the two decisions it took, a contribution and a
spend citing one of the decisions, each previewed then recorded; a refusal in the CLI's
words with every file left as it was; ``--read-only`` and a POST from elsewhere refused;
the books' texts escaped. Today is pinned to 30 June 2020 (``KCST_TODAY``)."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.books import load_books
from kcst_budget.cli import app
from tests.entry.conftest import BUNDLED_FOLDER, folder_digest

TODAY = "2020-06-30"
RECORD = "extension/KCSTDashboard/record"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server started in the test and ``kcst`` run in it both take today from here."""
    monkeypatch.setenv("KCST_TODAY", TODAY)


def copy_of_the_books(folder: Path) -> Path:
    shutil.copytree(BUNDLED_FOLDER, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder / "main.beancount"


@pytest.fixture
def page_of(browser) -> Iterator:
    pages = []

    def open_page(url: str, status: int = 200, color_scheme: str = "light"):
        context = browser.new_context(viewport={"width": 1366, "height": 768},
                                      color_scheme=color_scheme)
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == status, url
        pages.append(context)
        return page

    yield open_page
    for context in pages:
        context.close()


def submit(page, button: str, status: int = 200) -> None:
    """Click a submit button and wait for the page the POST returns."""
    with page.expect_navigation(wait_until="networkidle") as navigation:
        page.click(button)
    said = page.locator("[data-message]").all_inner_texts()
    assert navigation.value is not None and navigation.value.status == status, said


def kcst(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stderr


def test_a_meeting_with_two_decisions_a_contribution_and_a_spend_citing_a_decision(
        serve, page_of, tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "browser" / "ledger")
    server = serve(ledger)

    # The minute-taker: the meeting of 7 May 2020 and the two decisions it took, at once.
    page = page_of(server.url(RECORD) + "?kind=meeting")
    page.fill("input[name=date]", "2020-05-07")
    for code, value in (("kcc", "present"), ("kfrs", "present"), ("kp", "deputy")):
        page.check(f"input[name={code}][value={value}]")
    page.check("input[name=budget_reviewed]")
    page.check("input[name=performance_report]")
    rows = page.locator("tr[data-decision-row]")
    rows.nth(0).locator("input[name=id]").fill("D-2020-05-1")
    rows.nth(0).locator("input[name=text]").fill("Hot-desking licences, Loose Road")
    rows.nth(0).locator("input[name=limit]").fill("1,500.00")
    rows.nth(1).locator("input[name=id]").fill("D-2020-05-2")
    rows.nth(1).locator("input[name=text]").fill('Ask partners for an interim "top-up"')
    before = folder_digest(ledger.parent)
    submit(page, "[data-preview]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "preview"
    entries = page.locator("pre[data-entry]").all_inner_texts()
    assert [text.splitlines()[0] for text in entries] == [
        '2020-05-07 custom "kcst-meeting" "SMT"',
        '2020-05-07 custom "kcst-decision" "D-2020-05-1" "Hot-desking licences, Loose Road"',
        '2020-05-07 custom "kcst-decision" "D-2020-05-2" "Ask partners for an interim \\"top-up\\""']
    assert folder_digest(ledger.parent) == before  # shown, not written
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    assert page.inner_text("[data-files]").startswith("wrote ")

    # The finance officer: KP's contribution, then the hot-desking spend citing D-2020-05-1.
    page = page_of(server.url(RECORD) + "?kind=contribution")
    page.select_option("select[name=partner]", "KP")
    page.fill("input[name=amount]", "8,000.00")
    page.fill("input[name=date]", "2020-05-11")
    page.fill("input[name=ref]", "AR200511-0150")
    submit(page, "[data-preview]")
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"

    page = page_of(server.url(RECORD) + "?kind=spend")
    page.select_option("select[name=account]", "Expenses:Accommodation:HotDesking")
    page.fill("input[name=amount]", "1200.00")
    page.fill("input[name=date]", "2020-05-20")
    page.fill("input[name=payee]", "Office Works Ltd")
    page.select_option("select[name=decision]", "D-2020-05-1")
    page.fill("input[name=ref]", "AP200520-0031")
    submit(page, "[data-preview]")
    assert "prior-approval" not in page.inner_text("[data-outcome]")
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    assert page.problems == []

    books = load_books(ledger)
    assert books.errors == ()
    meeting = next(m for m in books.terms.meetings if str(m.date) == "2020-05-07")
    assert meeting.attendance == (("KCC", "present"), ("KFRS", "present"), ("KP", "deputy"))
    assert books.terms.decision("D-2020-05-2") is not None
    spend = next(m for m in books.movements if m.ref == "AP200520-0031")
    assert spend.decision == "D-2020-05-1"

    # One code path: kcst record, given the same, writes the very same files.
    by_hand = copy_of_the_books(tmp_path / "cli" / "ledger")
    for argv in (
            ("meeting", "--date", "2020-05-07", "--attendance", "kcc=present,kfrs=present,kp=deputy",
             "--budget-reviewed", "--performance-report"),
            ("decision", "--date", "2020-05-07", "--id", "D-2020-05-1", "--text",
             "Hot-desking licences, Loose Road", "--limit", "1,500.00"),
            ("decision", "--date", "2020-05-07", "--id", "D-2020-05-2", "--text",
             'Ask partners for an interim "top-up"'),
            ("contribution", "--partner", "KP", "--amount", "8,000.00", "--date", "2020-05-11",
             "--ref", "AR200511-0150"),
            ("spend", "--account", "Expenses:Accommodation:HotDesking", "--amount", "1200.00",
             "--date", "2020-05-20", "--payee", "Office Works Ltd", "--decision", "D-2020-05-1",
             "--ref", "AP200520-0031")):
        code, said = kcst("record", *argv, "--ledger", str(by_hand))
        assert code in (0, 1), said
    assert folder_digest(ledger.parent) == folder_digest(by_hand.parent)


def test_a_refused_entry_shows_the_clis_words_keeps_what_was_typed_and_writes_nothing(
        serve, page_of, tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "ledger")
    server = serve(ledger)
    before = folder_digest(ledger.parent)
    page = page_of(server.url(RECORD) + "?kind=contribution")
    page.select_option("select[name=partner]", "KP")
    page.fill("input[name=amount]", "16,000.00")
    page.fill("input[name=date]", "2019-04-18")  # in 2019/20, closed and sealed
    submit(page, "[data-preview]", status=400)
    shown = page.inner_text("[data-message]")
    code, said = kcst("record", "contribution", "--partner", "KP", "--amount", "16,000.00",
                      "--date", "2019-04-18", "--ledger", str(ledger))
    assert code == 2
    assert said == f"kcst: {shown}\n"
    assert shown.startswith("--date: 2019-04-18 is in 2019/20, which is closed (")
    assert shown.endswith("nothing was written")
    assert page.input_value("input[name=amount]") == "16,000.00"  # nothing typed is lost
    assert folder_digest(ledger.parent) == before

    # the same for a refusal only the write itself finds: a duplicate, then allowed
    for attempt in ("first", "again"):
        page = page_of(server.url(RECORD) + "?kind=contribution")
        page.select_option("select[name=partner]", "KCC")
        page.fill("input[name=amount]", "500")
        page.fill("input[name=date]", "2020-06-01")
        if attempt == "first":
            submit(page, "[data-preview]")
            submit(page, "[data-confirm]")
            continue
        submit(page, "[data-preview]", status=400)  # the preview already refuses it
        assert "is already in the ledger at" in page.inner_text("[data-message]")
        assert "--allow-duplicate" in page.inner_text("[data-message]")
        page.check("input[name=allow_duplicate]")
        submit(page, "[data-preview]")
        submit(page, "[data-confirm]")
        assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    assert load_books(ledger).errors == ()


def test_read_only_refuses_every_post_with_401(serve, page_of, tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "ledger")
    server = serve(ledger, read_only=True)
    before = folder_digest(ledger.parent)
    page = page_of(server.url(RECORD) + "?kind=contribution")
    assert page.locator("[data-read-only]").count() == 1
    page.select_option("select[name=partner]", "KP")
    page.fill("input[name=amount]", "10")
    page.fill("input[name=date]", "2020-06-01")
    submit(page, "[data-preview]", status=401)
    assert folder_digest(ledger.parent) == before


def post(url: str, fields: dict[str, str], headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_post_not_from_the_dashboards_own_page_is_refused_with_403(serve, tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "ledger")
    server = serve(ledger)
    url = server.url(RECORD)
    entry = {"kind": "contribution", "partner": "KP", "amount": "10", "date": "2020-06-01"}
    before = folder_digest(ledger.parent)
    assert post(url, entry, {"Origin": "http://evil.example"}) == 403
    assert post(url, entry, {"Referer": "http://evil.example/form"}) == 403
    assert post(url, entry, {}) == 403
    assert folder_digest(ledger.parent) == before
    assert post(url, {**entry, "preview": "1"}, {"Origin": server.base}) == 200
    assert folder_digest(ledger.parent) == before
    assert post(url, entry, {"Referer": server.url(RECORD)}) == 200
    assert 'Income:Contributions:KP' in (ledger.parent / "2020-21.beancount").read_text()


def test_every_text_from_the_books_is_escaped(serve, page_of, tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "ledger")
    hostile = "<img src=x onerror=window.pwned=1>"
    (ledger.parent / "2020-21.beancount").write_text(
        f'2020-05-07 custom "kcst-decision" "D-2020-05-9" "{hostile}"\n'
        f'2020-05-08 * "{hostile}" "Desks"\n'
        '  ref: "X-1"\n  Expenses:Staff:Admin  10.00 GBP\n  Assets:KFRS:KCST-Pool  -10.00 GBP\n')
    ledger.write_text(ledger.read_text() + 'include "2020-21.beancount"\n')
    server = serve(ledger)
    for kind in ("spend", "reverse"):
        page = page_of(server.url(RECORD) + f"?kind={kind}")
        assert page.evaluate("window.pwned") is None
        assert page.locator("article img").count() == 0
        assert page.problems == []
    page = page_of(server.url(RECORD) + "?kind=spend")
    assert hostile in page.inner_text("select[name=decision]")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_form_in_light_and_dark_mode(serve, page_of, tmp_path: Path, scheme: str) -> None:
    """The meeting form at 1366x768: every control visible, nothing outside the window."""
    server = serve(copy_of_the_books(tmp_path / "ledger"))
    page = page_of(server.url(RECORD) + "?kind=meeting", color_scheme=scheme)
    form = page.locator("form.entry")
    box = form.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366
    assert page.locator("table.attendance input[type=radio]").count() == 3 * 4
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    shot = tmp_path / f"record-{scheme}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def test_a_reversal_and_a_refund_in_the_browser_keep_the_books_valid(serve, page_of,
                                                                    tmp_path: Path) -> None:
    ledger = copy_of_the_books(tmp_path / "ledger")
    server = serve(ledger)
    page = page_of(server.url(RECORD) + "?kind=contribution")
    page.select_option("select[name=partner]", "KCC")
    page.fill("input[name=amount]", "500.00")
    page.fill("input[name=date]", "2020-05-26")
    page.fill("input[name=ref]", "AR200526-0201")
    submit(page, "[data-preview]")
    submit(page, "[data-confirm]")

    page = page_of(server.url(RECORD) + "?kind=reverse")
    assert page.locator('#kcst-refs option[value="AR200526-0201"]').count() == 1  # offered
    page.fill("input[name=ref]", "AR200526-0201")
    page.fill("input[name=date]", "2020-05-27")
    page.fill("input[name=narration]", "Keyed to KCC: the receipt was Kent Police's")
    submit(page, "[data-preview]")
    assert 'reverses: "AR200526-0201"' in page.inner_text("pre[data-entry]")
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"

    page = page_of(server.url(RECORD) + "?kind=contribution")
    page.select_option("select[name=partner]", "KP")
    page.fill("input[name=amount]", "-200.00")
    page.fill("input[name=date]", "2020-05-28")
    submit(page, "[data-preview]", status=400)  # a refund says why
    assert "is recorded only with --narration saying why" in page.inner_text("[data-message]")
    page.fill("input[name=narration]", "Refund of overpayment AR200417-0140")
    submit(page, "[data-preview]")
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    assert "[roll-forward cl. 8.2]" in page.inner_text("[data-breach] ~ ul.findings")

    books = load_books(ledger)
    assert books.errors == ()
    assert not any(m.ref == "AR200526-0201" for m in books.movements)  # cancelled


def test_the_dashboard_links_to_the_forms(serve, page_of, tmp_path: Path) -> None:
    server = serve(copy_of_the_books(tmp_path / "ledger"))
    page = page_of(server.url("extension/KCSTDashboard/"))
    page.click("[data-record-link]")
    page.wait_for_selector("form.entry[data-form=contribution]")
    assert page.problems == []


def test_a_project_its_spend_and_its_outcome_in_the_browser_as_kcst_record_writes_them(
        serve, page_of, tmp_path: Path) -> None:
    """The SMT approves a project; the finance officer records it, a payment for it (first
    without naming the project: refused in the CLI's words, the project's select offered)
    and its outcome; the CLI, given the same, writes the very same files."""
    ledger = copy_of_the_books(tmp_path / "browser" / "ledger")
    server = serve(ledger)
    page = page_of(server.url(RECORD) + "?kind=meeting")
    page.fill("input[name=date]", "2020-05-07")
    for code in ("kcc", "kfrs", "kp"):
        page.check(f"input[name={code}][value=present]")
    row = page.locator("tr[data-decision-row]").nth(0)
    row.locator("input[name=id]").fill("D-2020-05-2")
    row.locator("input[name=text]").fill("DHR lessons-learnt seminars 2020/21")
    submit(page, "[data-preview]")
    submit(page, "[data-confirm]")

    page = page_of(server.url(RECORD) + "?kind=project")
    page.fill("input[name=id]", "P-2020-01")
    page.fill("input[name=title]", "DHR lessons-learnt seminars 2020/21")
    page.fill("input[name=budget]", "1,200.00")
    page.select_option("select[name=priority]", "domestic-abuse")
    page.select_option("select[name=decision]", "D-2020-05-2")
    page.fill("input[name=date]", "2020-05-07")
    page.fill("input[name=ends]", "2020-10-31")
    submit(page, "[data-preview]")
    assert page.inner_text("pre[data-entry]").splitlines() == [
        '2020-05-07 custom "kcst-project" "P-2020-01" "DHR lessons-learnt seminars 2020/21" '
        "1200.00 GBP", '  priority: "domestic-abuse"', '  decision: "D-2020-05-2"',
        "  ends: 2020-10-31"]
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"

    page = page_of(server.url(RECORD) + "?kind=spend")
    assert page.locator('select[name=project] option[value="P-2020-01"]').count() == 1
    page.select_option("select[name=account]", "Expenses:Projects:DHRSeminars")
    page.fill("input[name=amount]", "450.00")
    page.fill("input[name=date]", "2020-06-18")
    page.fill("input[name=payee]", "Kent County Council")
    page.fill("input[name=ref]", "KCC-INV-PRJ-2006")
    before = folder_digest(ledger.parent)
    submit(page, "[data-preview]", status=400)
    shown = page.inner_text("[data-message]")
    code, said = kcst("record", "spend", "--account", "Expenses:Projects:DHRSeminars",
                      "--amount", "450.00", "--date", "2020-06-18", "--payee",
                      "Kent County Council", "--ref", "KCC-INV-PRJ-2006", "--ledger", str(ledger))
    assert code == 2 and said == f"kcst: {shown}\n"
    assert shown.startswith("--project: spend on Expenses:Projects:DHRSeminars is project work")
    assert folder_digest(ledger.parent) == before
    page.select_option("select[name=project]", "P-2020-01")  # what was typed is kept
    submit(page, "[data-preview]")
    assert '  project: "P-2020-01"' in page.inner_text("pre[data-entry]").splitlines()
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    # no agreement is in force in 2020, so the decision was not quorate: said loudly
    assert "[project-link cl. 10.3" in page.inner_text("[data-breach] ~ ul.findings")

    page = page_of(server.url(RECORD) + "?kind=outcome")
    page.select_option("select[name=project]", "P-2020-01")
    page.fill("input[name=date]", "2020-06-25")
    page.fill("input[name=text]", "One seminar held on 16 June 2020 for 120 practitioners")
    submit(page, "[data-preview]")
    submit(page, "[data-confirm]")
    assert page.get_attribute("[data-outcome]", "data-outcome") == "written"
    assert page.problems == []

    books = load_books(ledger)
    assert books.errors == ()
    assert books.terms.project("P-2020-01") is not None
    assert [o.text for o in books.terms.outcomes if o.project == "P-2020-01"] == [
        "One seminar held on 16 June 2020 for 120 practitioners"]

    by_hand = copy_of_the_books(tmp_path / "cli" / "ledger")
    for argv in (
            ("meeting", "--date", "2020-05-07", "--attendance",
             "kcc=present,kfrs=present,kp=present"),
            ("decision", "--date", "2020-05-07", "--id", "D-2020-05-2", "--text",
             "DHR lessons-learnt seminars 2020/21"),
            ("project", "--id", "P-2020-01", "--title", "DHR lessons-learnt seminars 2020/21",
             "--budget", "1,200.00", "--priority", "domestic-abuse", "--decision", "D-2020-05-2",
             "--date", "2020-05-07", "--ends", "2020-10-31"),
            ("spend", "--account", "Expenses:Projects:DHRSeminars", "--amount", "450.00",
             "--date", "2020-06-18", "--payee", "Kent County Council", "--ref",
             "KCC-INV-PRJ-2006", "--project", "P-2020-01"),
            ("outcome", "--project", "P-2020-01", "--date", "2020-06-25", "--text",
             "One seminar held on 16 June 2020 for 120 practitioners")):
        code, said = kcst("record", *argv, "--ledger", str(by_hand))
        assert code in (0, 1), said
    assert folder_digest(ledger.parent) == folder_digest(by_hand.parent)


def test_the_project_forms_refuse_in_the_clis_words(serve, page_of, tmp_path: Path) -> None:
    """An unknown priority typed past the select (a POST from the page), and an outcome
    dated before its project starts: refused, nothing written."""
    ledger = copy_of_the_books(tmp_path / "ledger")
    server = serve(ledger)
    before = folder_digest(ledger.parent)
    page = page_of(server.url(RECORD) + "?kind=outcome")
    page.select_option("select[name=project]", "P-2019-03")
    page.fill("input[name=date]", "2019-05-01")
    page.fill("input[name=text]", "Done")
    submit(page, "[data-preview]", status=400)
    assert page.inner_text("[data-message]") == (
        "--date: 2019-05-01 is before project P-2019-03 starts (2019-05-09); its outcome is "
        "recorded once the work is done; nothing was written")
    url = server.url(RECORD)
    fields = {"kind": "project", "id": "P-2020-01", "title": "Seminars", "budget": "100",
              "priority": "Domestic abuse", "decision": "D-2019-01-2", "date": "2020-05-07"}
    assert post(url, fields, {"Origin": server.base}) == 400
    code, said = kcst("record", "project", "--id", "P-2020-01", "--title", "Seminars",
                      "--budget", "100", "--priority", "Domestic abuse", "--decision",
                      "D-2019-01-2", "--date", "2020-05-07", "--ledger", str(ledger))
    assert code == 2 and "did you mean domestic-abuse (Domestic Abuse)?" in said
    assert folder_digest(ledger.parent) == before
