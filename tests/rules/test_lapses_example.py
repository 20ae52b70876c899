"""The lapses example (ledger/examples/lapses.beancount): what a person reading the MoU
concludes about an SMT that slips, finding by finding, each at the line at fault."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kcst_budget.books import Books, load_books
from kcst_budget.rules import judgement_of

from ..conftest import ROOT

LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
AS_OF = datetime.date(2019, 4, 30)
BIN = Path(sys.executable).parent


def line_of(needle: str) -> int:
    """The one line of the example containing ``needle``."""
    hits = [n for n, text in enumerate(LAPSES.read_text().splitlines(), 1) if needle in text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


@pytest.fixture(scope="module")
def lapses() -> Books:
    return load_books(LAPSES)


def test_the_lapses_example_is_a_valid_ledger(lapses: Books) -> None:
    assert lapses.errors == ()


def test_an_audit_of_the_lapses_finds_what_the_mou_says(lapses: Books) -> None:
    judgement = judgement_of(lapses, AS_OF)
    found = [(f.rule, f.severity, f.date.isoformat(), f.source.lineno, f.message)
             for f in judgement.findings]
    assert found == [
        ("quorum", "breach", "2018-07-05", line_of('2018-07-05 custom "kcst-meeting"'),
         "the SMT meeting of 5 July 2018 was inquorate: KP neither present nor represented by "
         "a nominated deputy (KP apologies); a quorum needs representation from all three "
         "constituent partners"),
        ("meeting-cadence", "breach", "2018-07-10", line_of('2018-05-10 custom "kcst-meeting"'),
         "no quorate SMT meeting from the meeting of 10 May 2018 until 13 September 2018: the "
         "next was due by 10 July 2018; the SMT will meet at least every two months"),
        ("prior-approval", "breach", "2018-08-20", line_of("2018-08-20 *"),
         "£3,400.00 on Expenses:Accommodation:HotDesking cites decision D-2018-09-1 of "
         "13 September 2018, taken after the spend: it was not agreed in advance by KCST SMT"),
        ("performance-reports", "breach", "2018-09-05",
         line_of('2018-07-05 custom "kcst-meeting"'),
         "no performance report by the KCST Coordinator to the SMT from the report to the "
         "meeting of 5 July 2018 until 13 September 2018: the next was due by 5 September "
         "2018; the coordinator reports performance every two months"),
        ("budget-review", "breach", "2018-11-08", line_of('2018-11-08 custom "kcst-meeting"'),
         "the SMT meeting of 8 November 2018 did not review the budget: SMT will review the "
         "budget at each meeting"),
        ("reviews", "breach", "2019-01-31", line_of('custom "kcst-agreement"'),
         "no review of MoU 2018-2020 in January 2019: the agreement will be reviewed in "
         "January 2019 and January 2020"),
        ("contribution-minimum", "breach", "2019-03-31", line_of("2018-06-11 *"),
         "KP contributed £12,000.00 in 2018/19, £4,000.00 short of the minimum sum of "
         "£16,000.00 per financial year"),
        ("contribution-minimum", "warning", "2019-04-30",
         line_of('2018-04-01 custom "kcst-contribution-minimum"'),
         "KCC has contributed £0.00 so far in 2019/20 of the minimum sum of £16,000.00 per "
         "financial year: £16,000.00 is due by 31 March 2020"),
        ("contribution-minimum", "warning", "2019-04-30", line_of("2019-04-12 *"),
         "KP has contributed £4,000.00 so far in 2019/20 of the minimum sum of £16,000.00 per "
         "financial year: £12,000.00 is due by 31 March 2020"),
    ]
    statuses = {r.rule.id: r.status for r in judgement.results}
    assert [rule for rule, status in statuses.items() if status == "fail"] == [
        "quorum", "meeting-cadence", "budget-review", "contribution-minimum", "prior-approval",
        "reviews", "performance-reports"]
    assert [rule for rule, status in statuses.items() if status == "n/a"] == [
        "project-link", "withdrawal-notice", "dissolution"]  # no project, no notice


def test_the_ledgers_plugin_line_judges_it_as_of_30_april_2019(lapses: Books) -> None:
    assert judgement_of(lapses).as_of == AS_OF
    assert judgement_of(lapses) == judgement_of(lapses, AS_OF)


def test_kcst_audit_json_of_the_lapses_exits_one_with_seven_breaches() -> None:
    result = subprocess.run([BIN / "kcst", "audit", "--ledger", str(LAPSES), "--format", "json"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["as_of"] == "2019-04-30"
    assert report["summary"]["breaches"] == 7 and report["summary"]["warnings"] == 2
    quorum = next(r for r in report["rules"] if r["id"] == "quorum")
    assert quorum["status"] == "fail"
    assert quorum["findings"] == [{
        "rule": "quorum", "clause": "4.1", "severity": "breach", "date": "2018-07-05",
        "message": "the SMT meeting of 5 July 2018 was inquorate: KP neither present nor "
                   "represented by a nominated deputy (KP apologies); a quorum needs "
                   "representation from all three constituent partners",
        "file": str(LAPSES),
        "line": line_of('2018-07-05 custom "kcst-meeting"')}]
