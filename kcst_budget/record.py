"""The finance officer's entries: contributions, spend, meetings, decisions, notices,
reversals, projects and their outcomes, written into the ledger in its own style without
writing Beancount by hand (spec sections 6, 7 and 8).

What ``kcst record contribution --partner KP --amount 16000.00 --date 2020-04-18`` adds to
``ledger/2020-21.beancount``::

    2020-04-18 * "Kent Police" "Contribution 2020/21 (cl. 8.2)"
      Assets:KFRS:KCST-Pool                     16000.00 GBP
      Income:Contributions:KP                  -16000.00 GBP

and what ``kcst record reverse --ref AP200521-0032 --date 2020-05-22`` adds: the exact
opposite of the entry whose ``ref`` is AP200521-0032, so that the two cancel (spec 7)::

    2020-05-22 * "Office Works Ltd" "Reversal of AP200521-0032: HotDesking, May 2020"
      reverses: "AP200521-0032"
      Expenses:Accommodation:HotDesking          -250.00 GBP
      Assets:KFRS:KCST-Pool                       250.00 GBP

The guarantee: nothing entered is lost or silently wrong. What was typed (``Typed``: the
command's options, which are also the browser form's fields) is read first; then, under
the ledger's lock, the books are read, the entries are built and checked against them
(partner, account, decision, ref, duplicates, closed and sealed FYs, dates in the future),
the WHOLE resulting ledger is loaded with the real loader on a trial copy, every file is
re-checked unchanged since it was read, and only then written atomically
(``kcst_budget.ledgerio``). A refusal raises ``Refused`` naming the argument, with the
valid choices and the closest match, and leaves every file byte-for-byte as it was.

A breach of the MoU is still recorded (the record is a fact) and reported among the new
findings; ``strict=True`` refuses it instead. ``kcst record`` and the dashboard's forms
both call ``record``: one code path, the same words.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from beancount.core import data

from kcst_budget import asof
from kcst_budget.amounts import CURRENCY, LARGEST, PENNY, decimal_string, gbp
from kcst_budget.books import CONTRIBUTIONS, EXPENSES, REVERSES, Books, load_books
from kcst_budget.findings import Finding
from kcst_budget.ledgerio import Snapshot, apply, locked, trial_load
from kcst_budget.mou import governing
from kcst_budget.periods import FinancialYear, add_months, fy_of, long_date, parse_fy
from kcst_budget.plugin import project_accounts
from kcst_budget.rules import judgement_of
from kcst_budget.rules._common import plural
from kcst_budget.source import Source
from kcst_budget.suggest import closest, did_you_mean, listed
from kcst_budget.terms import (ATTENDANCE, Agreement, Project, Terms, YearEnd,
                               is_project_account)

#: The column at which amounts end in a posting line, as in the bundled ledger.
AMOUNT_COLUMN = 52
#: The kinds of entry ``kcst record`` writes (and the browser's forms offer).
KINDS = ("contribution", "spend", "meeting", "decision", "notice", "reverse", "project",
         "outcome")
#: An id as the books write them: ``D-2020-05-1``, ``P-2019-01``.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


class Refused(Exception):
    """The entry cannot be recorded; the message names the argument. Nothing was written."""


def refusal(problem: Exception) -> str:
    """The words of a refusal, as ``kcst record`` prints them and the browser shows them."""
    return f"{problem}; nothing was written"


class Likeness(NamedTuple):
    """What makes two entries the same entry twice (spec 7, duplicates): the kind, the
    date, the amount, the partner or account, and the payee (case ignored)."""

    kind: str
    date: datetime.date
    amount: Decimal | None
    target: str | None  # partner code or account
    payee: str | None


@dataclass(frozen=True)
class NewEntry:
    """One entry to append: its date (which picks its FY file), its text, its ``ref``."""

    date: datetime.date
    text: str  # ends with a newline
    ref: str | None = None
    kind: str | None = None
    likeness: Likeness | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Written:
    """What a write added (or, on a dry run, would add), and the words that say so."""

    entries: tuple[NewEntry, ...]
    files: tuple[Path, ...]  # every file written (or to be written), the main file last
    new_findings: tuple[Finding, ...]  # findings the entries brought, sources in the real files
    dry_run: bool = False

    @property
    def new_breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.new_findings if f.severity == "breach")

    @property
    def files_said(self) -> str | None:
        """``wrote ledger/2020-21.beancount`` (``would write ...`` on a dry run)."""
        if not self.files:
            return None
        names = ", ".join(Source(str(path), 0).display().rsplit(":", 1)[0] for path in self.files)
        return f"{'would write' if self.dry_run else 'wrote'} {names}"

    @property
    def breach_said(self) -> str | None:
        """The loud line over new breaches."""
        count = plural(len(self.new_breaches), "new breach")
        if not self.new_breaches:
            return None
        if self.dry_run:
            these = "this entry" if len(self.entries) == 1 else "these entries"
            return f"!! BREACH: {these} would break the MoU ({count}):"
        return f"!! BREACH: recorded, but it breaks the MoU ({count}); correct it with a further entry:"

    @property
    def findings_said(self) -> tuple[str, ...]:
        """One line per new finding, breaches marked ``!!``."""
        return tuple(f"{'!! ' if f.severity == 'breach' else ''}{f.severity}: {f.line()}"
                     for f in self.new_findings)

    @property
    def dry_run_said(self) -> str | None:
        if not self.dry_run:
            return None
        return f"dry run: would record {plural(len(self.entries), 'entry', 'entries')}; nothing was written"


# ---- Arguments, as typed by the finance officer -------------------------------------------

_AMOUNT = re.compile(r"^(?P<minus>-\s*)?(?:£\s*)?(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)"
                     r"(?:\s+(?P<currency>[A-Za-z]{3}))?$")


def parse_amount(text: str, argument: str = "--amount", signed: bool = False) -> Decimal:
    """A GBP amount with at most two decimals: ``16000.00``, ``16,000``, ``£75.5``,
    ``3750.00 GBP``; with ``signed``, also ``-250.00`` (a recovery, a refund). Never zero.
    Anything else is refused naming ``argument``."""
    stripped = text.strip()
    if stripped.startswith("(") or (stripped.startswith("-") and not signed):
        raise Refused(f"{argument}: {text!r} is not positive; enter the amount without a sign")
    match = _AMOUNT.match(stripped)
    if not match:
        currency = re.search(r"([A-Za-z]{3}|[$€])", stripped)
        if currency and re.search(r"[0-9]", stripped) and currency.group(1).upper() != CURRENCY:
            raise Refused(f"{argument}: {text!r} is not in {CURRENCY}; the pool is kept in "
                          f"{CURRENCY} only")
        raise Refused(f"{argument}: {text!r} is not an amount like 16000.00")
    if match.group("currency") and match.group("currency").upper() != CURRENCY:
        raise Refused(f"{argument}: {text!r} is not in {CURRENCY}; the pool is kept in "
                      f"{CURRENCY} only")
    number = match.group("number")
    whole = number.split(".")[0]
    if "," in whole and not re.match(r"^[0-9]{1,3}(,[0-9]{3})+$", whole):
        raise Refused(f"{argument}: {text!r} has misplaced thousands separators")
    try:
        amount = Decimal(number.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise Refused(f"{argument}: {text!r} is not an amount like 16000.00") from None
    if amount > LARGEST:  # 29 digits or more cannot even be rounded to the penny
        raise Refused(f"{argument}: {text[:40]!r}{'...' if len(text) > 40 else ''} is larger "
                      f"than any amount the books take (at most {LARGEST:,})")
    if amount != amount.quantize(PENNY):
        raise Refused(f"{argument}: {text!r} has more than two decimals; GBP is kept to the penny")
    if amount == 0:
        raise Refused(f"{argument}: {text!r} is zero; there is nothing to record")
    return -amount.quantize(PENNY) if match.group("minus") else amount.quantize(PENNY)


def parse_date(text: str, argument: str = "--date") -> datetime.date:
    """A real calendar date written YYYY-MM-DD."""
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        raise Refused(f"{argument}: {text!r} is not a date like 2020-04-18 (YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as problem:
        raise Refused(f"{argument}: {text!r} is not a real date ({problem})") from None


def not_in_future(date: datetime.date, argument: str, today: datetime.date | None = None) -> None:
    """Refuse a date after today: the books record what has happened (spec 7)."""
    today = today or asof.today()
    if date > today:
        raise Refused(f"{argument}: {date} is in the future (today is {today}); the books record "
                      "what has happened: check the year, or record it on the day")


def parse_attendance(text: str, partners: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``kcc=present,kfrs=present,kp=deputy`` -> (("KCC", "present"), ...), each key a partner
    of the agreement and each value one of present, deputy, apologies, absent (cl. 4.1)."""
    pairs: dict[str, str] = {}
    lower = [p.lower() for p in partners]
    for item in text.split(","):
        if not item.strip():
            continue
        key, equals, value = item.partition("=")
        key, value = key.strip(), value.strip().lower()
        if not equals or not key:
            raise Refused(f"--attendance: {item.strip()!r} is not partner=value, e.g. kp=deputy")
        code = key.upper()
        if code not in partners:
            raise Refused(f"--attendance: {key!r} is no partner of the agreement"
                          f"{did_you_mean(key, lower)} (partners: {', '.join(lower)})")
        if value not in ATTENDANCE:
            raise Refused(f"--attendance: {key}={value!r} is not one of {', '.join(ATTENDANCE)}"
                          f"{did_you_mean(value, ATTENDANCE, aside=True)}")
        if code in pairs:
            raise Refused(f"--attendance: {key} is given twice")
        pairs[code] = value
    if not pairs:
        raise Refused("--attendance: no partner given, e.g. kcc=present,kfrs=present,kp=deputy")
    return tuple((code, pairs[code]) for code in partners if code in pairs)


