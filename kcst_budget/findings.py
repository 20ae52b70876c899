"""Findings: what a rule concludes about the books, with the clause and the line at fault."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from kcst_budget.source import Source

Severity = Literal["breach", "warning"]
BREACH: Severity = "breach"
WARNING: Severity = "warning"


@dataclass(frozen=True, order=True)
class Finding:
    """One conclusion of one rule: the agreement was not kept (breach) or needs attention."""

    date: datetime.date
    rule: str
    clause: str
    severity: Severity
    message: str
    source: Source

    @property
    def label(self) -> str:
        """``[quorum cl. 4.1]``: how every presenter prefixes a finding."""
        return f"[{self.rule} cl. {self.clause}]" if self.clause != "-" else f"[{self.rule}]"

    def line(self) -> str:
        """``file:line: [rule-id cl. X] message`` (the ``kcst check`` form)."""
        return f"{self.source}: {self.label} {self.message}"

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "clause": self.clause, "severity": self.severity,
                "date": self.date.isoformat(), "message": self.message,
                "file": self.source.filename, "line": self.source.lineno}


class RuleError(NamedTuple):
    """A breach reported through Beancount (``bean-check``, Fava's Errors page)."""

    source: dict[str, Any]
    message: str
    entry: Any
    finding: Finding

    @classmethod
    def of(cls, finding: Finding) -> RuleError:
        return cls(finding.source.meta, f"{finding.label} {finding.message}", None, finding)
