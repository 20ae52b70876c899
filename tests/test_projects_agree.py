"""The project figures (contract section 8) are the same in every document: the SMT
dashboard, the SMT paper, the auditor's pack (HTML and XLSX) and ``kcst projects --format
json`` show, for one as-of date and FY, the same budget, spend and remaining of each
project, the same spend by priority and the same unlinked spend; and on a small ledger
those figures are the ones worked by hand.

Every figure in the HTML is marked as the other figures are: a row ``data-project`` or
``data-priority`` holding cells ``data-col="budget"`` (``spent``, ``spent_in_fy``,
``remaining``) with ``data-value``, and totals ``data-figure="projects_..."``."""

from __future__ import annotations

import json
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app
from tests.money.test_projects import LEDGER

from .conftest import BUNDLED, HEAD

runner = CliRunner()


class Figures(HTMLParser):
    """The project figures a page marks: ``rows[("project" | "priority", id)][col]``,
    ``totals[name]``, each project's ``data-outcome-overdue`` and the page's FY."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[tuple[str, str], dict[str, str]] = {}
        self.totals: dict[str, str] = {}
        self.overdue: dict[str, str] = {}
        self.fy: set[str] = set()
        self._row: tuple[str, str] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "strong" and "data-fy" in found:
            self.fy.add(found["data-fy"])
        if tag == "tr":
            self._row = next(((kind, found[f"data-{kind}"]) for kind in ("project", "priority")
                              if f"data-{kind}" in found), None)
            if "data-outcome-overdue" in found:
                self.overdue[found["data-project"]] = found["data-outcome-overdue"]
        if "data-value" not in found:
            return
        figure = found.get("data-figure", "")
        if figure.startswith("projects_"):
            assert self.totals.get(figure, found["data-value"]) == found["data-value"], figure
            self.totals[figure] = found["data-value"]
        elif self._row is not None and "data-col" in found:
            cells = self.rows.setdefault(self._row, {})
            assert found["data-col"] not in cells, (self._row, found["data-col"])
            cells[found["data-col"]] = found["data-value"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bundled books; the hand-worked ledger of ``tests/money/test_projects.py``; the
    same without the outcome of P-A, which ended on 31 March 2019 (due 30 June 2019)."""
    folder = tmp_path_factory.mktemp("projects")
    worked, late = folder / "worked.beancount", folder / "no-outcome.beancount"
    worked.write_text(HEAD + LEDGER, encoding="utf-8")
    outcome = '2019-03-14 custom "kcst-outcome" "P-A" "Two seminars held, 230 practitioners"\n'
    assert outcome in LEDGER
    late.write_text(HEAD + LEDGER.replace(outcome, ""), encoding="utf-8")
    return {"bundled": BUNDLED, "worked": worked, "no-outcome": late}


@pytest.fixture(scope="module")
def dashboard(dashboard_page):
    """The real Fava app for each ledger, made once; the page as of a date."""
    return dashboard_page


def documents(ledger: Path, as_of: str | None, folder: Path, dashboard) -> dict:
    """Every document's figures, and ``kcst projects --format json`` for the documents' FY."""
    dated = ["--as-of", as_of] if as_of else []
    pages = {}
    for kind in ("smt", "audit"):
        out = folder / f"{kind}.html"
        run("report", kind, "--ledger", str(ledger), *dated, "--output", str(out))
        pages[kind] = out.read_text(encoding="utf-8")
    book = folder / "audit.xlsx"
    run("report", "audit", "--ledger", str(ledger), *dated, "--format", "xlsx", "--output",
        str(book))
    pages["dashboard"] = dashboard(ledger, as_of)
    shown = {name: Figures(html) for name, html in pages.items()}
    (fy,) = shown["audit"].fy  # the pack's FY, the briefing's: the same for every document
    cli = json.loads(run("projects", "--ledger", str(ledger), *dated, "--fy", fy,
                         "--format", "json"))
    return {"pages": pages, "shown": shown, "cli": cli, "fy": fy,
            "xlsx": openpyxl.load_workbook(book)}


def money(value: object) -> str:
    """A workbook's number as the JSON writes it."""
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


