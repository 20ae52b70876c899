"""``kcst projects`` (spec section 8): each project's budget, spend and remaining, and the
spend by CSA priority, to the penny on a small hand-worked ledger; the briefing the
documents read holds the very same figures."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from typer.testing import CliRunner

from kcst_budget.briefing import briefing
from kcst_budget.books import load_books
from kcst_budget.cli import app
from kcst_budget.periods import FinancialYear

runner = CliRunner()

#: Three projects, spend on them before, across and after 1 April 2019, one over budget,
#: one naming a priority the books do not hold, and spend citing no project.
LEDGER = """\
2018-01-01 open Expenses:Projects:Seminars GBP
2018-01-01 open Expenses:Projects:Roads GBP
2018-01-01 open Expenses:Events GBP
2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"
2017-04-01 custom "kcst-priority" "road-safety" "Road Safety"
2017-04-01 custom "kcst-priority" "early-intervention" "Early intervention, prevention and education"
  theme: TRUE
2018-04-20 * "KFRS" "Contribution"
  Assets:KFRS:KCST-Pool       16000.00 GBP
  Income:Contributions:KFRS  -16000.00 GBP
2018-09-13 custom "kcst-meeting" "SMT"
  kcc: "present"
  kfrs: "present"
  kp: "deputy"
2018-09-13 custom "kcst-decision" "D-2018-09-1" "DHR seminars and pedestrian training"
2018-09-13 custom "kcst-project" "P-A" "DHR lessons-learnt seminars" 1500.00 GBP
  priority: "domestic-abuse"
  decision: "D-2018-09-1"
  ends: 2019-03-31
2018-09-13 custom "kcst-project" "P-B" "Child pedestrian training" 2000.00 GBP
  priority: "road-safety"
  decision: "D-2018-09-1"
2018-09-13 custom "kcst-project" "P-C" "Scams awareness" 300.00 GBP
  priority: "scams"
  decision: "D-2018-09-1"
2018-11-20 * "Venue" "Seminar, Maidstone"
  project: "P-A"
  Expenses:Projects:Seminars    412.50 GBP
  Assets:KFRS:KCST-Pool        -412.50 GBP
2019-01-10 * "Trainer" "Pedestrian training, with the launch event"
  project: "P-B"
  Expenses:Projects:Roads      1000.00 GBP
  Expenses:Events               250.10 GBP
  Assets:KFRS:KCST-Pool       -1250.10 GBP
2019-02-14 * "Venue" "Seminar, Ashford"
  project: "P-A"
  Expenses:Projects:Seminars    387.25 GBP
  Assets:KFRS:KCST-Pool        -387.25 GBP
2019-03-01 * "Printer" "Leaflets"
  Expenses:Projects:Roads        20.00 GBP
  Assets:KFRS:KCST-Pool         -20.00 GBP
2019-03-14 custom "kcst-outcome" "P-A" "Two seminars held, 230 practitioners"
2019-04-15 * "Trainer" "Pedestrian training, second term"
  project: "P-B"
  Expenses:Projects:Roads       999.95 GBP
  Assets:KFRS:KCST-Pool        -999.95 GBP
2019-05-02 * "Venue" "Seminar room, late invoice"
  project: "P-A"
  Expenses:Projects:Seminars    100.00 GBP
  Assets:KFRS:KCST-Pool        -100.00 GBP
2019-06-01 * "Printer" "Scams leaflets"
  project: "P-C"
  Expenses:Projects:Roads        45.45 GBP
  Assets:KFRS:KCST-Pool         -45.45 GBP
2019-07-01 * "Printer" "Posters"
  project: "P-ZZ"
  Expenses:Projects:Roads         5.00 GBP
  Assets:KFRS:KCST-Pool          -5.00 GBP
2019-12-01 custom "kcst-project" "P-D" "Not yet approved on the as-of date" 100.00 GBP
  priority: "road-safety"
  decision: "D-2018-09-1"