def quoted(text: str, argument: str) -> str:
    """A Beancount string literal of one line of text."""
    if not text.strip():
        raise Refused(f"{argument}: is empty")
    if any(ch in text for ch in "\n\r\t\x00"):
        raise Refused(f"{argument}: must be one line of text")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---- What the books offer: the valid choices ---------------------------------------------

def accounts_opened(books: Books) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    """Every account opened in the ledger: (opened, closed or None)."""
    found: dict[str, tuple[datetime.date, datetime.date | None]] = {}
    for entry in books.entries:
        if type(entry) is data.Open:
            found[entry.account] = (entry.date, None)
        elif type(entry) is data.Close and entry.account in found:
            found[entry.account] = (found[entry.account][0], entry.date)
    return found


def expense_accounts(books: Books, date: datetime.date) -> list[str]:
    """The ``Expenses:`` accounts open on ``date``: where pool spend may be charged."""
    return sorted(account for account, (opened, closed) in accounts_opened(books).items()
                  if account.startswith(EXPENSES) and opened <= date
                  and (closed is None or date < closed))


def partner_choices(books: Books) -> list[tuple[str, str]]:
    """(code, name) of every partner of the agreements, in their order."""
    return [(code, books.terms.name_of(code)) for code in books.terms.partners]


def refs_in(books: Books) -> dict[str, Source]:
    """Every ``ref:`` in the ledger and where it stands."""
    return {str(e.meta["ref"]): Source.of(e.meta) for e in books.entries
            if e.meta and e.meta.get("ref") is not None}


def reversals_in(books: Books) -> dict[str, Source]:
    """The ref each reversal in the ledger reverses, and where the reversal stands."""
    return {str(e.meta[REVERSES]): Source.of(e.meta) for e in books.entries
            if type(e) is data.Transaction and e.meta and e.meta.get(REVERSES) is not None}


