"""prior-approval (cl. 10.3): hot-desking changes are agreed in advance by the SMT.

cl. 10.3: "Changes to the office accommodation as a result of Phase 2, such as the
installation of additional 'hot desking' facilities including information technology
hardware and other related materials will be agreed in advance by KCST SMT and funded
from the pooled budget."

Spend on an account opened with ``approval: "smt"`` must cite a ``kcst-decision`` dated
on or before it (the same day is in advance: the SMT met that morning), and the spend
citing a decision must stay within its ``limit``. Kept::

    2018-01-01 open Expenses:Accommodation:HotDesking GBP
      approval: "smt"
    2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works at Loose Road"
      limit: 8000.00 GBP
    2018-06-14 * "Office Interiors Ltd" "Hot-desk furniture, Loose Road"
      decision: "D-2018-05-1"
      Expenses:Accommodation:HotDesking  5120.00 GBP
      Assets:KFRS:KCST-Pool             -5120.00 GBP

Broken: the same purchase without ``decision:``, citing a decision of a later date or one
not in the ledger, or a second purchase that takes the spend citing D-2018-05-1 over
8,000.00 GBP (every purchase beyond the limit is cited).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date

ID, CLAUSE = "prior-approval", "10.3"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    approval = terms.approval_account_names
    decisions = {d.id: d for d in terms.decisions if d.date <= as_of}  # later ones are not yet taken
    cited_total: dict[str, Decimal] = {}
    movements = books.movements
    cited = sorted({index for account in approval for index, _ in books.spending.get(account, ())})
    for index in cited:  # in date order, as the spend was made
        movement = movements[index]
        if movement.date > as_of:
            break
        amount, accounts = ZERO, []
        for account, spent in movement.spend:
            if account in approval:
                amount += spent
                accounts.append(account)
        if not accounts:
            continue
        accounts = sorted(set(accounts))
        what = f"{gbp(amount)} on {', '.join(accounts)}"
        decision = decisions.get(movement.decision) if movement.decision else None
        if movement.decision is None:
            problem = ("cites no decision of the SMT: changes to the office accommodation "
                       "will be agreed in advance by KCST SMT")
        elif decision is None:
            problem = f"cites decision {movement.decision}, which is not in the ledger"
        elif decision.date > movement.date:
            problem = (f"cites decision {decision.id} of {long_date(decision.date)}, taken "
                       "after the spend: it was not agreed in advance by KCST SMT")
        else:
            total = cited_total[decision.id] = cited_total.get(decision.id, ZERO) + amount
            if decision.limit is None or total <= decision.limit:
                continue
            problem = (f"takes the spend citing decision {decision.id} to {gbp(total)}, over "
                       f"its limit of {gbp(decision.limit)}")
        yield Finding(movement.date, ID, CLAUSE, BREACH, f"{what} {problem}", movement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.approval_accounts)


RULE = Rule(ID, CLAUSE, "Hot-desking changes are agreed in advance by the SMT", check, applies)
