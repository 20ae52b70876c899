"""The projects example (ledger/examples/projects.beancount): project work that loses its
links to the SMT's approval and to the Community Safety Agreement, finding by finding,
each at the line at fault."""

from __future__ import annotations

import datetime

from kcst_budget.books import load_books
from kcst_budget.money.projects import project_register
from kcst_budget.rules import judgement_of

from ..conftest import ROOT

EXAMPLE = ROOT / "ledger" / "examples" / "projects.beancount"


def line_of(needle: str) -> int:
    """The one line of the example containing ``needle``."""
    hits = [n for n, text in enumerate(EXAMPLE.read_text().splitlines(), 1) if needle in text]
    assert len(hits) == 1, (needle, hits)
    return hits[0]


def test_the_projects_example_breaks_each_link_once_at_its_line() -> None:
    books = load_books(EXAMPLE)
    assert books.errors == ()
    judgement = judgement_of(books)  # as of its plugin line: 31 December 2019
    assert judgement.as_of == datetime.date(2019, 12, 31)
    found = [(f.rule, f.severity, f.date.isoformat(), f.source.lineno) for f in judgement.findings]
    assert found == [
        ("decision-quorate", "breach", "2019-05-16", line_of('"D-2019-05-1" "Road')),
        ("project-link", "breach", "2019-05-16", line_of('"kcst-project" "P-2019-02"')),
        ("quorum", "breach", "2019-05-16", line_of("2019-05-16 custom \"kcst-meeting\"")),
        ("project-link", "breach", "2019-06-13", line_of("2019-06-13 *")),
        ("project-link", "warning", "2019-07-18", line_of("2019-07-18 *")),
        ("project-link", "breach", "2019-07-25", line_of("2019-07-25 *")),
        ("project-link", "breach", "2019-09-19", line_of("2019-09-19 *")),
        ("project-link", "warning", "2019-11-30", line_of('"kcst-project" "P-2019-01"')),
    ]
    register = project_register(books, judgement.as_of)
    assert {line.id: str(line.spent) for line in register.priorities} == {
        "domestic-abuse": "1260.00", "safeguarding-vulnerable-people": "240.00",
        "road-safety": "300.00"}
    assert str(register.unlinked) == "95.00"
