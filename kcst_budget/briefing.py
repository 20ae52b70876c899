"""One briefing for the documents: every figure the SMT dashboard, the SMT paper and the
auditor's pack show, for one as-of date and one FY, each from its one function.

A presenter lays the briefing out and computes nothing; two documents showing the same
figure read the same attribute, so they cannot disagree. Each part is worked out when
first asked for and kept (a document that shows no trial balance never makes one).

The FY shown is the as-of date's, or the FY of the books' last entry when the as-of date
is later (``default_fy``): the bundled books judged today show 2019/20, the last year
they hold, under the words "No agreement is in force ... MoU 2018-2020 ended on 31 March
2020". The statement is of that FY, or of the period a reader picks (the dashboard
follows Fava's time filter: a month, a quarter, a range).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from kcst_budget.audit import FindingGroup, audit_report, finding_groups
from kcst_budget.books import Books
from kcst_budget.committee import Recommendation, Risk, recommendations, risks
from kcst_budget.governance import Governance, governance
from kcst_budget.money.forecast import Forecast, PostCommitment, commitments_in, forecast
from kcst_budget.money.portions import Portions, portions
from kcst_budget.money.projects import ProjectRegister, project_register
from kcst_budget.money.registers import (DecisionLine, PoolListing, TrialBalance,
                                         decision_register, pool_listing, trial_balance)
from kcst_budget.money.statement import Statement, statement
from kcst_budget.money.yearend import YearEndLine, roll_forward
from kcst_budget.mou import Standing, standing
from kcst_budget.periods import FinancialYear, Period, fy_of
from kcst_budget.rules import Judgement, judgement_of
from kcst_budget.source import Source, entry_text


def default_fy(books: Books, as_of: datetime.date) -> FinancialYear:
    """The FY of the as-of date, or of the books' last entry when that is earlier."""
    last = books.last_date
    return fy_of(min(as_of, last) if last else as_of)


