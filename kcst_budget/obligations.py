"""The calendar of obligations (contract v1.1 section 9): every dated obligation that
follows from the books on an as-of date, each citing its clause.

- the date by which the next quorate SMT meeting is due (cl. 4.1: "at least every two
  months") and the coordinator's next performance report (cl. 13.1);
- each review month of the agreement not yet held (cl. 11.1: "reviewed in January 2019
  and January 2020");
- each ``kcst-deadline`` not yet delivered (cl. 13.2);
- each financial year's end, by which each partner's minimum is due (cl. 8.2, 8.6), and
  its year-end roll-forward until the year is closed (cl. 8.2);
- each open withdrawal notice's effective date (cl. 12.1; a withdrawal dissolves the
  agreement, cl. 12.2);
- the end of the term (cl. 3.1).

An obligation already past its date but still open (a review month missed, a deadline
not delivered, a year not closed) is kept and marked overdue. Each has a stable id, so a
calendar subscribed to the file updates its events rather than duplicating them.
``kcst calendar`` and the dashboard's ``calendar.ics`` write the same list
(``kcst_budget.reports.ics``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from kcst_budget.books import Books
from kcst_budget.governance import governance
from kcst_budget.money.yearend import roll_forward
from kcst_budget.mou import in_force
from kcst_budget.periods import fys_between, long_date, month_end, month_words
from kcst_budget.rules._common import and_list, months_in_words


@dataclass(frozen=True, order=True)
class Obligation:
    """One dated obligation: a day, or a month (a review month)."""

    first: datetime.date
    last: datetime.date  # inclusive: ``first`` for a day, the month's end for a month
    key: str  # stable: the same obligation has the same key in every export
    title: str
    clause: str
    description: str  # cites the clause
    overdue: bool = False


def obligations(books: Books, as_of: datetime.date) -> tuple[Obligation, ...]:
    """Every obligation that follows from the books on ``as_of``, in date order."""
    terms = books.terms
    agreement = in_force(terms, as_of)
    found: list[Obligation] = []
    gv = governance(books, as_of)
    if agreement is not None:
        name, slug = agreement.name, _slug(agreement.name)
        interval = months_in_words(agreement.meeting_interval_months)
        if gv.next_meeting_due is not None and gv.next_meeting_due <= agreement.end:
            due = gv.next_meeting_due
            found.append(Obligation(
                due, due, f"next-meeting-{slug}", "Next quorate SMT meeting due", "4.1",
                f"{name} cl. 4.1: the SMT meets at least every {interval}, with every partner "
                f"present or represented by a nominated deputy. The next quorate meeting is "
                f"due by {long_date(due)}.", due < as_of))
        if gv.next_report_due is not None:
            due = gv.next_report_due
            found.append(Obligation(
                due, due, f"next-performance-report-{slug}",
                "Coordinator's performance report to the SMT due", "13.1",
                f"{name} cl. 13.1: the KCST Coordinator reports performance and the impact of "
                f"the team to the SMT every {interval}. The next report is due by "
                f"{long_date(due)}.", due < as_of))
        held = {(r.date.year, r.date.month) for r in terms.reviews if r.date <= as_of}
        for year, month in agreement.reviews:
            if (year, month) in held:
                continue
            first = datetime.date(year, month, 1)
            found.append(Obligation(
                first, month_end(first), f"review-{year:04d}-{month:02d}-{slug}",
                f"Review of {name} due", "11.1",
                f"{name} cl. 11.1: the agreement will be reviewed in "
                f"{and_list([month_words(datetime.date(y, m, 1)) for y, m in agreement.reviews])}"
                f". This review is due in {month_words(first)}.", month_end(first) < as_of))
        for fy in fys_between(max(as_of, agreement.start), agreement.end):
            found.append(Obligation(
                fy.end, fy.end, f"fy-end-{fy.slug}", f"End of financial year {fy}: minimum "
                "contributions due", "8.2, 8.6",
                f"{name} cl. 8.2, 8.6: each partner contributes the minimum sum for {fy} by "
                f"the end of the financial year, {long_date(fy.end)}."))
        found.append(Obligation(
            agreement.end, agreement.end, f"term-end-{slug}", f"End of the term of {name}",
            "3.1", f"{name} cl. 3.1: the agreement runs from {long_date(agreement.start)} to "
            f"{long_date(agreement.end)}. A successor agreement must be in force for the pool "
            "to go on paying the posts."))
    closed = {y.fy for y in terms.year_ends if y.date <= as_of}
    years = {line.fy for line in roll_forward(books, as_of) if line.ended}
    if agreement is not None:
        years.update(fys_between(max(as_of, agreement.start), agreement.end))
    for fy in sorted(years - closed):
        found.append(Obligation(
            fy.end, fy.end, f"roll-forward-{fy.slug}", f"Roll the pool forward: close {fy}",
            "8.2", f"cl. 8.2: the pooled fund is rolled forward at the end of each financial "
            f"year. Once {fy} has ended, record its year end and seal it "
            f"(kcst close-year {fy}).", fy.end < as_of))
    for view in gv.deadlines:
        if view.delivered is not None:
            continue
        deadline = view.deadline
        clause = deadline.clause or "13.2"
        found.append(Obligation(
            deadline.due, deadline.due, f"deadline-{_slug(deadline.name)}",
            f"{view.title} due", clause,
            f"cl. {clause}: {view.title} is due by {long_date(deadline.due)} "
            f"(kcst-deadline \"{deadline.name}\").", deadline.due < as_of))
    for notice in gv.open_notices:
        found.append(Obligation(
            notice.effective, notice.effective,
            f"withdrawal-{_slug(notice.partner)}-{notice.date.isoformat()}",
            f"{notice.partner} withdraws from the agreement", "12.1",
            f"cl. 12.1: {terms.name_of(notice.partner)} gave notice of withdrawal on "
            f"{long_date(notice.date)}, taking effect on {long_date(notice.effective)}; it "
            "withdraws its portion of the remaining funds. cl. 12.2: a withdrawal dissolves "
            "the agreement."))
    return tuple(sorted(found, key=lambda o: (o.first, o.key)))


def _slug(text: str) -> str:
    """``MoU 2018-2020`` -> ``mou-2018-2020``: a part of a stable id."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def describe(obligation: Obligation) -> str:
    """``17 March 2019: Next quorate SMT meeting due (cl. 4.1)``."""
    when = (month_words(obligation.first) if obligation.last != obligation.first
            else long_date(obligation.first))
    overdue = " (overdue)" if obligation.overdue else ""
    return f"{when}: {obligation.title}{overdue} (cl. {obligation.clause})"

