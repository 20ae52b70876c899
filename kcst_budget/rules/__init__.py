"""The MoU's checkable clauses, one module per rule id (spec section 4).

A rule is a ``Rule``: a stable id, the clause it enforces, a title in the MoU's words and
a pure function ``check(books, as_of) -> findings``. Nothing dated after ``as_of`` is
judged; an obligation is breached only once its deadline has passed. Adding a clause is
adding a module and one line to ``RULES``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from kcst_budget.books import READING_KEY, Books, Reading
from kcst_budget.findings import BREACH, WARNING, Finding

Status = Literal["pass", "fail", "n/a"]


@dataclass(frozen=True)
class Rule:
    """One checkable clause of the MoU."""

    id: str
    clause: str
    title: str
    check: Callable[[Books, datetime.date], Iterable[Finding]]
    #: Whether there is anything for the rule to judge (else its status is ``n/a``).
    applies: Callable[[Books, datetime.date], bool] = lambda books, as_of: True


@dataclass(frozen=True)
class RuleResult:
    rule: Rule
    status: Status
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Judgement:
    """Every rule's result as of a date."""

    as_of: datetime.date
    results: tuple[RuleResult, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(sorted(f for r in self.results for f in r.findings))

    @property
    def breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == BREACH)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == WARNING)


#: Every rule, in the order of the MoU's clauses.
RULES: list[Rule] = []


def judge(books: Books, as_of: datetime.date, rules: Iterable[Rule] | None = None) -> Judgement:
    """Run every rule over the books as of ``as_of``."""
    results = []
    for rule in RULES if rules is None else rules:
        if not rule.applies(books, as_of):
            results.append(RuleResult(rule, "n/a", ()))
            continue
        findings = tuple(sorted(rule.check(books, as_of)))
        status: Status = "fail" if any(f.severity == BREACH for f in findings) else "pass"
        results.append(RuleResult(rule, status, findings))
    return Judgement(as_of, tuple(results))


def judgement_of(books: Books, as_of: datetime.date | None = None) -> Judgement:
    """The judgement as of ``as_of`` (default today), reusing the plugin's when it judged
    the same entries as of the same date."""
    as_of = as_of or datetime.date.today()
    reading = books.options.get(READING_KEY)
    if isinstance(reading, Reading) and reading.entry_count == len(books.entries) \
            and reading.judgement.as_of == as_of:
        return reading.judgement
    return judge(books, as_of)