@dataclass(frozen=True, eq=False)
class Briefing:
    """The figures of the books as of ``as_of``, for ``fy``, with the statement of
    ``period`` (by default the FY)."""

    books: Books = field(repr=False)
    as_of: datetime.date
    fy: FinancialYear
    period: Period | None = None  # None: the FY

    @property
    def title(self) -> str:
        return self.books.title

    @property
    def ledger(self) -> str:
        """The ledger's main file as shown (relative to the working folder when inside it)."""
        return Source(self.books.path or "<string>", 0).display().rsplit(":", 1)[0]

    @property
    def last_meeting_date(self) -> datetime.date | None:
        last = self.governance.last_meeting
        return last.meeting.date if last else None

    @cached_property
    def standing(self) -> Standing:
        """Where the as-of date stands: in force, after a term, before any (said first)."""
        return standing(self.books.terms, self.as_of)

    @cached_property
    def balance(self) -> Decimal:
        return self.books.balance_on(self.as_of)

    @cached_property
    def statement(self) -> Statement:
        """The statement of the period shown (the FY unless another was asked for)."""
        return statement(self.books, self.period or self.fy.period, self.as_of)

    @cached_property
    def forecast(self) -> Forecast:
        return forecast(self.books, self.as_of)

    @cached_property
    def posts(self) -> tuple[PostCommitment, ...]:
        """The posts of the agreement shown (in force, else the last ended): each one's
        cost in the term, spend there to the as-of date, and what is left."""
        agreement = self.standing.agreement
        return commitments_in(self.books, agreement, self.as_of) if agreement else ()

    @cached_property
    def portions(self) -> Portions:
        return portions(self.books, self.as_of)

    @cached_property
    def projects(self) -> ProjectRegister:
        """Each project to the as-of date (budget, spend, remaining, decision, outcome) and
        the spend by CSA priority in the FY shown and to date (``kcst projects --fy``)."""
        return project_register(self.books, self.as_of, self.fy)

    @cached_property
    def roll(self) -> tuple[YearEndLine, ...]:
        return roll_forward(self.books, self.as_of)

    @property
    def sealed(self) -> tuple[YearEndLine, ...]:
        return tuple(line for line in self.roll if line.record is not None)

    @cached_property
    def governance(self) -> Governance:
        return governance(self.books, self.as_of)

    @cached_property
    def judgement(self) -> Judgement:
        return judgement_of(self.books, self.as_of)

    @cached_property
    def audit(self) -> dict[str, Any]:
        """Every rule and finding as of the as-of date (``kcst audit --format json``)."""
        return audit_report(self.books, self.judgement)

    @cached_property
    def audit_fy(self) -> dict[str, Any]:
        """The same, findings dated in the FY shown only (``kcst audit --fy``)."""
        return audit_report(self.books, self.judgement, self.fy)

    @cached_property
    def finding_groups(self) -> tuple[FindingGroup, ...]:
        """Every finding as of the date, grouped by rule and severity and summed up in
        words ("overdrawn at 14 month ends, April 2020 to May 2021, lowest -£380.00")."""
        return finding_groups(self.books, self.audit)

    @cached_property
    def decisions(self) -> tuple[DecisionLine, ...]:
        return decision_register(self.books, self.as_of)

    @cached_property
    def trial(self) -> TrialBalance:
        return trial_balance(self.books, self.fy, self.as_of)

    @cached_property
    def listing(self) -> PoolListing:
        """Every pool movement of the FY to the as-of date, with its file and line."""
        return pool_listing(self.books, self.fy, self.as_of)

    @cached_property
    def recommendations(self) -> tuple[Recommendation, ...]:
        """What the SMT is asked to note, agree or consider (``kcst_budget.committee``)."""
        return recommendations(self.forecast, self.statement, self.governance, self.audit)

    @cached_property
    def risks(self) -> tuple[Risk, ...]:
        return risks(self.forecast, self.statement, self.governance, self.audit, self.as_of)

    @cached_property
    def fingerprint(self) -> str:
        """The seal (``kcst_budget.seal``) of every entry to the as-of date: two documents
        with the same fingerprint were made from the same books."""
        return self.books.digest(self.as_of)

    @cached_property
    def evidence(self) -> dict[tuple[str, int], str]:
        """(file, line) -> the ledger text of each finding's entry."""
        found = {}
        for rule in self.audit["rules"]:
            for finding in rule["findings"]:
                key = (finding["file"], finding["line"])
                found[key] = entry_text(Source(*key))
        return found

    @property
    def since_last_meeting(self) -> dict[str, tuple]:
        """Meetings, decisions, notices and reviews from the last meeting on."""
        last = self.governance.last_meeting
        return self.governance.since(last.meeting.date) if last else {}

    @cached_property
    def balance_series(self) -> tuple[tuple[datetime.date, Decimal, bool], ...]:
        """(month, month-end balance, wholly actual) for the balance chart."""
        return tuple((m.month, m.balance, m.actual) for m in self.forecast.months)

    @cached_property
    def budget_series(self) -> tuple[tuple[str, Decimal, Decimal], ...]:
        """(line, budget for the FY, actual to date) for the budget chart."""
        return tuple((line.line, line.budget, line.actual) for line in self.statement.spend)

    @cached_property
    def fys(self) -> tuple[FinancialYear, ...]:
        """The FYs the books hold (roll-forward years) and the FY shown."""
        return tuple(sorted({line.fy for line in self.roll} | {self.fy}))


def briefing(books: Books, as_of: datetime.date | None = None,
             fy: FinancialYear | None = None, period: Period | None = None) -> Briefing:
    """The briefing as of the one as-of date (``Books.as_of``) for ``fy`` (``default_fy``;
    the period's FY when it is one), its statement of ``period`` (default: the FY)."""
    date = books.as_of(as_of)
    if period is not None and period.fy is not None:
        fy, period = period.fy, None
    return Briefing(books, date, fy or (fy_of(period.first) if period else default_fy(books, date)),
                    period)
