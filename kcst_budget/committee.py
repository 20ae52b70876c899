"""What the SMT is asked to decide, and the risks it runs, as a UK local-government
committee report puts them: worked out once from the briefing's figures, laid out by the
SMT paper (and by any other document that wants them).

Recommendations follow from the figures, each with its clause: note the monitoring
position (cl. 8.1); agree how a forecast shortfall is met, by top-ups in proportion to the
minimums (cl. 8.2, 8.6); note contributions outstanding; note that the pool runs out (the
host carries the deficit, cl. 8.1); consider the breaches; note a withdrawal notice
(cl. 12.1, 12.2); agree the next meeting (cl. 4.1) and note the next review (cl. 11.1)
and open deadlines (cl. 13.2).

Risks are rated as a risk register rates them (High, Medium, Low), each with what the
books say and what would reduce it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from kcst_budget.amounts import gbp
from kcst_budget.governance import Governance
from kcst_budget.money.forecast import Forecast
from kcst_budget.money.statement import Statement
from kcst_budget.periods import add_months, long_date
from kcst_budget.rules._common import and_list, id_words, plural


@dataclass(frozen=True)
class Recommendation:
    """"The SMT is recommended to AGREE ...": what to do, what, and under which clause."""

    action: str  # NOTE, AGREE, CONSIDER
    text: str
    clause: str | None = None


@dataclass(frozen=True)
class Risk:
    risk: str
    rating: str  # High, Medium, Low
    mitigation: str
    clause: str | None = None


def recommendations(forecast: Forecast, statement: Statement, governance: Governance,
                    audit: dict[str, Any]) -> tuple[Recommendation, ...]:
    """The decisions the paper asks of the SMT, most pressing first."""
    found: list[Recommendation] = []
    agreement = forecast.agreement
    if forecast.shortfall > 0 and agreement is not None:
        shares = and_list([f"{code} {gbp(amount)}"
                           for code, amount in forecast.top_up_per_partner.items()])
        when = (f"at the end of {agreement.name} ({long_date(agreement.end)})"
                if forecast.in_force else f"left at the end of {agreement.name}")
        found.append(Recommendation(
            "AGREE", f"how the forecast shortfall of {gbp(forecast.shortfall)} {when} is met: "
            f"a top-up from each partner in proportion to its minimum ({shares}), or fewer "
            "commitments (posts or approved spend)", "8.2, 8.6"))
    if forecast.in_force and forecast.exhaustion_month is not None and agreement is not None:
        found.append(Recommendation(
            "NOTE", f"that the pool runs out in {forecast.exhaustion_words}: from then "
            f"{agreement.host}, as host of the pool, carries the deficit until the "
            "contributions or top-ups arrive", "8.1"))
    owing = [c for c in statement.contributions if c.outstanding > 0]
    if owing:
        years = statement.period.fys_ending()
        by = f" by {long_date(years[-1].end)}" if years else ""
        found.append(Recommendation(
            "NOTE", f"that {and_list([f'{c.partner} {gbp(c.outstanding)}' for c in owing])} "
            f"of the minimum contributions for {statement.label} "
            f"{'is' if len(owing) == 1 else 'are'} still outstanding (due{by})", "8.2, 8.6"))
    found.append(Recommendation(
        "NOTE", f"the budget monitoring position for {statement.label} to "
        f"{long_date(statement.through)}: actual spend {gbp(statement.total_actual)} against a "
        f"budget to date of {gbp(statement.total_budget_to_date)} (variance "
        f"{gbp(statement.total_variance_to_date)}); forecast outturn "
        f"{gbp(statement.total_outturn)} against the budget of {gbp(statement.total_budget)}",
        "8.1"))
    if statement.gap is not None and statement.gap < 0:
        found.append(Recommendation(
            "NOTE", f"that the minimum contributions for {statement.label} "
            f"({gbp(statement.total_due)}) do not cover its budgeted spend "
            f"({gbp(statement.total_budget)}): a gap of {gbp(-statement.gap)}", "8.6"))
    breaches = audit["summary"]["breaches"]
    if breaches:
        broken = [id_words(rule["id"]).lower() for rule in audit["rules"] if rule["status"] == "fail"]
        found.append(Recommendation(
            "CONSIDER", f"the {plural(breaches, 'breach')} of the MoU found in the books "
            f"({and_list(broken)}) and agree how each is put right"))
    for notice in governance.open_notices:
        found.append(Recommendation(
            "NOTE", f"{notice.partner}'s notice of withdrawal, given {long_date(notice.date)} "
            f"and taking effect on {long_date(notice.effective)}, and agree the portion of "
            "the remaining funds it takes; a withdrawal dissolves the agreement", "12.1, 12.2"))
    if governance.next_meeting_due is not None:
        found.append(Recommendation(
            "AGREE", f"the date of the next quorate meeting, due by "
            f"{long_date(governance.next_meeting_due)}", "4.1"))
    if governance.next_review is not None:
        found.append(Recommendation(
            "NOTE", f"that the agreement is to be reviewed in {governance.next_review_words}",
            "11.1"))
    for view in governance.deadlines:
        if view.delivered is None:
            late = " (overdue)" if view.deadline.due < governance.as_of else ""
            found.append(Recommendation(
                "NOTE", f"that the {view.title.lower()} is due by "
                f"{long_date(view.deadline.due)}{late}", view.deadline.clause or "13.2"))
    return tuple(found)


def risks(forecast: Forecast, statement: Statement, governance: Governance,
          audit: dict[str, Any], as_of: datetime.date) -> tuple[Risk, ...]:
    """The risks the books show, highest first; one Low line when they show none."""
    found: list[Risk] = []
    agreement = forecast.agreement
    if forecast.shortfall > 0 and agreement is not None:
        found.append(Risk(
            f"Funding: the contributions do not cover the commitments; the forecast shortfall "
            f"at the end of {agreement.name} is {gbp(forecast.shortfall)}.", "High",
            "Agree the top-ups now (in proportion to the minimums), or reduce the commitments "
            "before they fall due.", "8.2, 8.6"))
    if forecast.in_force and forecast.exhaustion_month is not None and agreement is not None:
        found.append(Risk(
            f"Cash: the pool runs out in {forecast.exhaustion_words}; {agreement.host}, as host, "
            "carries the deficit.", "High",
            "Ask for the outstanding contributions and agreed top-ups before that month.",
            "8.1"))
    elif forecast.balance_as_of < 0 and agreement is not None:
        found.append(Risk(
            f"Cash: the pool is overdrawn by {gbp(-forecast.balance_as_of)}; "
            f"{agreement.host}, as host, carries the deficit.", "High",
            "Ask for the outstanding contributions and agreed top-ups.", "8.1"))
    for notice in governance.open_notices:
        found.append(Risk(
            f"Continuity: {notice.partner} withdraws on {long_date(notice.effective)} and the "
            "agreement dissolves.", "High",
            "Agree a successor agreement, or the posts' and commitments' end, before the "
            "notice takes effect.", "12.1, 12.2"))
    owing = statement.total_outstanding
    if owing > 0:
        found.append(Risk(
            f"Income: {gbp(owing)} of the minimum contributions for {statement.label} is still "
            "outstanding.", "Medium", "Remind the partners of the minimum due by 31 March.",
            "8.2, 8.6"))
    governance_rules = {"quorum", "meeting-cadence", "decision-quorate", "budget-review",
                        "performance-reports", "reviews", "prior-approval"}
    broken = [id_words(r["id"]).lower() for r in audit["rules"]
              if r["status"] == "fail" and r["id"] in governance_rules]
    if broken:
        found.append(Risk(
            f"Governance: the books show breaches of {and_list(broken)}; decisions taken "
            "without a quorum or in advance of approval are open to challenge.", "Medium",
            "Put each breach right at the next quorate meeting and record it.", "4.1, 10.3"))
    if agreement is not None and forecast.in_force and agreement.end <= add_months(as_of, 6):
        found.append(Risk(
            f"Term: {agreement.name} ends on {long_date(agreement.end)}; pool money moving "
            "after it has no agreement to cover it.", "Medium",
            "Agree a successor agreement, or close the pool, before the term ends.", "3.1"))
    if agreement is not None and not forecast.in_force and forecast.balance_as_of:
        found.append(Risk(
            f"Term: no agreement is in force; {agreement.name} ended on "
            f"{long_date(agreement.end)} and the pool still holds "
            f"{gbp(forecast.balance_as_of)}.", "Medium",
            "Agree a successor agreement, or return each partner's portion and close the pool.",
            "3.1, 12.1"))
    if not found:
        found.append(Risk("No risk to the pooled budget shows in the books as of "
                          f"{long_date(as_of)}.", "Low", "Keep monitoring at each meeting.", "8.1"))
    return tuple(found)
