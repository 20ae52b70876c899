"""The dashboard's forms: the SMT's administration officer and the finance officer record
entries in the browser (spec section 7), at ``/<ledger-slug>/extension/KCSTDashboard/record``.

GET shows one form per kind (``?kind=meeting``), its pickers filled from the books. A POST
carries one entry, its fields named as ``kcst record``'s options (``kind``, ``date``,
``partner``, ``amount``, ``account``, ``payee``, ``narration``, ``decision``, ``ref``,
``id``, ``text``, ``limit``, ``effective``, ``to_smt``, ``to_kcsp_chair``,
``budget_reviewed``, ``performance_report``, ``allow_duplicate``, ``strict``, ``project``,
``no_project``, ``title``, ``budget``, ``priority``, ``ends``, and one field per partner
code in lower case for attendance: ``kcc=present``). A meeting's form
may carry the decisions taken at it (``id``, ``text``, ``limit`` repeated, one per row):
they are written with the meeting in one go, all or nothing.

``preview=1`` shows the entry as it would be written and writes nothing; the page then
offers to record exactly that. Either way the POST runs ``kcst_budget.record.record``,
what ``kcst record`` runs, under the same lock, and a refusal shows the same words.

A POST is refused unless it comes from this dashboard's own pages (a same-origin
``Origin``, or ``Referer`` when a browser sends no ``Origin``): HTTP 403. Fava's
``--read-only`` refuses every POST (HTTP 401) before it gets here. Every text from the
books is escaped by the template (Jinja's autoescape).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, render_template, request
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from kcst_budget import asof
from kcst_budget.amounts import gbp
from kcst_budget.books import Books
from kcst_budget.ledgerio import LedgerWriteError
from kcst_budget.mou import governing
from kcst_budget.record import (KINDS, DecisionTyped, Refused, Typed, Written, expense_accounts,
                                partner_choices, record, refusal, reversible)
from kcst_budget.terms import ATTENDANCE

#: The form's title of each kind.
TITLES = {"contribution": "Contribution", "spend": "Spend", "meeting": "SMT meeting",
          "decision": "Decision", "notice": "Notice of withdrawal", "reverse": "Reversal",
          "project": "Project", "outcome": "Project outcome"}
#: Rows for the decisions taken at a meeting (``?rows=`` asks for more, up to ``MAX_ROWS``).
ROWS, MAX_ROWS = 3, 20
#: Text fields of the form, by the command's option names.
TEXT_FIELDS = ("date", "partner", "amount", "account", "payee", "narration", "decision", "ref",
               "id", "text", "limit", "effective", "project", "title", "budget", "priority",
               "ends")
TICKS = ("to_smt", "to_kcsp_chair", "budget_reviewed", "performance_report", "allow_duplicate",
         "strict", "no_project")


@dataclass(frozen=True)
class Outcome:
    """What a POST came to: refused (``message``), previewed or written (``written``)."""

    kind: str
    message: str | None = None
    written: Written | None = None
    fields: MultiDict = field(default_factory=MultiDict)

    @property
    def state(self) -> str:
        if self.message is not None:
            return "refused"
        assert self.written is not None
        return "preview" if self.written.dry_run else "written"


def page(extension: Any) -> Response:
    """GET: the forms; POST: one entry (previewed or written)."""
    if request.method == "POST":
        if not same_origin():
            return Response("Refused: this form is accepted only from the dashboard's own page "
                            "(the request carried no same-origin Origin or Referer); nothing "
                            "was written.\n", status=403, mimetype="text/plain")
        outcome = submit(extension)
        status = 400 if outcome.state == "refused" else 200
        return _render(extension, outcome.kind, outcome, status)
    kind = request.args.get("kind", "contribution")
    return _render(extension, kind if kind in KINDS else "contribution", None, 200)


def same_origin() -> bool:
    """Whether the POST comes from a page of this server (its Origin, else its Referer)."""
    own = f"{request.scheme}://{request.host}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin == own
    referer = urlsplit(request.headers.get("Referer", ""))
    return bool(referer.netloc) and f"{referer.scheme}://{referer.netloc}" == own


def submit(extension: Any) -> Outcome:
    """Run what ``kcst record`` runs with the form's fields; reload Fava after a write."""
    form = request.form
    kind = form.get("kind", "")
    main = Path(extension.ledger.beancount_file_path)
    try:
        typed = typed_of(form, kind, extension.books)
        written = record(main, kind, typed, strict=_ticked(form, "strict"),
                         dry_run=form.get("preview") == "1")
    except (Refused, LedgerWriteError) as problem:
        return Outcome(kind if kind in KINDS else "contribution", refusal(problem), None, form)
    if not written.dry_run:
        extension.ledger.load_file()  # the page and the dashboard show the entry at once
    return Outcome(kind, None, written, form)