CASES = [("bundled", None), ("bundled", "2019-01-17"), ("bundled", "2019-06-30"), ("bundled", "2019-12-31"),
         ("bundled", "2020-03-31"), ("worked", "2019-09-30"), ("worked", "2019-03-31"),
         ("no-outcome", "2019-09-30")]


@pytest.mark.parametrize(("name", "as_of"), CASES, ids=[f"{n}-{d or 'default'}" for n, d in CASES])
def test_every_document_shows_the_projects_figures_of_kcst_projects(
        name, as_of, ledgers, dashboard, tmp_path) -> None:
    found = documents(ledgers[name], as_of, tmp_path, dashboard)
    cli, fy = found["cli"], found["fy"]
    projects = {p["id"]: p for p in cli["projects"]}
    priorities = {p["id"]: p for p in cli["priorities"]}
    totals = cli["totals"]

    for document, figures in found["shown"].items():
        for project, line in projects.items():
            shown = figures.rows[("project", project)]
            for col in ("budget", "spent", "remaining"):
                assert shown[col] == line[col], (document, project, col)
            if document == "audit":
                assert shown["spent_in_fy"] == line["spent_in_fy"], (document, project)
            assert figures.overdue[project] == ("yes" if line["outcome_overdue"] else "no")
        assert {key for kind, key in figures.rows if kind == "project"} == set(projects), document
        # the pack lists the priorities always; the dashboard and the paper once a project
        # serves one (before, they say how many the books hold)
        listed = priorities if projects or document == "audit" else {}
        for priority, line in listed.items():
            shown = figures.rows[("priority", priority)]
            assert shown == {"budget": line["budget"], "spent": line["spent"],
                             "spent_in_fy": line["spent_in_fy"]}, (document, priority)
        assert {key for kind, key in figures.rows if kind == "priority"} == set(listed)
        if projects:
            assert figures.totals["projects_budget"] == totals["budget"], document
            assert figures.totals["projects_spent"] == totals["spent"], document
            assert figures.totals["projects_remaining"] == totals["remaining"], document
            assert figures.totals["projects_spent_in_fy"] == totals["spent_in_fy"], document
        if priorities and not listed:
            said = f"the books hold {len(priorities)} priorities and cross-cutting themes"
            assert said in found["pages"][document], document
        if "projects_running_unspent" in figures.totals:  # the paper's financial implications
            assert figures.totals["projects_running_unspent"] == cli["running_unspent"]
        if cli["unlinked"] != "0.00" or document == "audit":
            assert figures.totals["projects_unlinked"] == cli["unlinked"], document
            assert figures.totals["projects_unlinked_in_fy"] == cli["unlinked_in_fy"], document
        else:
            assert "projects_unlinked" not in figures.totals, document

    sheet = found["xlsx"]["Projects"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2,
                                                                           values_only=True)]
    by_id = {row["Project"]: row for row in rows if row["Project"] not in (None, "Total")}
    assert set(by_id) == set(projects)
    for project, line in projects.items():
        row = by_id[project]
        assert [money(row[c]) for c in ("Budget", f"Spent in {fy}", "Spent to date", "Remaining")] \
            == [line["budget"], line["spent_in_fy"], line["spent"], line["remaining"]], project
        assert row["Outcome overdue"] is line["outcome_overdue"]
    total = next(row for row in rows if row["Project"] == "Total")
    assert [money(total[c]) for c in ("Budget", f"Spent in {fy}", "Spent to date", "Remaining")] \
        == [totals["budget"], totals["spent_in_fy"], totals["spent"], totals["remaining"]]
    assert money(rows[-1]["Spent to date"]) == cli["unlinked"]
    assert money(rows[-1][f"Spent in {fy}"]) == cli["unlinked_in_fy"]

    sheet = found["xlsx"]["Spend by priority"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2,
                                                                           values_only=True)]
    by_id = {row["Priority"]: row for row in rows if row["Priority"] not in (None, "Total")}
    assert list(by_id) == list(priorities)  # in the order kcst projects lists them
    assert {key: money(row[f"Spent in {fy}"]) for key, row in by_id.items()} == cli["by_priority"]
    assert {key: money(row["Spent to date"]) for key, row in by_id.items()} \
        == cli["by_priority_to_date"]
    total = next(row for row in rows if row["Priority"] == "Total")
    assert money(total["Spent to date"]) == totals["spent"]


