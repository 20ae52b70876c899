"""The project register: what each project funded from the pool cost against its budget,
and the spend by priority of the Community Safety Agreement (spec section 8).

The internal audit asked for "clear links between funding and the delivery of the CSA
action plan objectives" (KCSP report, July 2022, 3.3). As of a date:

- a project's **budget** is its ``kcst-project`` amount, for its whole life;
- its **spend** is the pool spend citing it (``project:``) dated up to the as-of date,
  every ``Expenses:`` posting of each such transaction (``Books.spend_citing``); its
  **remaining** budget is budget - spend (negative once overspent);
- its **decision** is the SMT decision that approved it and its **outcome** the last
  ``kcst-outcome`` recorded by the as-of date;
- the **spend by priority** adds up the spend of the projects naming each priority, to
  the as-of date or, for an FY, dated in that FY up to the as-of date. Every priority and
  cross-cutting theme in the books by the as-of date is listed (nothing spent is £0.00),
  and so is a priority a project names that the books do not hold, so the totals add up;
- **unlinked** spend is spend on an ``Expenses:Projects`` account citing no project the
  books hold by the as-of date (a ``project-link`` breach): it serves no priority.

Only projects and priorities dated on or before the as-of date are shown. ``kcst
projects``, the dashboard, the SMT paper and the auditor's pack show this register
(``briefing.Briefing.projects``); none computes its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kcst_budget.amounts import ZERO, decimal_string
from kcst_budget.books import Books
from kcst_budget.mou import outcome_due, project_life
from kcst_budget.periods import FinancialYear, long_date
from kcst_budget.terms import Decision, Outcome, Priority, Project, is_project_account


@dataclass(frozen=True)
class ProjectLine:
    project: Project
    priority: Priority | None  # None: the project names no priority the books hold
    decision: Decision | None  # None: its decision is not in the books by the as-of date
    last_day: datetime.date  # of its life (``mou.project_life``)
    ended: bool  # its last day is before the as-of date
    spent: Decimal  # pool spend citing it, to the as-of date
    spent_in_fy: Decimal | None  # in the FY asked for, to the as-of date
    outcomes: tuple[Outcome, ...]  # recorded by the as-of date, in date order
    #: Its outcome was due (three months after its end) before the as-of date and none is
    #: recorded by then: the ``project-link`` warning, in a word.
    outcome_overdue: bool = False

    @property
    def budget(self) -> Decimal:
        return self.project.budget

    @property
    def remaining(self) -> Decimal:
        """Budget - spend (negative: overspent)."""
        return self.project.budget - self.spent

    @property
    def outcome(self) -> Outcome | None:
        """The last outcome recorded by the as-of date."""
        return self.outcomes[-1] if self.outcomes else None

    @property
    def outcome_due(self) -> datetime.date | None:
        """The day by which its outcome is due: three months after its end."""
        return outcome_due(self.project)

    @property
    def outcome_late(self) -> bool:
        """Its first outcome was recorded after the day it was due."""
        due = self.outcome_due
        return bool(self.outcomes) and due is not None and self.outcomes[0].date > due

    @property
    def life_words(self) -> str:
        """``ended 31 October 2019`` or ``runs to 29 February 2020``: every document says it
        in the same words."""
        return f"{'ended' if self.ended else 'runs to'} {long_date(self.last_day)}"

    @property
    def outcome_words(self) -> str | None:
        """What the books say of its outcome, in the same words everywhere: the last one
        recorded, or when it is due, or that it is overdue; None for a project with no end
        and no outcome yet."""
        outcome, due = self.outcome, self.outcome_due
        if outcome is not None:
            late = f", late: it was due by {long_date(due)}" if self.outcome_late and due else ""
            return f"Outcome ({long_date(outcome.date)}{late}): {outcome.text}"
        if due is None:
            return None
        if self.outcome_overdue:
            return f"Outcome OVERDUE: due by {long_date(due)}, none recorded."
        return f"Outcome due by {long_date(due)}: none recorded yet."

    def as_json(self) -> dict[str, Any]:
        project, outcome = self.project, self.outcome
        found: dict[str, Any] = {
            "id": project.id, "title": project.title, "priority": project.priority,
            "budget": decimal_string(self.budget), "spent": decimal_string(self.spent),
            "remaining": decimal_string(self.remaining), "decision": project.decision,
            "outcome": outcome.text if outcome else None,
            "priority_title": self.priority.title if self.priority else None,
            "decision_date": self.decision.date.isoformat() if self.decision else None,
            "starts": project.date.isoformat(),
            "ends": project.ends.isoformat() if project.ends else None,
            "outcome_date": outcome.date.isoformat() if outcome else None,
            "outcome_due": self.outcome_due.isoformat() if self.outcome_due else None,
            "last_day": self.last_day.isoformat(), "ended": self.ended,
            "outcome_overdue": self.outcome_overdue, "outcome_late": self.outcome_late,
        }
        if self.spent_in_fy is not None:
            found["spent_in_fy"] = decimal_string(self.spent_in_fy)
        return found


@dataclass(frozen=True)
class PriorityLine:
    id: str
    priority: Priority | None  # None: named by a project, but no kcst-priority in the books
    budget: Decimal  # the budgets of the projects naming it
    spent: Decimal  # to the as-of date
    spent_in_fy: Decimal | None  # in the FY asked for, to the as-of date

    @property
    def title(self) -> str:
        return self.priority.title if self.priority else self.id

    @property
    def theme(self) -> bool:
        return bool(self.priority and self.priority.theme)


@dataclass(frozen=True)
class ProjectRegister:
    as_of: datetime.date
    fy: FinancialYear | None
    projects: tuple[ProjectLine, ...]
    priorities: tuple[PriorityLine, ...]
    unlinked: Decimal  # spend on Expenses:Projects citing no project, to the as-of date
    unlinked_in_fy: Decimal | None

    @property
    def total_budget(self) -> Decimal:
        return sum((line.budget for line in self.projects), ZERO)

    @property
    def total_spent(self) -> Decimal:
        return sum((line.spent for line in self.projects), ZERO)

    @property
    def total_remaining(self) -> Decimal:
        return self.total_budget - self.total_spent

    @property
    def total_spent_in_fy(self) -> Decimal | None:
        """The projects' spend in the FY asked for (None: no FY asked for). The spend by
        priority adds up to it, as it adds up to ``total_spent`` to date: every project
        serves one priority line."""
        if self.fy is None:
            return None
        return sum((line.spent_in_fy or ZERO for line in self.projects), ZERO)

    @property
    def running(self) -> tuple[ProjectLine, ...]:
        """The projects not yet ended on the as-of date."""
        return tuple(line for line in self.projects if not line.ended)

    @property
    def running_unspent(self) -> Decimal:
        """What the running projects may yet spend: their budgets not yet spent (an
        overspent project adds nothing). The forecast to the term end does not count it:
        a project's approving decision carries no ``limit:``."""
        return sum((max(line.remaining, ZERO) for line in self.running), ZERO)

    @property
    def priority_groups(self) -> tuple[tuple[str, tuple[PriorityLine, ...]], ...]:
        """The spend by priority as every document lists it: the county priorities, then
        the cross-cutting themes, then the priorities projects name that the books do not
        hold, each group with its heading (the first has none); empty groups left out."""
        groups = (("", tuple(r for r in self.priorities if r.priority and not r.theme)),
                  ("Cross-cutting themes", tuple(r for r in self.priorities if r.theme)),
                  ("Named by a project, but no priority in the books",
                   tuple(r for r in self.priorities if r.priority is None)))
        return tuple((heading, rows) for heading, rows in groups if rows)

    @property
    def overdue(self) -> tuple[ProjectLine, ...]:
        """The projects whose outcome is overdue on the as-of date."""
        return tuple(line for line in self.projects if line.outcome_overdue)

    @property
    def by_priority(self) -> dict[str, Decimal]:
        """Spend by priority id: in the FY when one was asked for, else to date."""
        return {line.id: line.spent if line.spent_in_fy is None else line.spent_in_fy
                for line in self.priorities}

    def as_json(self) -> dict[str, Any]:
        money = decimal_string
        found: dict[str, Any] = {
            "as_of": self.as_of.isoformat(),
            "fy": self.fy.label if self.fy else None,
            "projects": [line.as_json() for line in self.projects],
            "by_priority": {key: money(value) for key, value in self.by_priority.items()},
            "priorities": [{"id": line.id, "title": line.title, "theme": line.theme,
                            "known": line.priority is not None, "budget": money(line.budget),
                            "spent": money(line.spent)}
                           | ({} if line.spent_in_fy is None
                              else {"spent_in_fy": money(line.spent_in_fy)})
                           for line in self.priorities],
            "unlinked": money(self.unlinked),
            "totals": {"budget": money(self.total_budget), "spent": money(self.total_spent),
                       "remaining": money(self.total_remaining)},
            "running_unspent": money(self.running_unspent),
        }
        if self.fy is not None:
            found["by_priority_to_date"] = {line.id: money(line.spent)
                                            for line in self.priorities}
            found["unlinked_in_fy"] = money(self.unlinked_in_fy or ZERO)
            found["totals"]["spent_in_fy"] = money(self.total_spent_in_fy or ZERO)
        return found