def typed_of(form: Mapping[str, str] | MultiDict, kind: str, books: Books | None) -> Typed:
    """The form's fields as ``kcst record``'s options: blank is not given."""
    multi = form if isinstance(form, MultiDict) else MultiDict(form)
    values = {name: _text(multi.get(name)) for name in TEXT_FIELDS}
    decisions: tuple[DecisionTyped, ...] = ()
    attendance = None
    if kind == "meeting":
        rows = zip(multi.getlist("id"), multi.getlist("text"), multi.getlist("limit"), strict=False)
        decisions = tuple(DecisionTyped(_text(i) or "", _text(t), _text(limit))
                          for i, t, limit in rows if any(v.strip() for v in (i, t, limit)))
        codes = books.terms.partners if books is not None else ()
        given = [f"{code.lower()}={multi[code.lower()]}" for code in codes
                 if _text(multi.get(code.lower()))]
        attendance = ",".join(given) if given else None
        values.update(id=None, text=None, limit=None)
    return Typed(**values, attendance=attendance, decisions=decisions,
                 to_smt=_ticked(multi, "to_smt"), to_kcsp_chair=_ticked(multi, "to_kcsp_chair"),
                 budget_reviewed=_ticked(multi, "budget_reviewed"),
                 performance_report=_ticked(multi, "performance_report"),
                 allow_duplicate=_ticked(multi, "allow_duplicate"),
                 no_project=_ticked(multi, "no_project"))


def _text(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


def _ticked(form: Mapping[str, str] | MultiDict, name: str) -> bool:
    return form.get(name) not in (None, "", "0")


def read_only() -> bool:
    """Whether Fava was started read-only (it then refuses every POST with 401)."""
    return any(getattr(guard, "__name__", "") == "_read_only"
               for guard in current_app.before_request_funcs.get(None, ()))


@dataclass(frozen=True)
class Choices:
    """What the forms offer, from the books: partners, accounts, decisions, refs."""

    today: datetime.date
    partners: list[tuple[str, str]]
    attending: list[str]  # the partners of the agreement governing today (attendance)
    accounts: list[str]
    decisions: list[tuple[str, str, str]]  # (id, date, text), the latest first
    refs: list[tuple[str, str]]  # (ref, what it is), the latest first
    payees: list[str]
    projects: list[tuple[str, str, str]] = field(default_factory=list)  # (id, title, priority)
    priorities: list[tuple[str, str, bool]] = field(default_factory=list)  # (id, title, theme)


def choices(books: Books | None) -> Choices:
    today = asof.today()
    if books is None:
        return Choices(today, [], [], [], [], [], [])
    terms = books.terms
    agreement = governing(books.terms, today)
    refs = [(ref, f"{entry.date} {entry.payee or ''} {entry.narration}".strip())
            for ref, entry in reversible(books)[:200]]
    payees = sorted({m.payee for m in books.movements if m.payee and m.is_spend})
    return Choices(today, partner_choices(books),
                   [c.lower() for c in agreement.partners] if agreement else [],
                   expense_accounts(books, today),
                   [(d.id, str(d.date), d.text) for d in reversed(terms.decisions)],
                   refs, payees[:500],
                   [(p.id, p.title, getattr(terms.priority(p.priority), "title", p.priority))
                    for p in reversed(terms.projects)],
                   [(p.id, p.title, p.theme) for p in terms.priorities])


def _render(extension: Any, kind: str, outcome: Outcome | None, status: int) -> Response:
    try:
        rows = max(ROWS, min(MAX_ROWS, int(request.args.get("rows", ROWS))))
    except ValueError:
        rows = ROWS
    filled = outcome.fields if outcome is not None and outcome.state != "written" else MultiDict()
    if kind == "meeting" and filled:
        rows = max(rows, len(filled.getlist("id")))
    template = extension.jinja_env.get_template("record.html")
    html = template.render(
        kinds=KINDS, titles=TITLES, kind=kind, outcome=outcome, filled=filled,
        hidden=[(name, value) for name, value in filled.items(multi=True) if name != "preview"],
        decision_rows=_decision_rows(filled, rows), offer=choices(extension.books),
        attendance=ATTENDANCE, read_only=read_only(), gbp=gbp,
        dashboard=f"{request.script_root}/{request.path.split('/')[1]}/extension/KCSTDashboard/")
    body = render_template("_layout.html", content=Markup(html), page_title="Record an entry")
    return Response(body, status=status, mimetype="text/html")


def _decision_rows(filled: MultiDict, rows: int) -> list[tuple[str, str, str]]:
    ids, texts, limits = filled.getlist("id"), filled.getlist("text"), filled.getlist("limit")
    if filled.get("kind") != "meeting":
        ids, texts, limits = [], [], []
    return [(ids[n] if n < len(ids) else "", texts[n] if n < len(texts) else "",
             limits[n] if n < len(limits) else "") for n in range(rows)]