def reversible(books: Books) -> list[tuple[str, data.Transaction]]:
    """(ref, entry) of each transaction a reversal could take back: it has a ref, is not
    reversed yet and stands after the last sealed year-end; the latest first."""
    reversed_refs = reversals_in(books)
    last_seal = max((y.date for y in books.terms.year_ends), default=datetime.date.min)
    found = [(str(e.meta["ref"]), e) for e in books.entries
             if type(e) is data.Transaction and e.meta and e.meta.get("ref") is not None
             and e.date > last_seal and str(e.meta["ref"]) not in reversed_refs]
    return list(reversed(found))


# ---- The entries, in the ledger's style -----------------------------------------------------

def posting(account: str, amount: Decimal) -> str:
    number = decimal_string(amount)
    width = max(AMOUNT_COLUMN - 2 - len(account), len(number) + 2)
    return f"  {account}{number:>{width}} {CURRENCY}"


def contribution(books: Books, partner: str, amount: Decimal, date: datetime.date,
                 ref: str | None = None, narration: str | None = None) -> NewEntry:
    """A partner's contribution into the pool (cl. 8.2, 8.6); a negative amount is money
    paid back to the partner, recorded only with a narration saying why (and a
    ``roll-forward`` breach: cl. 8.2, 12 return money to a partner only as a withdrawal)."""
    code = _partner(books, partner)
    if amount < 0 and narration is None:
        raise Refused(f"--amount: {decimal_string(amount)} is negative: money paid back to "
                      f"{code} is recorded only with --narration saying why (and it breaches "
                      "cl. 8.2 unless it is a withdrawal); to undo a contribution entered by "
                      "mistake, use kcst record reverse --ref")
    income = f"{CONTRIBUTIONS}{code}"
    _check_open(books, income, date, "--partner")
    pool = _pool(books, date)
    payee = books.terms.name_of(code)
    title = narration if narration is not None else f"Contribution {fy_of(date)} (cl. 8.2)"
    lines = [f'{date} * {quoted(payee, "--partner")} {quoted(title, "--narration")}']
    lines += _ref_lines(books, ref)
    lines += [posting(pool, amount), posting(income, -amount)]
    return NewEntry(date, "\n".join(lines) + "\n", ref, "contribution",
                    Likeness("contribution", date, amount, code, payee.casefold()))


def spend(books: Books, account: str, amount: Decimal, date: datetime.date, payee: str,
          narration: str | None = None, decision: str | None = None,
          ref: str | None = None, project: str | None = None,
          no_project: bool = False) -> NewEntry:
    """Pool spend on an expense account (cl. 8.3-8.6; cl. 10.3 when it needs approval); a
    negative amount (a recovery, a credit note from the payee) only with a narration.

    Spend on an ``Expenses:Projects`` account names the project it pays for (spec section
    8): without ``project`` it is refused, naming the projects (a forgotten ``--project``
    is a slip to catch before it is written, not a fact to record), unless ``no_project``
    says that no project the SMT agreed covers it: then it is recorded, a ``project-link``
    breach (refused with ``--strict``)."""
    _check_expense_account(books, account, date)
    cited = _project_cited(books, account, date, project, no_project)
    if amount < 0 and narration is None:
        raise Refused(f"--amount: {decimal_string(amount)} is negative: a recovery or a credit "
                      "note from the payee is recorded only with --narration saying why, e.g. "
                      "--narration 'Credit note CN-0042: desk returned'; to undo a spend entered "
                      "by mistake, use kcst record reverse --ref")
    if decision is not None and books.terms.decision(decision) is None:
        known = [d.id for d in books.terms.decisions]
        raise Refused(f"--decision: {decision!r} is no decision in the ledger"
                      f"{did_you_mean(decision, known)} (decisions: {listed(known[::-1])}); "
                      "record the SMT's decision first (kcst record decision)")
    pool = _pool(books, date)
    title = narration if narration is not None else _default_narration(books, account, date,
                                                                         cited)
    lines = [f'{date} * {quoted(payee, "--payee")} {quoted(title, "--narration")}']
    lines += _ref_lines(books, ref)
    if decision is not None:
        lines.append(f"  decision: {quoted(decision, '--decision')}")
    if cited is not None:
        lines.append(f"  project: {quoted(cited.id, '--project')}")
    lines += [posting(account, amount), posting(pool, -amount)]
    return NewEntry(date, "\n".join(lines) + "\n", ref, "spend",
                    Likeness("spend", date, amount, account, payee.strip().casefold()))


def meeting(books: Books, date: datetime.date, attendance: str, budget_reviewed: bool = False,
            performance_report: bool = False) -> NewEntry:
    """An SMT meeting and who attended (cl. 4.1, 8.1, 13.1)."""
    agreement = _agreement(books, date)
    pairs = parse_attendance(attendance, agreement.partners)
    lines = [f'{date} custom "kcst-meeting" "SMT"']
    lines += [f'  {code.lower()}: "{value}"' for code, value in pairs]
    if budget_reviewed:
        lines.append("  budget-reviewed: TRUE")
    if performance_report:
        lines.append("  performance-report: TRUE")
    return NewEntry(date, "\n".join(lines) + "\n", None, "meeting",
                    Likeness("meeting", date, None, None, None))


def decision(books: Books, date: datetime.date, decision_id: str, text: str,
             limit: Decimal | None = None) -> NewEntry:
    """A decision of the SMT, taken at the meeting of the same date (cl. 4.1, 10.3)."""
    if not _ID.match(decision_id):
        raise Refused(f"--id: {decision_id!r} is not an id like D-2020-05-1 (letters, digits, "
                      "and - . / _ only)")
    existing = books.terms.decision(decision_id)
    if existing is not None:
        raise Refused(f"--id: decision {decision_id} is already recorded at {existing.source}")
    lines = [f'{date} custom "kcst-decision" {quoted(decision_id, "--id")} {quoted(text, "--text")}']
    if limit is not None:
        lines.append(f"  limit: {decimal_string(limit)} {CURRENCY}")
    return NewEntry(date, "\n".join(lines) + "\n", None, "decision")


