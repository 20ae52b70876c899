"""What every rule module imports: the ``Rule`` record and the judgement's shapes."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, WARNING, Finding

Status = Literal["pass", "fail", "n/a"]


def _always(books: Books, as_of: datetime.date) -> bool:
    return True


@dataclass(frozen=True)
class Rule:
    """One checkable clause of the MoU."""

    id: str
    clause: str
    title: str
    check: Callable[[Books, datetime.date], Iterable[Finding]]
    #: Whether there is anything for the rule to judge (else its status is ``n/a``).
    applies: Callable[[Books, datetime.date], bool] = _always


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