def project_register(books: Books, as_of: datetime.date,
                     fy: FinancialYear | None = None) -> ProjectRegister:
    """Every project to ``as_of`` with its spend, and the spend by priority (for ``fy``
    when given, else to date)."""
    terms = books.terms
    first = fy.start if fy else None
    last = min(as_of, fy.end) if fy else as_of
    priorities = [p for p in terms.priorities if p.date <= as_of]
    known = {p.id: p for p in priorities}
    decisions = {d.id: d for d in terms.decisions if d.date <= as_of}
    lines = []
    for project in terms.projects:
        if project.date > as_of:
            break
        spent = _spend(books, project.id, datetime.date.min, as_of)
        in_fy = None if first is None else _spend(books, project.id, first, last)
        last_day = project_life(terms, project)[1]
        outcomes = tuple(o for o in terms.outcomes if o.project == project.id and o.date <= as_of)
        due = outcome_due(project)
        lines.append(ProjectLine(
            project, known.get(project.priority), decisions.get(project.decision),
            last_day, last_day < as_of, spent, in_fy, outcomes,
            outcome_overdue=due is not None and due < as_of and not outcomes))
    order = [p.id for p in priorities]
    order += [line.project.priority for line in lines if line.project.priority not in known]
    rows = []
    for priority_id in dict.fromkeys(order):
        serving = [line for line in lines if line.project.priority == priority_id]
        rows.append(PriorityLine(
            priority_id, known.get(priority_id), sum((line.budget for line in serving), ZERO),
            sum((line.spent for line in serving), ZERO),
            None if first is None else sum((line.spent_in_fy or ZERO for line in serving), ZERO)))
    linked = {line.project.id for line in lines}
    return ProjectRegister(as_of, fy, tuple(lines), tuple(rows),
                           _unlinked(books, linked, datetime.date.min, as_of),
                           None if first is None else _unlinked(books, linked, first, last))


def _spend(books: Books, project_id: str, first: datetime.date, last: datetime.date) -> Decimal:
    if first > last:
        return ZERO
    return sum((amount for _, amount in books.spend_citing(project_id, last, first)), ZERO)


def _unlinked(books: Books, linked: set[str], first: datetime.date,
              last: datetime.date) -> Decimal:
    """Spend on ``Expenses:Projects`` accounts from ``first`` to ``last`` citing no project
    in ``linked``."""
    total = ZERO
    for account in books.spending:
        if not is_project_account(account):
            continue
        for movement, amount in books.spend_on(account, last, first):
            if movement.project not in linked:
                total += amount
    return total