def notice(books: Books, partner: str, date: datetime.date, effective: datetime.date,
           to_smt: bool = False, to_kcsp_chair: bool = False,
           today: datetime.date | None = None) -> NewEntry:
    """A partner's written notice of withdrawal (cl. 12.1). It may take effect in the
    future, but not after the end of the term plus the notice period (spec 7)."""
    code = _partner(books, partner)
    if effective < date:
        raise Refused(f"--effective: {effective} is before the notice was given ({date})")
    agreement = _agreement(books, date)
    latest = add_months(agreement.end, agreement.notice_months)
    if effective > (today or asof.today()) and effective > latest:
        raise Refused(f"--effective: {effective} is after {latest}, the end of {agreement.name} "
                      f"({long_date(agreement.end)}) plus its notice period of "
                      f"{plural(agreement.notice_months, 'month')}: check the year")
    lines = [f'{date} custom "kcst-withdrawal-notice" "{code}" {effective}']
    if to_smt:
        lines.append("  to-smt: TRUE")
    if to_kcsp_chair:
        lines.append("  to-kcsp-chair: TRUE")
    return NewEntry(date, "\n".join(lines) + "\n", None, "notice",
                    Likeness("notice", date, None, code, None))


def reverse(books: Books, ref: str, date: datetime.date, narration: str | None = None) -> NewEntry:
    """The exact opposite of the entry whose ``ref`` is ``ref``: every posting negated,
    ``reverses: "REF"`` in its metadata (spec 7). The two cancel: no rule judges them and
    no figure counts them. An entry is reversed once, and never one in a sealed period."""
    original = next((e for e in books.entries if type(e) is data.Transaction and e.meta
                     and e.meta.get("ref") is not None and str(e.meta["ref"]) == ref), None)
    if original is None:
        refs = [r for r, _ in reversible(books)]
        raise Refused(f"--ref: {ref!r} is no entry's ref in the ledger"
                      f"{did_you_mean(ref, refs_in(books))} (the latest entries that can be "
                      f"reversed: {listed(refs, 6)})")
    where = Source.of(original.meta)
    done = reversals_in(books).get(ref)
    if done is not None:
        raise Refused(f"--ref: {ref} ({where}) is already reversed at {done}; an entry is "
                      "reversed only once")
    sealing = books.terms.year_end(fy_of(original.date)) or sealed_by(books.terms, original.date)
    if sealing is not None:
        raise Refused(f"--ref: {ref} ({where}) is dated {original.date}, sealed by the year-end "
                      f"of {sealing.fy} ({sealing.source}): a sealed year is never changed, not "
                      "even by a reversal; correct it with a new entry in the current FY instead, "
                      "e.g. a spend with a negative --amount and --narration saying why")
    if date < original.date:
        raise Refused(f"--date: {date} is before the entry it reverses ({original.date}, {where})")
    legs = []
    for leg in original.postings:
        units = leg.units
        if units is None or units.number is None or units.currency != CURRENCY \
                or leg.cost is not None or leg.price is not None:
            raise Refused(f"--ref: the entry at {where} has a posting that is not plain "
                          f"{CURRENCY} ({leg.account}); reverse it in Fava's editor")
        legs.append(posting(leg.account, -units.number))
    title = narration if narration is not None else f"Reversal of {ref}: {original.narration}"
    head = f"{date} *"
    if original.payee:
        head += f" {quoted(original.payee, '--ref')}"
    lines = [f"{head} {quoted(title, '--narration')}", f"  {REVERSES}: {quoted(ref, '--ref')}",
             *legs]
    return NewEntry(date, "\n".join(lines) + "\n", None, "reverse")


def _agreement(books: Books, date: datetime.date) -> Agreement:
    """The agreement whose terms govern an entry dated ``date`` (``mou.governing``)."""
    agreement = governing(books.terms, date)
    if agreement is None:
        raise Refused("the ledger has no kcst-agreement: record its terms first")
    return agreement


def _pool(books: Books, date: datetime.date) -> str:
    return _agreement(books, date).pool


def _partner(books: Books, partner: str) -> str:
    """The partner's code as the agreement writes it, or a refusal with the closest."""
    code = partner.strip().upper()
    codes = books.terms.partners
    if code in codes:
        return code
    names = {books.terms.name_of(c): c for c in codes}
    named = closest(partner, names)
    guess = f"{names[named]} ({named})" if named is not None else closest(partner, codes)
    hint = f"; did you mean {guess}?" if guess is not None else ""
    raise Refused(f"--partner: {partner!r} is no partner of the agreement{hint} "
                  f"(partners: {', '.join(codes)})")


def _check_expense_account(books: Books, account: str, date: datetime.date) -> None:
    opened = accounts_opened(books)
    choices = expense_accounts(books, date)
    valid = f"the expense accounts open on {date}: {listed(choices)}"
    if account in opened and not account.startswith(EXPENSES):
        raise Refused(f"--account: {account!r} is not an {EXPENSES} account; pool spend is "
                      f"charged to an expense account ({valid})")
    if account not in opened:
        match = closest(account, choices) or closest(account, [a for a in opened
                                                               if a.startswith(EXPENSES)])
        hint = ""
        if match is not None:
            hint = f"; did you mean {match}?"
            if match.casefold() == account.strip().casefold():
                hint += " (account names are written with capitals, as in the books)"
        raise Refused(f"--account: account {account} is not opened in the ledger{hint} ({valid})")
    _check_open(books, account, date, "--account", opened)


