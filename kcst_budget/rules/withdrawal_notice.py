"""withdrawal-notice (cl. 12.1, 8.1): a partner withdraws only on six months' written notice,
and takes no more than its portion.

cl. 12.1: "A constituent partner may cease to participate in the KCST by resolution to
that effect being sent to each of the SMT members, and communicated in writing to the
Kent Community Safety Partnership chairperson. A minimum of six months' notice must be
given before withdrawal can take place." cl. 8.1: "each constituent partner reserves the
right to withdraw their portion of any remaining funds from this budget".

Kept (exactly six months is enough; the money leaves on the effective date)::

    2019-06-30 custom "kcst-withdrawal-notice" "KP" 2019-12-30
      to-smt: TRUE
      to-kcsp-chair: TRUE
    2019-12-30 * "KFRS" "KP's portion of the remaining funds"
      withdrawal: "KP"
      Equity:Withdrawn:KP      5000.00 GBP
      Assets:KFRS:KCST-Pool   -5000.00 GBP

Broken: a notice effective less than ``notice-months`` after it was given (2019-12-29
above); a notice not sent to the SMT (``to-smt``) or not to the KCSP chair
(``to-kcsp-chair``); money withdrawn before a valid notice takes effect, or with no
valid notice; withdrawals by a partner that add up to more than its portion of the
remaining funds the day before its first withdrawal (pro rata to net contributions,
``kcst shares``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from kcst_budget.amounts import ZERO, gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.money.portions import portions
from kcst_budget.periods import add_months
from kcst_budget.rules._base import Rule
from kcst_budget.mou import governing
from kcst_budget.periods import previous_day
from kcst_budget.rules._common import in_words, long_date
from kcst_budget.terms import WithdrawalNotice

ID, CLAUSE = "withdrawal-notice", "12.1"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    valid: dict[str, list[WithdrawalNotice]] = {}
    for notice in terms.notices:
        if notice.date > as_of:
            break
        problems = list(_notice_problems(books, notice))
        for problem in problems:
            yield Finding(notice.date, ID, CLAUSE, BREACH, problem, notice.source)
        if not problems:
            valid.setdefault(notice.partner, []).append(notice)

    withdrawals = [m for m in books.movements_between(datetime.date.min, as_of)
                   if m.withdrawal is not None and m.pool_change < 0]
    taken: dict[str, Decimal] = {}
    portion_of: dict[str, Decimal] = {}
    for movement in withdrawals:
        code = movement.withdrawal
        assert code is not None
        amount = -movement.pool_change
        notices = [n for n in valid.get(code, []) if n.date <= movement.date]
        if not any(n.effective <= movement.date for n in notices):
            why = (f"before {code}'s notice takes effect on {long_date(notices[0].effective)}"
                   if notices else f"with no valid notice of withdrawal from {code}")
            yield Finding(movement.date, ID, CLAUSE, BREACH,
                          f"{gbp(amount)} withdrawn by {code} on {long_date(movement.date)} "
                          f"{why}", movement.source)
        if code not in portion_of:  # its portion the day before its first withdrawal
            day_before = previous_day(movement.date)
            share = portions(books, day_before).of(code)
            portion_of[code] = share.portion if share else ZERO
        total = taken[code] = taken.get(code, ZERO) + amount
        if total > portion_of[code]:
            yield Finding(movement.date, ID, CLAUSE, BREACH,
                          f"{code} has withdrawn {gbp(total)}, more than its portion of the "
                          f"remaining funds ({gbp(portion_of[code])} before its first "
                          "withdrawal, pro rata to net contributions)", movement.source)


def _notice_problems(books: Books, notice: WithdrawalNotice) -> Iterator[str]:
    agreement = governing(books.terms, notice.date)
    months = agreement.notice_months if agreement else 6
    earliest = add_months(notice.date, months)
    given = f"{notice.partner}'s notice of withdrawal given on {long_date(notice.date)}"
    if notice.effective < earliest:
        yield (f"{given} takes effect on {long_date(notice.effective)}, less than "
               f"{in_words(months)} months later (not before {long_date(earliest)}): a "
               f"minimum of {in_words(months)} months' notice must be given before "
               "withdrawal can take place")
    missing = []
    if not notice.to_smt:
        missing.append("sent to each of the SMT members")
    if not notice.to_kcsp_chair:
        missing.append("communicated in writing to the Kent Community Safety Partnership "
                       "chairperson")
    if missing:
        yield f"{given} was not {' nor '.join(missing)}"


def applies(books: Books, as_of: datetime.date) -> bool:
    if any(n.date <= as_of for n in books.terms.notices[:1]):
        return True
    return any(m.withdrawal is not None for m in books.movements_between(datetime.date.min, as_of))


RULE = Rule(ID, CLAUSE, "A partner withdraws on six months' notice, taking its portion", check, applies)
