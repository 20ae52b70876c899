"""project-link (cl. 10.3; the CSA audit recommendation): project money is agreed in
advance by the SMT and linked to a priority of the Community Safety Agreement.

cl. 10.3: "Changes to the office accommodation as a result of Phase 2 [...] will be agreed
in advance by KCST SMT and funded from the pooled budget." Phase 2 is the delivery of
"agreed projects that support the achievement of the outcomes outlined within the CSA"
(cl. 6.4), funded from the pool (cl. 8.2: "to support Phase 2 and ongoing project work").

The internal audit's recommendation (KCSP report, 14 July 2022, 3.3): "an internal audit
of the Kent Community Safety Partnership and Team [...] recommended that there be clear
links between funding and the delivery of the CSA action plan objectives."

Spend on an ``Expenses:Projects`` account cites its ``project:``; the project names the
CSA priority it serves and the SMT decision that approved it (spec section 8). Kept::

    2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"
    2019-01-17 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "deputy"
    2019-01-17 custom "kcst-decision" "D-2019-01-2" "DHR lessons-learnt seminars"
    2019-01-17 custom "kcst-project" "P-2019-01" "DHR lessons-learnt seminars" 1200.00 GBP
      priority: "domestic-abuse"
      decision: "D-2019-01-2"
      ends: 2019-10-31
    2019-06-20 * "Maidstone venue" "Venue hire: DHR lessons-learnt seminar"
      project: "P-2019-01"
      Expenses:Projects:DHRSeminars   450.00 GBP
      Assets:KFRS:KCST-Pool          -450.00 GBP
    2019-12-19 custom "kcst-outcome" "P-2019-01" "Two seminars held, 265 practitioners"

Broken (a breach): the venue hire without ``project:``, or citing a project not in the
ledger; a project whose decision is not in the ledger, is dated after the spend (the same
day is in advance), or was taken at no quorate meeting (``mou.decided_quorately``); a
project naming a priority that is no ``kcst-priority``. Needs attention (a warning): spend
citing the project beyond its budget (each such payment is cited), or a project that
ended on 31 October 2019 with no ``kcst-outcome`` by 31 January 2020, three months on
(judged once that day has passed, like every deadline).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books, Movement
from kcst_budget.findings import BREACH, WARNING, Finding
from kcst_budget.mou import decided_quorately, outcome_due
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date
from kcst_budget.terms import Decision, Project, Terms, is_project_account

ID, CLAUSE = "project-link", "10.3; CSA audit recommendation"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    yield from _spend_without_approval(books, as_of)
    terms = books.terms
    known = {p.id for p in terms.priorities if p.date <= as_of}
    for project in terms.projects:
        if project.date > as_of:
            break
        if project.priority not in known:
            yield Finding(project.date, ID, CLAUSE, BREACH,
                          f"project {_named(project)} names priority {project.priority!r}, "
                          "which is no kcst-priority in the ledger: its funding is linked to "
                          "no priority of the Community Safety Agreement", project.source)
        yield from _over_budget(books, project, as_of)
        outcome = _missing_outcome(terms, project, as_of)
        if outcome is not None:
            yield outcome


def _spend_without_approval(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    """Each payment on an ``Expenses:Projects`` account whose project was not agreed in
    advance by a quorate SMT."""
    terms = books.terms
    movements = books.movements
    cited = sorted({index for account, rows in books.spending.items()
                    if is_project_account(account) for index, _ in rows})
    verdicts: dict[str, tuple[Project | None, Decision | None, str | None]] = {}
    for index in cited:  # in date order, as the money was spent
        movement = movements[index]
        if movement.date > as_of:
            break
        if movement.project is None:
            problem = ("cites no project: project work funded from the pool names the project "
                       "the SMT agreed, linking the money to a priority of the Community Safety "
                       "Agreement")
        else:
            verdict = verdicts.get(movement.project)
            if verdict is None:
                verdict = verdicts[movement.project] = _approval(terms, movement.project, as_of)
            project, decision, problem = verdict
            if problem is None:
                if decision is None or project is None or decision.date <= movement.date:
                    continue
                problem = (f"cites project {_named(project)}, approved by decision "
                           f"{decision.id} of {long_date(decision.date)}, taken after the "
                           "spend: it was not agreed in advance by KCST SMT")
        yield Finding(movement.date, ID, CLAUSE, BREACH, f"{_spent(movement)} {problem}",
                      movement.source)


def _approval(terms: Terms, project_id: str, as_of: datetime.date
              ) -> tuple[Project | None, Decision | None, str | None]:
    """The project cited, its decision, and what is wrong with its approval whatever the
    spend's date."""
    project = terms.project(project_id)
    if project is None:
        return None, None, f"cites project {project_id}, which is not in the ledger"
    if project.date > as_of:
        return None, None, (f"cites project {project_id}, which is not recorded until "
                            f"{long_date(project.date)}")
    decision = terms.decision(project.decision)
    if decision is None:
        return project, None, (f"cites project {_named(project)}, whose decision "
                               f"{project.decision} is not in the ledger: it was not agreed "
                               "by KCST SMT")
    if decision.date > as_of:
        return project, decision, (f"cites project {_named(project)}, whose decision "
                                   f"{decision.id} had not been taken by {long_date(as_of)}: "
                                   "it was not agreed in advance by KCST SMT")
    if not decided_quorately(terms, decision):
        return project, decision, (f"cites project {_named(project)}, approved by decision "
                                   f"{decision.id} of {long_date(decision.date)}, which was not "
                                   "taken at a quorate SMT meeting")
    return project, decision, None