def _check_open(books: Books, account: str, date: datetime.date, argument: str,
                opened: dict[str, tuple[datetime.date, datetime.date | None]] | None = None) -> None:
    found = (opened if opened is not None else accounts_opened(books)).get(account)
    if found is None:
        raise Refused(f"{argument}: account {account} is not opened in the ledger")
    start, closed = found
    if date < start:
        raise Refused(f"{argument}: account {account} opens on {start}, after {date}")
    if closed is not None and date >= closed:
        raise Refused(f"{argument}: account {account} was closed on {closed}")


def _ref_lines(books: Books, ref: str | None) -> list[str]:
    if ref is None:
        return []
    found = refs_in(books).get(ref)
    if found is not None:
        raise Refused(f"--ref: {ref!r} is already in the ledger at {found}; not recorded twice")
    return [f"  ref: {quoted(ref, '--ref')}"]


def _default_narration(books: Books, account: str, date: datetime.date,
                       project: Project | None = None) -> str:
    post = next((p for p in books.terms.posts if p.account == account), None)
    month = date.strftime("%B %Y")
    if project is not None:
        return f"{project.title}, {month}"
    return f"{post.title}, {month}" if post else f"{account.split(':')[-1]}, {month}"


# ---- Projects (spec section 8) ---------------------------------------------------------------

def _project_named(books: Books, typed: str, argument: str = "--project") -> Project:
    """The project whose id is ``typed`` (case ignored), or a refusal with the closest id
    or title and the projects the books hold."""
    projects = books.terms.projects
    found = books.terms.project(typed.strip()) or next(
        (p for p in projects if p.id.casefold() == typed.strip().casefold()), None)
    if found is not None:
        return found
    raise Refused(f"{argument}: {typed!r} is no project in the ledger"
                  f"{_closest_of(typed, [(p.id, p.title) for p in projects])} "
                  f"({_projects_listed(books)})")


def _closest_of(typed: str, choices: Sequence[tuple[str, str]]) -> str:
    """``; did you mean ID (TITLE)?`` for the (id, title) most like what was typed, by its
    id or else by its title (``Domestic abuse`` finds ``domestic-abuse``); else nothing."""
    match = closest(typed, [id_ for id_, _ in choices])
    if match is None:
        titled = closest(typed, [title for _, title in choices])
        match = next((id_ for id_, title in choices if title == titled), None)
    title = next((title for id_, title in choices if id_ == match), None)
    return f"; did you mean {match} ({title})?" if match is not None else ""


def _projects_listed(books: Books, date: datetime.date | None = None) -> str:
    """``projects: P-2019-01 (DHR ...), ...``, the latest first, or how to record one."""
    projects = [p for p in books.terms.projects if date is None or p.date <= date][::-1]
    if not projects:
        return "the books hold no project: record it first with kcst record project"
    return "projects: " + listed([f"{p.id} ({p.title})" for p in projects], 8)


def _project_cited(books: Books, account: str, date: datetime.date, project: str | None,
                   no_project: bool) -> Project | None:
    """The project a spend cites, or None; refuses a project account without one (unless
    ``no_project``), an unknown project, and ``--no-project`` where it means nothing."""
    if project is not None and no_project:
        raise Refused("--no-project: cannot be given with --project; name the project the "
                      "spend pays for, or say that none does")
    if project is not None:
        return _project_named(books, project)
    if not is_project_account(account):
        if no_project:
            raise Refused(f"--no-project: {account} is not an Expenses:Projects account: only "
                          "spend on project work names a project")
        return None
    if no_project:
        return None
    accounts = project_accounts(books.reading)
    using = [p for p in books.terms.projects if accounts.get(p.id) == account and p.date <= date]
    hint = ""
    if using:  # the latest project whose spend goes to this account
        hint = (f"; did you mean {using[-1].id} ({using[-1].title}), whose spend goes to this "
                "account?")
    raise Refused(f"--project: spend on {account} is project work and names the project it "
                  f"pays for (contract section 8: project-link){hint} "
                  f"({_projects_listed(books, date)}); if no project the SMT agreed covers "
                  "it, record it with --no-project: it stays on record as a project-link "
                  "breach")


def project(books: Books, date: datetime.date, project_id: str, title: str, budget: Decimal,
            priority: str, decision: str, ends: datetime.date | None = None) -> NewEntry:
    """Project work funded from the pool (cl. 6.4, 6.5, 8.2; spec section 8): its budget for
    its whole life, the CSA priority it serves, the SMT decision that approved it."""
    if not _ID.match(project_id):
        raise Refused(f"--id: {project_id!r} is not an id like P-2020-01 (letters, digits, "
                      "and - . / _ only)")
    existing = books.terms.project(project_id)
    if existing is not None:
        raise Refused(f"--id: project {project_id} is already recorded at {existing.source}")
    terms = books.terms
    if terms.priority(priority.strip()) is None:
        ids = [p.id for p in terms.priorities]
        choices = listed(ids) if ids else "none: write them as kcst-priority lines first"
        raise Refused(f"--priority: {priority!r} is no priority of the Community Safety "
                      f"Agreement in the ledger"
                      f"{_closest_of(priority, [(p.id, p.title) for p in terms.priorities])} "
                      f"(priorities: {choices})")
    if terms.decision(decision.strip()) is None:
        known = [d.id for d in terms.decisions]
        raise Refused(f"--decision: {decision!r} is no decision in the ledger"
                      f"{did_you_mean(decision, known)} (decisions: {listed(known[::-1])}); "
                      "record the SMT's decision approving the project first (kcst record "
                      "decision)")
    if ends is not None and ends < date:
        raise Refused(f"--ends: {ends} is before the project starts ({date})")
    lines = [f'{date} custom "kcst-project" {quoted(project_id, "--id")} '
             f'{quoted(title, "--title")} {decimal_string(budget)} {CURRENCY}',
             f"  priority: {quoted(priority.strip(), '--priority')}",
             f"  decision: {quoted(decision.strip(), '--decision')}"]
    if ends is not None:
        lines.append(f"  ends: {ends}")
    return NewEntry(date, "\n".join(lines) + "\n", None, "project")