"""


def projects_json(path, *args: str) -> dict:
    result = runner.invoke(app, ["projects", "--ledger", str(path), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def ledger(write_ledger):
    return write_ledger(LEDGER)


def test_json_gives_each_projects_budget_spend_and_remaining_to_the_penny(ledger) -> None:
    report = projects_json(ledger, "--as-of", "2019-09-30")
    assert report["as_of"] == "2019-09-30"
    spec_keys = ("id", "title", "priority", "budget", "spent", "remaining", "decision", "outcome")
    assert [{key: p[key] for key in spec_keys} for p in report["projects"]] == [
        {"id": "P-A", "title": "DHR lessons-learnt seminars", "priority": "domestic-abuse",
         "budget": "1500.00", "spent": "899.75", "remaining": "600.25",
         "decision": "D-2018-09-1", "outcome": "Two seminars held, 230 practitioners"},
        # every Expenses: posting of a transaction citing the project counts: 1,250.10 + 999.95
        {"id": "P-B", "title": "Child pedestrian training", "priority": "road-safety",
         "budget": "2000.00", "spent": "2250.05", "remaining": "-250.05",
         "decision": "D-2018-09-1", "outcome": None},
        {"id": "P-C", "title": "Scams awareness", "priority": "scams",
         "budget": "300.00", "spent": "45.45", "remaining": "254.55",
         "decision": "D-2018-09-1", "outcome": None},
    ]  # P-D is dated after the as-of date
    # every priority in the books, nothing spent included; and the one no kcst-priority holds
    assert report["by_priority"] == {"domestic-abuse": "899.75", "road-safety": "2250.05",
                                     "early-intervention": "0.00", "scams": "45.45"}
    assert report["unlinked"] == "25.00"  # 20.00 citing no project, 5.00 an unknown one
    assert report["totals"] == {"budget": "3800.00", "spent": "3195.25", "remaining": "604.75"}


def test_spend_by_priority_for_an_fy_counts_the_spend_dated_in_it(ledger) -> None:
    before = projects_json(ledger, "--as-of", "2019-09-30", "--fy", "2018/19")
    assert before["fy"] == "2018/19"
    assert before["by_priority"] == {"domestic-abuse": "799.75", "road-safety": "1250.10",
                                     "early-intervention": "0.00", "scams": "0.00"}
    assert before["unlinked_in_fy"] == "20.00"
    during = projects_json(ledger, "--as-of", "2019-09-30", "--fy", "2019-20")
    assert during["by_priority"] == {"domestic-abuse": "100.00", "road-safety": "999.95",
                                     "early-intervention": "0.00", "scams": "45.45"}
    assert during["by_priority_to_date"] == before["by_priority_to_date"] == {
        "domestic-abuse": "899.75", "road-safety": "2250.05", "early-intervention": "0.00",
        "scams": "45.45"}
    assert [p["spent_in_fy"] for p in during["projects"]] == ["100.00", "999.95", "45.45"]
    # the projects themselves show their spend to date whatever the FY
    assert [p["spent"] for p in during["projects"]] == ["899.75", "2250.05", "45.45"]


def test_spend_on_the_as_of_day_counts_and_the_day_after_does_not(ledger) -> None:
    on_the_day = projects_json(ledger, "--as-of", "2019-05-02")
    day_before = projects_json(ledger, "--as-of", "2019-05-01")
    assert on_the_day["projects"][0]["spent"] == "899.75"
    assert day_before["projects"][0]["spent"] == "799.75"
    assert day_before["projects"][0]["outcome"] == "Two seminars held, 230 practitioners"
    assert projects_json(ledger, "--as-of", "2019-03-13")["projects"][0]["outcome"] is None


def test_text_names_projects_and_priorities_by_title_with_gbp_to_two_places(ledger) -> None:
    result = runner.invoke(app, ["projects", "--ledger", str(ledger), "--as-of", "2019-09-30"])
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("MoU 2018-2020 is in force on 30 September 2019")
    assert re.search(r"DHR lessons-learnt seminars +£1,500\.00 +£899\.75 +£600\.25", out)
    assert re.search(r"Child pedestrian training +£2,000\.00 +£2,250\.05 +-£250\.05", out)
    words = " ".join(out.split())  # the lines under each project wrap at 88 characters
    assert "P-A; Domestic Abuse; approved by decision D-2018-09-1 of 13 September 2018; " \
           "ended 31 March 2019. Outcome (14 March 2019): Two seminars held" in words
    assert re.search(r"£2,000\.00 +£2,250\.05  Road Safety", out)
    assert "Cross-cutting themes" in out
    assert re.search(r"£300\.00 +£45\.45  scams\n", out)
    assert "citing no project in the books: £25.00" in out
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize(("args", "named"), [
    (["--fy", "2019"], "--fy"), (["--as-of", "2019-02-30"], "--as-of"),
    (["--format", "xml"], "--format"), (["--ledger", "no-such.beancount"], "--ledger")])
def test_bad_arguments_exit_2_naming_the_argument(ledger, args, named) -> None:
    given = ["projects", *(["--ledger", str(ledger)] if "--ledger" not in args else []), *args]
    result = runner.invoke(app, given)
    assert result.exit_code == 2
    assert named in result.output
    assert "Traceback" not in result.output


def test_the_briefing_holds_the_figures_kcst_projects_prints(ledger) -> None:
    books = load_books(ledger)
    for as_of, fy in ((datetime.date(2019, 9, 30), FinancialYear(2019)),
                      (datetime.date(2019, 3, 31), FinancialYear(2018))):
        figures = briefing(books, as_of, fy).projects.as_json()
        assert figures == projects_json(ledger, "--as-of", as_of.isoformat(), "--fy", fy.label)
