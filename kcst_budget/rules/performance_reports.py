"""performance-reports (cl. 13.1): the coordinator reports performance to the SMT every
two months.

cl. 13.1: "The KCST Coordinator is responsible for reporting performance and evaluating
the impact of the team to the KCST SMT every two months during this agreement".

From the start of a post marked ``reports-performance: TRUE`` until it ends or the term
ends, no more than ``meeting-interval-months`` calendar months may pass without a
``kcst-meeting`` with ``performance-report: TRUE`` (from the post's start to the first,
between reports, and from the last to the as-of date). Kept::

    2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
      host: "KFRS"
      months: 24
      reports-performance: TRUE
    2018-09-01 custom "kcst-meeting" "SMT"
      kcc: "present"
      kfrs: "present"
      kp: "present"
      performance-report: TRUE

Broken: the first report on 2018-09-02 or later. The finding cites the previous report's
meeting, or the post for the first.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from kcst_budget.books import Books
from kcst_budget.findings import BREACH, Finding
from kcst_budget.periods import add_months
from kcst_budget.rules._base import Rule
from kcst_budget.mou import governing
from kcst_budget.rules._common import long_date, months_in_words
from kcst_budget.source import Source
from kcst_budget.terms import Post

ID, CLAUSE = "performance-reports", "13.1"


def reporting_posts(books: Books, as_of: datetime.date) -> list[Post]:
    return [p for p in books.terms.posts if p.reports_performance and p.start <= as_of]


def check(books: Books, as_of: datetime.date) -> Iterator[Finding]:
    terms = books.terms
    reports = [m for m in terms.meetings if m.performance_report and m.date <= as_of]
    term_end = max((a.end for a in terms.agreements), default=None)
    for post in reporting_posts(books, as_of):
        last_day = min(post.last_day, as_of, term_end or post.last_day)
        previous: datetime.date = post.start
        cited: Source = post.source
        since = f"the start of the {post.title}'s post on {long_date(post.start)}"
        for meeting in reports:
            if not post.start <= meeting.date <= last_day:
                continue
            due = add_months(previous, _interval(books, previous))
            if meeting.date > due:
                yield _gap(post, due, since, f"until {long_date(meeting.date)}",
                           _interval(books, previous), cited)
            previous, cited = meeting.date, meeting.source
            since = f"the report to the meeting of {long_date(meeting.date)}"
        due = add_months(previous, _interval(books, previous))
        if last_day > due:
            until = "so far" if last_day == as_of else f"to {long_date(last_day)}"
            yield _gap(post, due, since, until, _interval(books, previous), cited)


def _interval(books: Books, date: datetime.date) -> int:
    agreement = governing(books.terms, date)
    return agreement.meeting_interval_months if agreement else 2


def _gap(post: Post, due: datetime.date, since: str, until: str, interval: int,
         cited: Source) -> Finding:
    return Finding(due, ID, CLAUSE, BREACH,
                   f"no performance report by the {post.title} to the SMT from {since} "
                   f"{until}: the next was due by {long_date(due)}; the coordinator reports "
                   f"performance every {months_in_words(interval)}", cited)


def applies(books: Books, as_of: datetime.date) -> bool:
    return bool(reporting_posts(books, as_of))


RULE = Rule(ID, CLAUSE, "The coordinator reports performance every two months", check, applies)