def outcome(books: Books, date: datetime.date, project_id: str, text: str) -> NewEntry:
    """What a project delivered, reported on ``date`` (spec section 8)."""
    cited = _project_named(books, project_id)
    if date < cited.date:
        raise Refused(f"--date: {date} is before project {cited.id} starts ({cited.date}); "
                      "its outcome is recorded once the work is done")
    line = (f'{date} custom "kcst-outcome" {quoted(cited.id, "--project")} '
            f'{quoted(text, "--text")}')
    return NewEntry(date, line + "\n", None, "outcome")


# ---- Duplicates (spec 7) ----------------------------------------------------------------------

def likenesses(books: Books, date: datetime.date) -> Iterator[tuple[Likeness, Source]]:
    """The entries dated ``date`` as ``Likeness``: each contribution and spend posting of
    the pool's movements (a reversed entry is no movement), each meeting and notice."""
    for movement in books.movements_between(date, date):
        payee = movement.payee.strip().casefold()
        for leg in movement.entry.postings:
            if leg.units is None or leg.units.number is None:
                continue
            if leg.account.startswith(CONTRIBUTIONS):
                code = leg.account[len(CONTRIBUTIONS):].split(":")[0]
                yield (Likeness("contribution", date, -leg.units.number, code, payee),
                       movement.source)
            elif leg.account.startswith(EXPENSES):
                yield Likeness("spend", date, leg.units.number, leg.account, payee), movement.source
    for held in books.terms.meetings:
        if held.date == date:
            yield Likeness("meeting", date, None, None, None), held.source
    for given in books.terms.notices:
        if given.date == date:
            yield Likeness("notice", date, None, given.partner, None), given.source


def refuse_duplicates(books: Books, entries: Sequence[NewEntry]) -> None:
    """Refuse an entry that repeats one in the ledger, naming where that one stands."""
    for entry in entries:
        if entry.likeness is None:
            continue
        same = next((source for likeness, source in likenesses(books, entry.date)
                     if likeness == entry.likeness), None)
        if same is not None:
            raise Refused(f"{_arguments_of(entry.likeness)}: {_described(entry.likeness, books)} "
                          f"is already in the ledger at {same}; it looks like the same entry "
                          f"twice, so it was not recorded: if it really is a second "
                          f"{entry.likeness.kind}, record it again with --allow-duplicate")


def _arguments_of(likeness: Likeness) -> str:
    return {"contribution": "--partner, --amount, --date",
            "spend": "--account, --amount, --date, --payee",
            "meeting": "--date", "notice": "--partner, --date"}[likeness.kind]


def _described(likeness: Likeness, books: Books) -> str:
    if likeness.kind == "contribution":
        return f"a contribution of {gbp(likeness.amount or Decimal(0))} from {likeness.target} " \
               f"on {likeness.date}"
    if likeness.kind == "spend":
        return f"a spend of {gbp(likeness.amount or Decimal(0))} on {likeness.target} to the " \
               f"same payee on {likeness.date}"
    if likeness.kind == "meeting":
        return f"a meeting of the SMT on {likeness.date}"
    return f"a notice of withdrawal by {likeness.target} given on {likeness.date}"


# ---- What was typed: one entry of a kind, by the command's option names ----------------------

@dataclass(frozen=True)
class DecisionTyped:
    """A decision taken at a meeting, as typed in the meeting's form."""

    id: str
    text: str | None = None
    limit: str | None = None


@dataclass(frozen=True)
class Typed:
    """What a person typed for one entry, by the command's option names (``--amount`` is
    ``amount``); the browser's form fields carry the same names. None: not given."""

    date: str | None = None
    partner: str | None = None
    amount: str | None = None
    account: str | None = None
    payee: str | None = None
    narration: str | None = None
    decision: str | None = None
    ref: str | None = None
    id: str | None = None
    text: str | None = None
    limit: str | None = None
    effective: str | None = None
    attendance: str | None = None
    to_smt: bool = False
    to_kcsp_chair: bool = False
    budget_reviewed: bool = False
    performance_report: bool = False
    #: decisions taken at the meeting, written with it in one go (the browser's form)
    decisions: tuple[DecisionTyped, ...] = ()
    allow_duplicate: bool = False
    #: spend: the project it pays for, or that no project does (spec section 8)
    project: str | None = None
    no_project: bool = False
    #: a project: its title, budget, priority and last day (its id is ``id``)
    title: str | None = None
    budget: str | None = None
    priority: str | None = None
    ends: str | None = None


Build = Callable[[Books], Sequence[NewEntry]]


