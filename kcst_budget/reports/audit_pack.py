"""The auditor's pack: compliance clause by clause with the evidence of every finding,
and the schedules an auditor ties back to the books (trial balance, contributions, post
costs, roll-forward, decisions, sealed periods).

Every figure is the briefing's (``kcst_budget.briefing``): the same as the dashboard's,
the SMT paper's and ``kcst audit``'s for the same as-of date. The compliance table holds
every finding as of that date; the counts of those dated in the pack's FY stand beside.
"""

from __future__ import annotations

import datetime

from kcst_budget.books import Books
from kcst_budget.briefing import Briefing, briefing
from kcst_budget.periods import FinancialYear
from kcst_budget.reports.render import long_date, render


def audit_pack(books: Books, as_of: datetime.date | None = None,
               fy: FinancialYear | None = None) -> Briefing:
    """The briefing the pack shows: as of the one as-of date, for ``fy`` (default: the
    as-of date's, or the books' last FY when that is earlier)."""
    return briefing(books, as_of, fy)


def caption(pack: Briefing) -> str:
    """The title every page of the printed pack carries."""
    return f"{pack.title}: auditor's pack {pack.fy}, as of {long_date(pack.as_of)}"


def render_audit(pack: Briefing) -> str:
    """The pack as one self-contained A4 HTML page."""
    return render("audit.html", pack=pack, caption=caption(pack))
