"""The MoU's checkable clauses, one module per rule id (spec section 4).

A rule is a ``Rule``: a stable id, the clause it enforces, a title in the MoU's words and
a pure function ``check(books, as_of) -> findings``. Nothing dated after ``as_of`` is
judged; an obligation is breached only once its deadline has passed. Adding a clause is
adding a module and one line to ``RULES``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from kcst_budget.books import JUDGEMENTS_KEPT, Books
from kcst_budget.findings import BREACH
from kcst_budget.rules import (budget_review, contribution_minimum, core_posts_only, deadlines,
                               decision_quorate, dissolution, meeting_cadence,
                               performance_reports, period_lock, pool_solvency, post_budget, post_term,
                               prior_approval, project_link, quorum, reviews, roll_forward, term,
                               withdrawal_notice)
from kcst_budget.rules._base import Judgement, Rule, RuleResult, Status

__all__ = ["RULES", "Judgement", "Rule", "RuleResult", "Status", "judge", "judgement_of",
           "rule"]

#: Every rule, in the order of the MoU's clauses.
RULES: list[Rule] = [
    term.RULE,                  # 3.1
    quorum.RULE,                # 4.1
    meeting_cadence.RULE,       # 4.1
    decision_quorate.RULE,      # 4.1
    budget_review.RULE,         # 8.1
    contribution_minimum.RULE,  # 8.2, 8.6
    roll_forward.RULE,          # 8.2
    core_posts_only.RULE,       # 8.3
    post_term.RULE,             # 8.5
    post_budget.RULE,           # 8.6
    prior_approval.RULE,        # 10.3
    project_link.RULE,          # 10.3; the CSA audit recommendation (spec section 8)
    reviews.RULE,               # 11.1
    withdrawal_notice.RULE,     # 12.1
    dissolution.RULE,           # 12.2
    performance_reports.RULE,   # 13.1
    deadlines.RULE,             # 13.2
    period_lock.RULE,           # -
    pool_solvency.RULE,         # -
]


def rule(rule_id: str) -> Rule:
    """The rule with this id (``KeyError`` naming it otherwise)."""
    for candidate in RULES:
        if candidate.id == rule_id:
            return candidate
    raise KeyError(rule_id)


def judge(books: Books, as_of: datetime.date, rules: Iterable[Rule] | None = None) -> Judgement:
    """Run every rule over the books as of ``as_of``."""
    results = []
    for each in RULES if rules is None else rules:
        if not each.applies(books, as_of):
            results.append(RuleResult(each, "n/a", ()))
            continue
        findings = tuple(sorted(each.check(books, as_of)))
        status: Status = "fail" if any(f.severity == BREACH for f in findings) else "pass"
        results.append(RuleResult(each, status, findings))
    return Judgement(as_of, tuple(results))


def judgement_of(books: Books, as_of: datetime.date | None = None) -> Judgement:
    """The judgement as of ``as_of`` (the one as-of rule when None), made once per date
    for each reading of the books: the plugin's, ``kcst check`` and the dashboard share it."""
    date = books.as_of(as_of)
    kept = books.reading.judgements
    if date in kept:
        kept.move_to_end(date)
        return kept[date]
    judgement = kept[date] = judge(books, date)
    while len(kept) > JUDGEMENTS_KEPT:
        kept.popitem(last=False)
    return judgement
