"""Helpers for the rule tests: judge ledger text as of a date, find a line of it."""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kcst_budget.findings import Finding
from kcst_budget.rules import RuleResult, judge, rule

from ..conftest import HEAD, HEAD_LINES


@dataclass(frozen=True)
class Judged:
    """One rule's result on one ledger, and where things are in that ledger."""

    result: RuleResult
    body: str

    @property
    def status(self) -> str:
        return self.result.status

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    def line_of(self, needle: str, occurrence: int = 1) -> int:
        """The ledger line (counting ``HEAD``) of the ``occurrence``-th line containing
        ``needle`` in the body."""
        return line_in(self.body, needle, occurrence)

    def cited(self) -> list[tuple[str, datetime.date, int]]:
        """(severity, date, line) of each finding, in order."""
        return [(f.severity, f.date, f.source.lineno) for f in self.findings]


def line_in(body: str, needle: str, occurrence: int = 1) -> int:
    seen = 0
    for number, text in enumerate(textwrap.dedent(body).splitlines(), start=1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return HEAD_LINES + number
    raise AssertionError(f"{needle!r} not in the ledger body")


def head_line(needle: str) -> int:
    """The line of ``HEAD`` containing ``needle``."""
    for number, text in enumerate(HEAD.splitlines(), start=1):
        if needle in text:
            return number
    raise AssertionError(f"{needle!r} not in HEAD")


@pytest.fixture
def judged(books_of_text: Callable) -> Callable[..., Judged]:
    """``judged(rule_id, body, as_of)``: the rule's result on HEAD + body as of a date."""

    def run(rule_id: str, body: str, as_of: str | datetime.date, *, head: str = HEAD) -> Judged:
        assert head.count("\n") == HEAD_LINES, "a replacement head keeps HEAD's line count"
        books = books_of_text(head + textwrap.dedent(body), head=False)
        assert not books.errors, [e.message for e in books.errors]
        date = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)
        result = judge(books, date, [rule(rule_id)]).results[0]
        return Judged(result, body)

    return run


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def meeting(date: str, kcc: str = "present", kfrs: str = "present", kp: str = "present", *,
            budget: bool = True, report: bool = False) -> str:
    """A ``kcst-meeting`` of the SMT, as the finance officer writes it."""
    return (f'{date} custom "kcst-meeting" "SMT"\n  kcc: "{kcc}"\n  kfrs: "{kfrs}"\n'
            f'  kp: "{kp}"\n  budget-reviewed: {"TRUE" if budget else "FALSE"}\n'
            f'  performance-report: {"TRUE" if report else "FALSE"}\n')


def contribution(date: str, partner: str, amount: str) -> str:
    return (f'{date} * "{partner}" "Contribution"\n'
            f"  Assets:KFRS:KCST-Pool       {amount} GBP\n"
            f"  Income:Contributions:{partner}  -{amount} GBP\n")


def spend(date: str, account: str, amount: str, **meta: str) -> str:
    lines = [f'{date} * "Supplier" "Spend on {account}"']
    lines += [f'  {key}: "{value}"' for key, value in meta.items()]
    lines += [f"  {account}  {amount} GBP", f"  Assets:KFRS:KCST-Pool  -{amount} GBP"]
    return "\n".join(lines) + "\n"