def test_the_figures_are_those_worked_by_hand(ledgers, dashboard, tmp_path) -> None:
    """The hand-worked ledger on 30 September 2019, FY 2019/20: P-B (GBP 2,000.00) is paid
    1,000.00 + 250.10 (two postings of one payment citing it) + 999.95 = 2,250.05, so its
    remaining is -250.05; road safety's spend in 2019/20 is the 999.95 of 15 April 2019;
    20.00 citing no project and 5.00 citing P-ZZ (no such project) serve no priority."""
    found = documents(ledgers["worked"], "2019-09-30", tmp_path, dashboard)
    assert found["fy"] == "2019/20"
    for document, figures in found["shown"].items():
        assert figures.rows[("project", "P-B")]["spent"] == "2250.05", document
        assert figures.rows[("project", "P-B")]["remaining"] == "-250.05", document
        assert figures.rows[("priority", "road-safety")]["spent_in_fy"] == "999.95", document
        assert figures.rows[("priority", "road-safety")]["spent"] == "2250.05", document
        assert figures.totals["projects_unlinked"] == "25.00", document
        assert figures.totals["projects_unlinked_in_fy"] == "5.00", document
    # the overspend shows as a negative remaining, in red, in each page
    for document, html in found["pages"].items():
        row = html.split('data-project="P-B"', 1)[1].split("</tr>", 1)[0]
        assert 'class="num neg" data-col="remaining" data-value="-250.05">-£250.05<' in row, \
            document


def test_an_overdue_outcome_is_said_in_every_document(ledgers, dashboard, tmp_path) -> None:
    """P-A ended on 31 March 2019; with no kcst-outcome by 30 June 2019 it is overdue on 30
    September 2019, in the same words everywhere, and flagged as the rule flags it."""
    found = documents(ledgers["no-outcome"], "2019-09-30", tmp_path, dashboard)
    words = "Outcome OVERDUE: due by 30 June 2019, none recorded."
    assert [p["outcome_overdue"] for p in found["cli"]["projects"]] == [True, False, False]
    for document, html in found["pages"].items():
        assert found["shown"][document].overdue["P-A"] == "yes", document
        row = html.split('data-project="P-A"', 1)[1].split("</tr>", 1)[0]
        assert f'<span class="breach">{words}</span>' in row, document
    text = run("projects", "--ledger", str(ledgers["no-outcome"]), "--as-of", "2019-09-30")
    assert words in " ".join(text.split())
    audit = json.loads(run("audit", "--ledger", str(ledgers["no-outcome"]), "--as-of",
                           "2019-09-30", "--format", "json"))
    messages = [f["message"] for r in audit["rules"] if r["id"] == "project-link"
                for f in r["findings"]]
    assert any("ended on 31 March 2019 and no kcst-outcome" in m for m in messages)


def test_books_with_no_project_say_so_and_show_no_empty_table(dashboard, tmp_path) -> None:
    """The lapses example has neither priorities nor projects."""
    ledger = BUNDLED.parent / "examples" / "lapses.beancount"
    found = documents(ledger, None, tmp_path, dashboard)
    assert found["cli"]["projects"] == [] and found["cli"]["priorities"] == []
    for document, html in found["pages"].items():
        assert 'class="projects"' not in html or document == "audit", document
        assert "No project" in html, document
        assert found["shown"][document].rows == {}, document


def test_every_text_of_a_project_is_escaped_in_every_document(dashboard, tmp_path) -> None:
    """A project's title, its priority's title and its outcome come from the books: shown
    as text, never as markup."""
    hostile = "<img src=x onerror=alert(1)>"
    ledger = tmp_path / "hostile.beancount"
    ledger.write_text(HEAD + LEDGER.replace("DHR lessons-learnt seminars", hostile)
                      .replace('"Road Safety"', f'"Road {hostile}"')
                      .replace("Two seminars held, 230 practitioners", f"{hostile} held"),
                      encoding="utf-8")
    found = documents(ledger, "2019-09-30", tmp_path, dashboard)
    for document, html in found["pages"].items():
        assert hostile not in html, document
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, document
    assert found["cli"]["projects"][0]["title"] == hostile
