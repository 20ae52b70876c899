"""The finance officer's entries: contributions, spend, meetings, decisions and notices,
written into the ledger in its own style without writing Beancount by hand (spec 6).

What ``kcst record contribution --partner KP --amount 16000.00 --date 2020-04-18`` adds to
``ledger/2020-21.beancount``::

    2020-04-18 * "Kent Police" "Contribution 2020/21 (cl. 8.2)"
      Assets:KFRS:KCST-Pool                     16000.00 GBP
      Income:Contributions:KP                  -16000.00 GBP

The guarantee: nothing entered is lost or silently wrong. Under the ledger's lock the
books are read, the entry is built and checked against them (partner, account, decision,
ref, closed FY), the WHOLE resulting ledger is loaded with the real loader on a trial
copy (Beancount and the terms parser), every file is re-checked unchanged since it was
read, and only then written atomically (``kcst_budget.ledgerio``). A refusal raises
``Refused`` naming the argument and leaves every file byte-for-byte as it was.

A breach of the MoU is still recorded (the record is a fact) and reported among the new
findings; ``strict=True`` refuses it instead.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from beancount.core import data

from kcst_budget.amounts import CURRENCY, LARGEST, PENNY, decimal_string
from kcst_budget.books import CONTRIBUTIONS, EXPENSES, Books, load_books
from kcst_budget.findings import Finding
from kcst_budget.ledgerio import Snapshot, apply, locked, trial_load
from kcst_budget.mou import governing
from kcst_budget.periods import FinancialYear, fy_of, parse_fy
from kcst_budget.rules import judgement_of
from kcst_budget.source import Source
from kcst_budget.terms import ATTENDANCE, Agreement, Terms, YearEnd

#: The column at which amounts end in a posting line, as in the bundled ledger.
AMOUNT_COLUMN = 52


class Refused(Exception):
    """The entry cannot be recorded; the message names the argument. Nothing was written."""


@dataclass(frozen=True)
class NewEntry:
    """One entry to append: its date (which picks its FY file), its text, its ``ref``."""

    date: datetime.date
    text: str  # ends with a newline
    ref: str | None = None


@dataclass(frozen=True)
class Written:
    """What a write added (or, on a dry run, would add)."""

    entries: tuple[NewEntry, ...]
    files: tuple[Path, ...]  # every file written (or to be written), the main file last
    new_findings: tuple[Finding, ...]  # findings the entries brought, sources in the real files
    dry_run: bool = False

    @property
    def new_breaches(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.new_findings if f.severity == "breach")


# ---- Arguments, as typed by the finance officer -------------------------------------------

_AMOUNT = re.compile(r"^(?:£\s*)?(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)"
                     r"(?:\s+(?P<currency>[A-Za-z]{3}))?$")


def parse_amount(text: str, argument: str = "--amount") -> Decimal:
    """A positive GBP amount with at most two decimals: ``16000.00``, ``16,000``, ``£75.5``,
    ``3750.00 GBP``. Anything else is refused naming ``argument``."""
    stripped = text.strip()
    if re.match(r"^-|^\(", stripped) or stripped in {"0", "0.0", "0.00"}:
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
    if amount <= 0:
        raise Refused(f"{argument}: {text!r} is not positive")
    return amount.quantize(PENNY)


def parse_date(text: str, argument: str = "--date") -> datetime.date:
    """A real calendar date written YYYY-MM-DD."""
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
        raise Refused(f"{argument}: {text!r} is not a date like 2020-04-18 (YYYY-MM-DD)")
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError as problem:
        raise Refused(f"{argument}: {text!r} is not a real date ({problem})") from None


def parse_attendance(text: str, partners: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``kcc=present,kfrs=present,kp=deputy`` -> (("KCC", "present"), ...), each key a partner
    of the agreement and each value one of present, deputy, apologies, absent (cl. 4.1)."""
    pairs: dict[str, str] = {}
    for item in text.split(","):
        if not item.strip():
            continue
        key, equals, value = item.partition("=")
        key, value = key.strip(), value.strip().lower()
        if not equals or not key:
            raise Refused(f"--attendance: {item.strip()!r} is not partner=value, e.g. kp=deputy")
        code = key.upper()
        if code not in partners:
            raise Refused(f"--attendance: {key!r} is no partner of the agreement "
                          f"(partners: {', '.join(p.lower() for p in partners)})")
        if value not in ATTENDANCE:
            raise Refused(f"--attendance: {key}={value!r} is not one of {', '.join(ATTENDANCE)}")
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