def prepare(kind: str, typed: Typed, today: datetime.date | None = None) -> Build:
    """Read what was typed for an entry of ``kind`` (refusing what cannot be read, before
    the books are loaded) and return what builds the entries from the books."""
    today = today or asof.today()
    if kind not in KINDS:
        raise Refused(f"kind: {kind!r} is not one of {', '.join(KINDS)}"
                      f"{did_you_mean(kind, KINDS, aside=True)}")
    date = parse_date(_given(typed.date, "--date"))
    not_in_future(date, "--date", today)

    def checked(make: Callable[[Books], Sequence[NewEntry]]) -> Build:
        def build(books: Books) -> Sequence[NewEntry]:
            made = make(books)
            if not typed.allow_duplicate:
                refuse_duplicates(books, made)
            return made
        return build

    if kind == "contribution":
        partner = _given(typed.partner, "--partner")
        amount = _signed_amount(typed, "money paid back to the partner")
        return checked(lambda books: [contribution(books, partner, amount, date, typed.ref,
                                                   typed.narration)])
    if kind == "spend":
        account = _given(typed.account, "--account")
        amount = _signed_amount(typed, "a recovery or a credit note from the payee")
        payee = _given(typed.payee, "--payee")
        return checked(lambda books: [spend(books, account, amount, date, payee, typed.narration,
                                            typed.decision, typed.ref, typed.project,
                                            typed.no_project)])
    if kind == "meeting":
        attendance = _given(typed.attendance, "--attendance")
        taken = _decisions_typed(typed.decisions)

        def held(books: Books) -> list[NewEntry]:
            made = [meeting(books, date, attendance, typed.budget_reviewed,
                            typed.performance_report)]
            return made + [decision(books, date, d_id, text, limit) for d_id, text, limit in taken]
        return checked(held)
    if kind == "decision":
        decision_id = _given(typed.id, "--id")
        text = _given(typed.text, "--text")
        limit = None if typed.limit is None else parse_amount(typed.limit, "--limit")
        return checked(lambda books: [decision(books, date, decision_id, text, limit)])
    if kind == "notice":
        partner = _given(typed.partner, "--partner")
        effective = parse_date(_given(typed.effective, "--effective"), "--effective")
        return checked(lambda books: [notice(books, partner, date, effective, typed.to_smt,
                                             typed.to_kcsp_chair, today)])
    if kind == "project":
        project_id = _given(typed.id, "--id").strip()
        title = _given(typed.title, "--title")
        budget = parse_amount(_given(typed.budget, "--budget"), "--budget")
        priority = _given(typed.priority, "--priority")
        approving = _given(typed.decision, "--decision")
        ends = None if typed.ends is None else parse_date(typed.ends, "--ends")
        return checked(lambda books: [project(books, date, project_id, title, budget, priority,
                                              approving, ends)])
    if kind == "outcome":
        cited = _given(typed.project, "--project")
        text = _given(typed.text, "--text")
        return checked(lambda books: [outcome(books, date, cited, text)])
    ref = _given(typed.ref, "--ref")
    return checked(lambda books: [reverse(books, ref, date, typed.narration)])


def _signed_amount(typed: Typed, what: str) -> Decimal:
    """``--amount``, which may be negative only with a ``--narration`` saying why (spec 7)."""
    text = _given(typed.amount, "--amount")
    amount = parse_amount(text, signed=True)
    if amount < 0 and (typed.narration is None or not typed.narration.strip()):
        raise Refused(f"--amount: {text!r} is negative: {what} is recorded only with "
                      "--narration saying why; to take back an entry made by mistake, use "
                      "kcst record reverse --ref")
    return amount


def _given(value: str | None, argument: str) -> str:
    if value is None:
        raise Refused(f"{argument}: is missing")
    if not value.strip():
        raise Refused(f"{argument}: is empty")
    return value


def _decisions_typed(decisions: Sequence[DecisionTyped]
                     ) -> list[tuple[str, str, Decimal | None]]:
    """The decisions taken at a meeting: each with an id and a text, no id twice."""
    taken: list[tuple[str, str, Decimal | None]] = []
    for number, typed in enumerate(decisions, start=1):
        decision_id = _given(typed.id, f"--id (decision {number})").strip()
        text = _given(typed.text, f"--text (decision {decision_id})")
        limit = None if typed.limit is None else parse_amount(typed.limit,
                                                              f"--limit (decision {decision_id})")
        if any(decision_id == other for other, _, _ in taken):
            raise Refused(f"--id: decision {decision_id} is given twice")
        taken.append((decision_id, text, limit))
    return taken


def record(main: Path, kind: str, typed: Typed, *, strict: bool = False,
           dry_run: bool = False) -> Written:
    """What ``kcst record KIND`` and the dashboard's forms run: read what was typed, then
    build, check and write the entries (``write_entries``)."""
    return write_entries(main, prepare(kind, typed), strict=strict, dry_run=dry_run)


# ---- Writing ---------------------------------------------------------------------------------

def write_entries(main: Path, build: Callable[[Books], Sequence[NewEntry]], *,
                  strict: bool = False, dry_run: bool = False) -> Written:
    """Append the entries ``build`` makes from the current books, each to its FY's file.

    Everything happens under the ledger's lock: read, build, refuse closed FYs and dates
    in the future, trial-load the whole resulting ledger, judge it before and after,
    re-check and write.
    """
    main = main.resolve()
    with locked(main.parent):
        books = load_books(main)
        if books.errors:
            first = books.errors[0]
            raise Refused(f"--ledger: the ledger has {len(books.errors)} error(s) of its own, "
                          f"the first at {Source.of(first.source)}: {first.message}; fix it first")
        entries = tuple(build(books))
        if not entries:
            return Written((), (), (), dry_run)
        today = asof.today()
        for entry in entries:
            not_in_future(entry.date, "--date", today)
        _refuse_closed(books, entries)
        changes = _changes(main, books, entries)
        trial = trial_load(main, {path: text for path, (_, text) in changes.items()})
        if trial.errors:
            first = trial.errors[0]
            where = _real_source(Source.of(first.source), trial, main)
            raise Refused(f"the entry would make the ledger invalid: {where}: {first.message}")
        new_findings = _new_findings(books, trial, main)
        breaches = [f for f in new_findings if f.severity == "breach"]
        if strict and breaches:
            raise Refused("--strict: the entry breaches the MoU: "
                          + "; ".join(f"{f.line()}" for f in breaches))
        if not dry_run:
            _write(changes)
    files = tuple(sorted(changes, key=lambda path: path == main))
    return Written(entries, files, new_findings, dry_run)