def _over_budget(books: Books, project: Project, as_of: datetime.date) -> Iterator[Finding]:
    """Each payment that takes, or keeps, the spend citing the project over its budget."""
    total = ZERO
    for movement, amount in books.spend_citing(project.id, as_of):
        total += amount
        if total > project.budget:
            yield Finding(movement.date, ID, CLAUSE, WARNING,
                          f"{gbp(amount)} citing project {_named(project)} takes its spend to "
                          f"{gbp(total)}, over its budget of {gbp(project.budget)}",
                          movement.source)


def _missing_outcome(terms: Terms, project: Project, as_of: datetime.date) -> Finding | None:
    """A project that ended more than three months before the as-of date with no outcome
    recorded by then (one recorded later still came late)."""
    due = outcome_due(project)
    if due is None or due >= as_of or project.ends is None:
        return None
    recorded = [o.date for o in terms.outcomes if o.project == project.id and o.date <= as_of]
    if any(date <= due for date in recorded):
        return None
    late = f"; recorded late, on {long_date(min(recorded))}" if recorded else ""
    return Finding(due, ID, CLAUSE, WARNING,
                   f"project {_named(project)} ended on {long_date(project.ends)} and no "
                   f"kcst-outcome was recorded within three months, by {long_date(due)}{late}",
                   project.source)


def _named(project: Project) -> str:
    return f"{project.id} ({project.title})"


def _spent(movement: Movement) -> str:
    amount, accounts = ZERO, set()
    for account, spent in movement.spend:
        if is_project_account(account):
            amount += spent
            accounts.add(account)
    return f"{gbp(amount)} on {', '.join(sorted(accounts))}"


def applies(books: Books, as_of: datetime.date) -> bool:
    """Projects or spend on project work to judge by the as-of date."""
    if any(p.date <= as_of for p in books.terms.projects[:1]):
        return True
    movements = books.movements
    return any(movements[rows[0][0]].date <= as_of for account, rows in books.spending.items()
               if is_project_account(account))


RULE = Rule(ID, CLAUSE, "Project spend is agreed in advance by the SMT and linked to a CSA "
            "priority", check, applies)