# ---- The entries, in the ledger's style -----------------------------------------------------

def posting(account: str, amount: Decimal) -> str:
    number = decimal_string(amount)
    width = max(AMOUNT_COLUMN - 2 - len(account), len(number) + 2)
    return f"  {account}{number:>{width}} {CURRENCY}"


def contribution(books: Books, partner: str, amount: Decimal, date: datetime.date,
                 ref: str | None = None) -> NewEntry:
    """A partner's contribution into the pool (cl. 8.2, 8.6)."""
    code = partner.strip().upper()
    if code not in books.terms.partners:
        raise Refused(f"--partner: {partner!r} is no partner of the agreement "
                      f"(partners: {', '.join(books.terms.partners)})")
    income = f"{CONTRIBUTIONS}{code}"
    _check_open(books, income, date, "--partner")
    pool = _pool(books, date)
    lines = [f'{date} * {quoted(books.terms.name_of(code), "--partner")} '
             f'"Contribution {fy_of(date)} (cl. 8.2)"']
    lines += _ref_lines(books, ref)
    lines += [posting(pool, amount), posting(income, -amount)]
    return NewEntry(date, "\n".join(lines) + "\n", ref)


def spend(books: Books, account: str, amount: Decimal, date: datetime.date, payee: str,
          narration: str | None = None, decision: str | None = None,
          ref: str | None = None) -> NewEntry:
    """Pool spend on an expense account (cl. 8.3-8.6; cl. 10.3 when it needs approval)."""
    if not account.startswith(EXPENSES):
        raise Refused(f"--account: {account!r} is not an {EXPENSES} account; pool spend is "
                      f"charged to an expense account such as Expenses:Staff:Coordinator")
    _check_open(books, account, date, "--account")
    if decision is not None and books.terms.decision(decision) is None:
        known = ", ".join(d.id for d in books.terms.decisions) or "none recorded"
        raise Refused(f"--decision: {decision!r} is no decision in the ledger (decisions: {known})")
    pool = _pool(books, date)
    title = narration if narration is not None else _default_narration(books, account, date)
    lines = [f'{date} * {quoted(payee, "--payee")} {quoted(title, "--narration")}']
    lines += _ref_lines(books, ref)
    if decision is not None:
        lines.append(f"  decision: {quoted(decision, '--decision')}")
    lines += [posting(account, amount), posting(pool, -amount)]
    return NewEntry(date, "\n".join(lines) + "\n", ref)


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
    return NewEntry(date, "\n".join(lines) + "\n")


def decision(books: Books, date: datetime.date, decision_id: str, text: str,
             limit: Decimal | None = None) -> NewEntry:
    """A decision of the SMT, taken at the meeting of the same date (cl. 4.1, 10.3)."""
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$", decision_id):
        raise Refused(f"--id: {decision_id!r} is not an id like D-2020-05-1")
    existing = books.terms.decision(decision_id)
    if existing is not None:
        raise Refused(f"--id: decision {decision_id} is already recorded at {existing.source}")
    lines = [f'{date} custom "kcst-decision" {quoted(decision_id, "--id")} {quoted(text, "--text")}']
    if limit is not None:
        lines.append(f"  limit: {decimal_string(limit)} {CURRENCY}")
    return NewEntry(date, "\n".join(lines) + "\n")


