"""The calendar of obligations as an iCalendar file (RFC 5545), for the SMT's calendars.

One all-day event per obligation (``kcst_budget.obligations``): a day, or the whole of a
review month. Each event's UID is the obligation's stable key, so Outlook or any calendar
subscribed to the dashboard's ``calendar.ics`` updates the event when the books move it
(the next meeting due moves after each meeting) instead of adding another. DTSTAMP is the
as-of date, so the same books and date give the same file byte for byte.

``kcst calendar`` and the dashboard's link both write this file; neither lays it out.
"""

from __future__ import annotations

import datetime
import re

import icalendar

from kcst_budget.books import Books
from kcst_budget.obligations import Obligation, obligations

PRODID = "-//kcst-budget//KCST obligations//EN"


def calendar_ics(title: str, as_of: datetime.date, found: tuple[Obligation, ...],
                 domain: str) -> bytes:
    """The obligations ``found`` as of ``as_of`` as an iCalendar file; ``domain`` makes
    the UIDs unique to one set of books (``<key>@<domain>``)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{title}: obligations")
    calendar.add("x-wr-caldesc", f"The obligations of the agreement that follow from the books "
                 f"as of {as_of.isoformat()}")
    stamp = datetime.datetime.combine(as_of, datetime.time(0, 0), tzinfo=datetime.UTC)
    for obligation in found:
        event = icalendar.Event()
        event.add("uid", f"{obligation.key}@{domain}")
        event.add("dtstamp", stamp)
        event.add("dtstart", obligation.first)
        event.add("dtend", obligation.last + datetime.timedelta(days=1))
        overdue = "OVERDUE: " if obligation.overdue else ""
        event.add("summary", f"{overdue}{obligation.title} (cl. {obligation.clause})")
        event.add("description", obligation.description)
        event.add("categories", ["KCST"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def books_ics(books: Books, as_of: datetime.date) -> bytes:
    """The calendar of the books' obligations as of ``as_of``: what ``kcst calendar``
    writes and the dashboard serves."""
    domain = re.sub(r"[^a-z0-9]+", "-", books.title.lower()).strip("-") or "books"
    return calendar_ics(books.title, as_of, obligations(books, as_of), f"{domain}.kcst-budget")