def _refuse_closed(books: Books, entries: Iterable[NewEntry]) -> None:
    for entry in entries:
        fy = fy_of(entry.date)
        closed = books.terms.year_end(fy)
        if closed is not None:
            raise Refused(f"--date: {entry.date} is in {fy}, which is closed ({closed.source}); "
                          f"a closed FY is never changed: record a correction in the current FY")
        sealing = sealed_by(books.terms, entry.date)
        if sealing is not None:
            raise Refused(f"--date: {entry.date} is sealed by the year-end of {sealing.fy} "
                          f"({sealing.source}), whose digest covers every entry dated on or "
                          f"before {sealing.date}: record a correction in the current FY")


def sealed_by(terms: Terms, date: datetime.date) -> YearEnd | None:
    """The latest ``kcst-year-end`` dated on or after ``date``: its digest seals every entry
    dated on or before it (cl. 8.2), so even an FY never closed itself (one before the
    term, say) cannot take a new entry once a later FY is closed."""
    return max((y for y in terms.year_ends if y.date >= date), key=lambda y: y.date,
               default=None)


def fy_file(main: Path, fy: FinancialYear) -> Path:
    """The file of an FY, beside the main file: ``ledger/2020-21.beancount``."""
    return main.parent / f"{fy.slug}.beancount"


def _changes(main: Path, books: Books,
             entries: Sequence[NewEntry]) -> dict[Path, tuple[Snapshot, str]]:
    included = {Path(name).resolve() for name in books.options.get("include", [])}
    by_file: dict[Path, list[NewEntry]] = {}
    for entry in entries:
        by_file.setdefault(fy_file(main, fy_of(entry.date)), []).append(entry)
    changes: dict[Path, tuple[Snapshot, str]] = {}
    new_includes: list[Path] = []
    for path, items in by_file.items():
        snapshot = Snapshot.read(path)
        outside = path.resolve() not in included and path != main
        if outside and snapshot.text is not None and _holds_entries(snapshot.text):
            raise Refused(f"{path} holds entries but {main.name} does not include it (a "
                          f"write interrupted before kcst existed, or a file put there by "
                          f'hand): check it, then add include "{path.name}" to {main.name} '
                          "or move the file away")
        current = snapshot.text if snapshot.text is not None else fy_header(fy_of(items[0].date))
        changes[path] = (snapshot, _appended(current, [e.text for e in items]))
        if outside:
            new_includes.append(path)
    if new_includes:
        snapshot = changes[main][0] if main in changes else Snapshot.read(main)
        text = changes[main][1] if main in changes else (snapshot.text or "")
        lines = "".join(f'include "{path.name}"\n' for path in sorted(new_includes))
        changes[main] = (snapshot, _appended(text, [lines], blank=False))
    return changes


def fy_header(fy: FinancialYear) -> str:
    """The first line of an FY's file created by ``kcst record`` or ``kcst import``."""
    return f"; FY {fy}: entries recorded with kcst record and kcst import.\n"


def _holds_entries(text: str) -> bool:
    """Whether a file holds anything but comments and blank lines."""
    return any(line.strip() and not line.lstrip().startswith(";") for line in text.splitlines())


def _write(changes: dict[Path, tuple[Snapshot, str]]) -> None:
    """Write the changes; a new FY file is first written holding only its header and
    included from the main file, then filled. A writer killed in between leaves the ledger
    valid and the new file empty of entries, never entries in a file nothing includes
    (which the next write would otherwise have to guess about)."""
    created = {path: snapshot for path, (snapshot, _) in changes.items() if snapshot.text is None}
    if not created:
        apply(changes)
        return
    apply({path: (snapshot, fy_header(parse_fy(path.stem))) for path, snapshot in created.items()}
          | {path: change for path, change in changes.items() if path not in created})
    apply({path: (Snapshot.read(path), changes[path][1]) for path in created})


def _appended(current: str, texts: Sequence[str], blank: bool = True) -> str:
    """``current`` with each text appended (a blank line between entries)."""
    out = current
    for text in texts:
        if out and not out.endswith("\n"):
            out += "\n"
        if blank and out and not out.endswith("\n\n"):
            out += "\n"
        out += text
    return out


def _real_source(source: Source, trial: Books, main: Path) -> Source:
    """A trial copy's file:line, as it will stand in the real ledger folder."""
    if trial.path is None:
        return source
    copy = str(Path(trial.path).parent)
    if source.filename.startswith(copy):
        return Source(str(main.parent) + source.filename[len(copy):], source.lineno)
    return source


def _new_findings(before: Books, after: Books, main: Path) -> tuple[Finding, ...]:
    """Findings of the ledger with the entries that it did not have without them, counted
    by rule, entry (file and line) and severity, never by message text (spec 7): a second
    breach worded like the first is new, and a warning whose figures the entry changed
    (a contribution still short of the minimum) is not."""
    old = judgement_of(before)
    new = judgement_of(after, old.as_of)
    copy = str(Path(after.path).parent) if after.path else None

    def real(finding: Finding) -> Finding:
        message = finding.message.replace(copy, str(main.parent)) if copy else finding.message
        return Finding(finding.date, finding.rule, finding.clause, finding.severity, message,
                       _real_source(finding.source, after, main))

    def key(finding: Finding) -> tuple[str, str, Source]:
        return finding.rule, finding.severity, finding.source

    counted = Counter(key(f) for f in old.findings)
    worded = Counter((key(f), f.message) for f in old.findings)
    found = [real(f) for f in new.findings]
    # Of the findings of one key, those worded as before are the old ones; the rest, as
    # many as the key has more than before, are new.
    extra = Counter(key(f) for f in found)
    extra.subtract(counted)
    fresh: list[Finding] = []
    for finding in found:
        if worded[key(finding), finding.message] > 0:
            worded[key(finding), finding.message] -= 1
            continue
        if extra[key(finding)] > 0:
            extra[key(finding)] -= 1
            fresh.append(finding)
    return tuple(fresh)