def notice(books: Books, partner: str, date: datetime.date, effective: datetime.date,
           to_smt: bool = False, to_kcsp_chair: bool = False) -> NewEntry:
    """A partner's written notice of withdrawal (cl. 12.1)."""
    code = partner.strip().upper()
    if code not in books.terms.partners:
        raise Refused(f"--partner: {partner!r} is no partner of the agreement "
                      f"(partners: {', '.join(books.terms.partners)})")
    if effective < date:
        raise Refused(f"--effective: {effective} is before the notice was given ({date})")
    lines = [f'{date} custom "kcst-withdrawal-notice" "{code}" {effective}']
    if to_smt:
        lines.append("  to-smt: TRUE")
    if to_kcsp_chair:
        lines.append("  to-kcsp-chair: TRUE")
    return NewEntry(date, "\n".join(lines) + "\n")


def _agreement(books: Books, date: datetime.date) -> Agreement:
    """The agreement whose terms govern an entry dated ``date`` (``mou.governing``)."""
    agreement = governing(books.terms, date)
    if agreement is None:
        raise Refused("the ledger has no kcst-agreement: record its terms first")
    return agreement


def _pool(books: Books, date: datetime.date) -> str:
    return _agreement(books, date).pool


def _check_open(books: Books, account: str, date: datetime.date, argument: str) -> None:
    opened = closed = None
    for entry in books.entries:
        if isinstance(entry, data.Open) and entry.account == account:
            opened = entry.date
        elif isinstance(entry, data.Close) and entry.account == account:
            closed = entry.date
    if opened is None:
        raise Refused(f"{argument}: account {account} is not opened in the ledger")
    if date < opened:
        raise Refused(f"{argument}: account {account} opens on {opened}, after {date}")
    if closed is not None and date >= closed:
        raise Refused(f"{argument}: account {account} was closed on {closed}")


def _ref_lines(books: Books, ref: str | None) -> list[str]:
    if ref is None:
        return []
    found = refs_in(books).get(ref)
    if found is not None:
        raise Refused(f"--ref: {ref!r} is already in the ledger at {found}; not recorded twice")
    return [f"  ref: {quoted(ref, '--ref')}"]


def refs_in(books: Books) -> dict[str, Source]:
    """Every ``ref:`` in the ledger and where it stands."""
    return {str(e.meta["ref"]): Source.of(e.meta) for e in books.entries
            if e.meta and e.meta.get("ref") is not None}


def _default_narration(books: Books, account: str, date: datetime.date) -> str:
    post = next((p for p in books.terms.posts if p.account == account), None)
    month = date.strftime("%B %Y")
    return f"{post.title}, {month}" if post else f"{account.split(':')[-1]}, {month}"


# ---- Writing ---------------------------------------------------------------------------------

def write_entries(main: Path, build: Callable[[Books], Sequence[NewEntry]], *,
                  strict: bool = False, dry_run: bool = False) -> Written:
    """Append the entries ``build`` makes from the current books, each to its FY's file.

    Everything happens under the ledger's lock: read, build, refuse closed FYs, trial-load
    the whole resulting ledger, judge it before and after, re-check and write.
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
                          + "; ".join(f"{f.label} {f.message}" for f in breaches))
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
    """Findings of the ledger with the entries that it did not have without them."""
    old = judgement_of(before)
    new = judgement_of(after, old.as_of)

    copy = str(Path(after.path).parent) if after.path else None

    def real(message: str) -> str:
        return message.replace(copy, str(main.parent)) if copy else message

    def key(finding: Finding) -> tuple[object, ...]:
        return (finding.rule, finding.severity, finding.date, real(finding.message))

    seen = {key(f) for f in old.findings}
    return tuple(
        Finding(f.date, f.rule, f.clause, f.severity, real(f.message),
                _real_source(f.source, after, main))
        for f in new.findings if key(f) not in seen)
