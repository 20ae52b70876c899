"""Every rule over books nobody hand-wrote (hypothesis, bounded examples, small books).

- No rule crashes on any generated books, whatever breaches are put in.
- Every finding has a date, a clause and a file:line inside the books.
- Books kept by construction give no finding at all.
- Each injected breach is found by its rule, and by no rule but those listed in
  ``FOUND_BY`` below: the table says which injections legitimately trigger which rules.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from kcst_budget.books import Books, load_books
from kcst_budget.findings import BREACH, WARNING
from kcst_budget.rules import RULES, Judgement, judgement_of
from tools.synthetic import INJECTIONS, Shape, ShapeError, SyntheticLedger, generate

#: Which rules find each injected breach. One rule each, but for:
#: - meeting-gap: the coordinator reports performance at the SMT's meetings (cl. 13.1), so
#:   two months without a meeting are also two months without a performance report.
FOUND_BY: dict[str, set[str]] = {
    "money-outside-term": {"term"},
    "inquorate-meeting": {"quorum"},
    "meeting-gap": {"meeting-cadence", "performance-reports"},
    "decision-without-meeting": {"decision-quorate"},
    "budget-not-reviewed": {"budget-review"},
    "contribution-below-minimum": {"contribution-minimum"},
    "refund-to-partner": {"roll-forward"},
    "year-end-mismatch": {"roll-forward"},
    "staff-spend-without-post": {"core-posts-only"},
    "post-charged-outside-term": {"post-term"},
    "post-over-budget": {"post-budget"},
    "hot-desking-without-decision": {"prior-approval"},
    "hot-desking-before-decision": {"prior-approval"},
    "hot-desking-over-limit": {"prior-approval"},
    "missed-review": {"reviews"},
    "short-notice": {"withdrawal-notice"},
    "notice-not-sent": {"withdrawal-notice"},
    "withdrawal-before-notice-effective": {"withdrawal-notice"},
    "withdrawal-over-portion": {"withdrawal-notice"},
    "money-after-withdrawal": {"dissolution"},
    "missing-performance-report": {"performance-reports"},
    "missed-deadline": {"deadlines"},
    "tampered-sealed-period": {"period-lock"},
    "negative-pool-month-end": {"pool-solvency"},
    "project-spend-without-project": {"project-link"},
    "project-over-budget": {"project-link"},
    "project-without-outcome": {"project-link"},
}
#: Severity of what each rule finds for its injection (spec sections 4 and 8): these rules
#: only ever warn, and these injections of project-link (which also breaches) are warnings.
WARNINGS = {"term", "post-budget", "dissolution", "pool-solvency"}
WARNING_INJECTIONS = {"project-over-budget", "project-without-outcome"}
RULE_IDS = {rule.id for rule in RULES}

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def shapes(draw: st.DrawFn, *, inject: tuple[str, ...] = ()) -> Shape:
    """Small books of any shape: 1-3 years from any month, 1-2 agreements, 2-4 partners,
    1-5 posts, up to 150 transactions, written to the term's end or to a day inside it."""
    years = draw(st.integers(1, 3))
    start = datetime.date(draw(st.integers(2016, 2020)), draw(st.integers(1, 12)), 1)
    shape = Shape(
        transactions=draw(st.integers(0, 150)), years=years,
        agreements=draw(st.integers(1, 2)), start=start,
        partners=("KCC", "KFRS", "KP", "P4")[:draw(st.integers(2, 4))],
        posts=draw(st.integers(1, 5)), seed=draw(st.integers(0, 2**16)), inject=inject,
        seal=draw(st.booleans()) or "tampered-sealed-period" in inject,
    )
    months = draw(st.none() | st.integers(10, 12 * years))
    if months is not None:
        from kcst_budget.periods import add_months

        shape = Shape(**{**shape.__dict__, "as_of": add_months(start, months) - datetime.timedelta(1)})
    return shape


def books_of(ledger: SyntheticLedger, folder: str) -> Books:
    books = load_books(ledger.write(Path(folder)))
    assert not books.errors, [e.message for e in books.errors]
    return books


def generated(shape: Shape) -> SyntheticLedger:
    try:
        return generate(shape)
    except ShapeError:
        reject()  # books too short for the breach (e.g. no review month yet): another shape


def assert_findings_are_placed(judgement: Judgement, folder: str) -> None:
    """Each finding has a date, a clause and a file:line inside the books."""
    for finding in judgement.findings:
        assert isinstance(finding.date, datetime.date)
        assert finding.clause and finding.severity in (BREACH, WARNING)
        path = Path(finding.source.filename)
        assert path.parent == Path(folder).resolve(), finding.line()
        assert 1 <= finding.source.lineno <= len(path.read_text().splitlines()), finding.line()
        assert finding.as_json()["line"] == finding.source.lineno


@SETTINGS
@given(shapes())
def test_books_kept_by_construction_give_no_finding(shape: Shape) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = generated(shape)
        judgement = judgement_of(books_of(ledger, folder))
        assert judgement.as_of == ledger.as_of
        assert [f.line() for f in judgement.findings] == []
        assert {r.status for r in judgement.results} <= {"pass", "n/a"}


@settings(SETTINGS, max_examples=10)
@given(st.lists(st.sampled_from(sorted(INJECTIONS)), min_size=1, max_size=5, unique=True)
       .flatmap(lambda names: shapes(inject=tuple(names))))
def test_no_rule_crashes_and_every_finding_is_placed_whatever_is_injected(shape: Shape) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ledger = generated(shape)
        judgement = judgement_of(books_of(ledger, folder))
        assert_findings_are_placed(judgement, folder)
        found = {f.rule for f in judgement.findings}
        expected = {rule for i in ledger.injected for rule in FOUND_BY[i.name]}
        # Breaches put in together may meet (a notice dissolves the agreement for the
        # next one's money), but each is still found by its own rule.
        assert {INJECTIONS[name].rule for name in shape.inject} <= found
        if len(shape.inject) == 1:
            assert found == expected


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_each_injected_breach_is_found_by_its_rule_and_no_unrelated_rule(name: str) -> None:
    @settings(SETTINGS, max_examples=3)
    @given(shapes(inject=(name,)))
    def found_by_its_rule(shape: Shape) -> None:
        with tempfile.TemporaryDirectory() as folder:
            ledger = generated(shape)
            assert [i.name for i in ledger.injected] == [name]
            judgement = judgement_of(books_of(ledger, folder))
            assert_findings_are_placed(judgement, folder)
            assert {f.rule for f in judgement.findings} == FOUND_BY[name]
            rule = INJECTIONS[name].rule
            warns = rule in WARNINGS or name in WARNING_INJECTIONS
            severities = {f.severity for f in judgement.findings if f.rule == rule}
            assert severities == {WARNING if warns else BREACH}
            result = next(r for r in judgement.results if r.rule.id == rule)
            assert result.status == ("pass" if warns else "fail")

    found_by_its_rule()


def test_the_table_covers_every_injection_and_names_its_rule_first() -> None:
    assert set(FOUND_BY) == set(INJECTIONS)
    for name, injection in INJECTIONS.items():
        assert injection.rule in FOUND_BY[name]


def test_every_registered_rule_has_an_injection_and_the_table_names_no_other_rule() -> None:
    """The rules come from the registry: a rule that disappears from ``RULES`` (or one
    added without a breach to inject) fails here rather than being skipped."""
    assert {injection.rule for injection in INJECTIONS.values()} == RULE_IDS
    assert set().union(*FOUND_BY.values()) <= RULE_IDS
