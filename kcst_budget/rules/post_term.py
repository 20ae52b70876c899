"""post-term (cl. 8.5): a post is paid from the pool only during its fixed term.

cl. 8.5: "The pooled budget will also used to fund [...] Recruitment of a KCST
Coordinator hosted by KFRS on a fixed term contract for a period of two years [...];
Recruitment of a KCST analyst on a fixed term contract for 18 months".

A post runs from its ``kcst-post`` date to the day before start + ``months``. Kept::

    2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
      host: "KCC"
      months: 18
    2020-03-25 * "Kent County Council" "Recharge: KCST Analyst, March 2020"
      Expenses:Staff:Analyst      2916.63 GBP
      Assets:KFRS:KCST-Pool      -2916.63 GBP

Broken: the same recharge dated 2020-04-25 (the 18 months ended on 31 March 2020) or
2018-09-25 (before the post started). Only pool spend is judged; when several posts
share an account, a date inside any of their terms is kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.rules._base import Rule
from kcst_budget.rules._common import long_date, months_in_words

ID, CLAUSE = "post-term", "8.5"


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    for account, posts in books.terms.posts_by_account.items():
        terms = [(post.start, post.end) for post in posts]
        for movement, amount in books.spend_on(account, as_of):
            if any(start <= movement.date < end for start, end in terms):
                continue
            started = [p for p in posts if p.start <= movement.date]
            if started:
                post = started[-1]
                when = (f"after its fixed term of {months_in_words(post.months)} ended on "
                        f"{long_date(post.last_day)}")
            else:
                post = posts[0]
                when = f"before the post started on {long_date(post.start)}"
            yield Finding(movement.date, ID, CLAUSE, BREACH,
                          f"{post.title} ({account}) charged {gbp(amount)} on "
                          f"{long_date(movement.date)}, {when}", movement.source)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(books.terms.posts)


RULE = Rule(ID, CLAUSE, "Each post is paid only during its fixed term", check, applies)
