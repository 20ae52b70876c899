"""The host's finance-system export, imported into the pool's books (beangulp importer).

KFRS's general ledger exports the pool's cost centres as CSV, one line per transaction::

    Transaction Date,Cost Centre,Subjective,Description,Supplier/Customer,Amount,Transaction Ref
    24/04/2020,KC4413,0101,Salary and on-costs KCST Coordinator Apr 2020,KFRS Payroll,"3,750.00",PY2004-KC4413
    06/04/2020,KC4410,9403,KP contribution 2020/21,Kent Police,"(8,000.00)",AR200406-0117

Dates are dd/mm/yyyy. Amounts follow the finance system's sign: a debit (money out of
the pool: spend) is positive, a credit (money in: a contribution, or a credit note) is
negative, written ``-8,000.00`` or ``(8,000.00)``, with thousands separators.

``ledger/import-map.csv`` says what each (cost centre, subjective code) is, never guessed::

    cost_centre,subjective,kind,target,note
    KC4413,0101,spend,Expenses:Staff:Coordinator,KFRS payroll: coordinator (cl. 8.5)
    KC4410,9403,contribution,KP,Kent Police contribution (cl. 8.2)

A sixth column, ``project``, is optional (a mapping file of five columns reads as
before): a spend line whose rows pay for project work names the project (contract section
8), and its rows carry ``project:``; spend on an ``Expenses:Projects`` account must name
one, or ``none`` when no project the SMT agreed covers it (its rows are then a
``project-link`` breach)::

    cost_centre,subjective,kind,target,note,project
    KC4414,5101,spend,Expenses:Projects:DHRSeminars,DHR lessons-learnt seminars,P-2019-01

Each row becomes a transaction between its mapped account and the pool, carrying the
transaction reference as ``ref:`` metadata. A row whose ref is already in the ledger has
been imported before and is skipped, so importing the same file twice adds nothing. A
row that cannot be mapped or read stops the import, listed with its CSV line number.

The export is read as UTF-8 (with or without a byte-order mark) or, failing that, as
Windows-1252 (cp1252), the encodings finance systems export; ``kcst import`` says which.
Anything else (UTF-16, binary) is refused naming the file. Each cell is one line of plain
text: a tab, a NUL, a line or paragraph separator or a line break inside a cell is refused
with its line, and a row's line is the line it starts on in the file, whatever came before.

The same class serves ``kcst import`` and Fava's import page (``import-config``).
"""

from __future__ import annotations

import csv
import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import beangulp
from beangulp.extract import DUPLICATE
from beancount.core import data
from beancount.parser import parser

from kcst_budget import asof
from kcst_budget.amounts import LARGEST, PENNY
from kcst_budget.books import CONTRIBUTIONS, EXPENSES, Books
from kcst_budget.mou import governing
from kcst_budget.periods import fy_of
from kcst_budget.record import NewEntry, Refused, posting, quoted, refs_in, sealed_by
from kcst_budget.suggest import did_you_mean, listed
from kcst_budget.terms import Terms, is_project_account

HEADER = ("Transaction Date", "Cost Centre", "Subjective", "Description", "Supplier/Customer",
          "Amount", "Transaction Ref")
MAP_HEADER = ("cost_centre", "subjective", "kind", "target", "note")
#: The optional sixth column of the mapping: the project a spend line's rows pay for.
PROJECT_COLUMN = "project"
#: What the project column says of project work no project the SMT agreed covers.
NO_PROJECT = "none"
KINDS = ("spend", "contribution")
DEFAULT_POOL = "Assets:KFRS:KCST-Pool"

_AMOUNT = re.compile(r"^(?P<open>\()?(?P<minus>-)?£?(?P<number>\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+"
                     r"(?:\.\d+)?)(?P<close>\))?$")


class ImportRefused(Refused):
    """The export cannot be imported as it stands; every problem is listed by CSV line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("nothing imported:\n  " + "\n  ".join(self.problems))


@dataclass(frozen=True)
class Row:
    """One transaction line of the export (``line``: its line number in the CSV file)."""

    file: str
    line: int
    date: datetime.date
    cost_centre: str
    subjective: str
    description: str
    counterparty: str
    amount: Decimal  # the finance system's sign: + debit (out of the pool), - credit (in)
    ref: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Mapping:
    """What one (cost centre, subjective) pair of the host's ledger is in the pool's books."""

    cost_centre: str
    subjective: str
    kind: str  # spend | contribution
    target: str  # an Expenses: account, or a partner code
    line: int
    project: str | None = None  # the project its rows pay for (spend only); None: none

    @property
    def account(self) -> str:
        return f"{CONTRIBUTIONS}{self.target}" if self.kind == "contribution" else self.target


@dataclass(frozen=True)
class Plan:
    """What importing an export would do: rows to add, rows already in the ledger."""

    new: tuple[tuple[Row, NewEntry], ...]
    skipped: tuple[Row, ...]


def parse_amount(text: str) -> Decimal | None:
    """``3,750.00`` -> 3750.00; ``-1,234.50`` and ``(1,234.50)`` -> -1234.50; else None."""
    match = _AMOUNT.match(text.strip().replace(" ", ""))
    if not match or bool(match.group("open")) != bool(match.group("close")) \
            or (match.group("open") and match.group("minus")):
        return None
    try:
        amount = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None
    if amount > LARGEST or amount != amount.quantize(PENNY):
        return None
    negative = match.group("open") or match.group("minus")
    return -amount.quantize(PENNY) if negative else amount.quantize(PENNY)


#: The names of the characters a cell may not hold, for the message.
_CONTROL_NAMES = {"\t": "a tab", "\x00": "a NUL byte", "\r": "a carriage return (a line break)",
                  "\n": "a line break", "\u2028": "a line separator (U+2028)",
                  "\u2029": "a paragraph separator (U+2029)", "\x85": "a next-line character (U+0085)"}
_BYTE_ORDER_MARKS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                     (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
UTF8, UTF8_BOM, CP1252 = "UTF-8", "UTF-8 with a byte-order mark", "Windows-1252 (cp1252)"


def read_text(path: Path, what: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or without a
    byte-order mark), else Windows-1252. Anything else is refused naming the file."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportRefused([f"{path}: cannot read {what} ({error.strerror})"]) from None
    advice = "export or save it as CSV in UTF-8 or Windows-1252 (cp1252)"
    for mark, name in _BYTE_ORDER_MARKS:
        if raw.startswith(mark):
            raise ImportRefused([f"{path}: {what} is {name} text; {advice}"])
    if b"\x00" in raw.split(b"\n", 1)[0]:
        raise ImportRefused([f"{path}:1: {what} has NUL bytes in its first line: UTF-16 text "
                             f"without a byte-order mark, or no text at all; {advice}"])
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), UTF8_BOM
        except UnicodeDecodeError as problem:
            line = raw[:problem.start + 3].count(b"\n") + 1
            raise ImportRefused([f"{path}:{line}: {what} starts with a UTF-8 byte-order mark but "
                                 f"is not UTF-8 ({problem.reason}); {advice}"]) from None
    try:
        return raw.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), CP1252
    except UnicodeDecodeError as problem:
        line = raw[:problem.start].count(b"\n") + 1
        raise ImportRefused([f"{path}:{line}: {what} is neither UTF-8 nor Windows-1252 text "
                             f"(byte 0x{raw[problem.start]:02x}); {advice}"]) from None


def csv_records(text: str, name: str, header: Sequence[str],
                problems: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each CSV record of ``text``, ``line`` the line it starts on.

    Only a line feed (or CR LF) ends a line, so a line separator or a stray carriage return
    in a cell never splits its row and never shifts the lines of the rows after it. A
    record that runs over several lines, a cell over the csv module's size limit, or a
    cell holding a control character is added to ``problems`` with its line, not yielded.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    reader = csv.reader(line[:-1] + "\n" if line.endswith("\r") else line + "\n"
                        for line in lines)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as problem:
            reason = str(problem)
            if "field limit" in reason:
                reason = f"a cell is longer than {csv.field_size_limit():,} characters"
            elif "new-line" in reason:
                reason = "a cell holds a carriage return (a line break)"
            problems.append(f"{name}:{reader.line_num}: {reason}; a cell is one line of text")
            continue
        end = reader.line_num
        if end > start and "".join(cells).strip():
            problems.append(f"{name}:{start}: a quoted cell runs over lines {start}-{end}; a cell "
                            "is one line of text")
            continue
        bad = _control_in(cells, header)
        if bad is not None:
            problems.append(f"{name}:{start}: {bad}; a cell is one line of plain text")
            continue
        yield start, cells


def _control_in(cells: Sequence[str], header: Sequence[str]) -> str | None:
    """Which cell holds a control character or a line separator, and which, or None."""
    for index, cell in enumerate(cells):
        for character in cell:
            if unicodedata.category(character) in ("Cc", "Zl", "Zp"):
                column = header[index] if index < len(header) else f"column {index + 1}"
                shown = _CONTROL_NAMES.get(character, f"the control character "
                                                      f"U+{ord(character):04X}")
                return f"the {column} cell holds {shown}"


#: What the importer says of a date it cannot read.
DATES_READ = ("is not a real date in a form the importer reads: dd/mm/yyyy as the finance "
              "system exports it (24/04/2020) or yyyy-mm-dd (2020-04-24)")
_ROW_DATE = (re.compile(r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})$"),
             re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$"))


def row_date(text: str) -> datetime.date | None:
    """A row's date: ``24/04/2020`` (the finance system's dd/mm/yyyy, also ``4/4/2020``
    as a spreadsheet may save it) or ISO ``2020-04-24``; None when it is neither, or no
    real day."""
    for pattern in _ROW_DATE:
        match = pattern.match(text.strip())
        if match:
            try:
                return datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))
            except ValueError:
                return None
    return None


def read_map(path: Path) -> tuple[Mapping, ...]:
    """The mapping file; a malformed line is refused naming the file and line."""
    problems: list[str] = []
    mappings: list[Mapping] = []
    seen: dict[tuple[str, str], int] = {}
    text, _ = read_text(path, "the mapping file")
    records = csv_records(text, str(path), MAP_HEADER, problems)
    number, header = next(records, (1, None))
    if number != 1 or header is None \
            or tuple(h.strip() for h in header[:len(MAP_HEADER)]) != MAP_HEADER:
        raise ImportRefused(problems or [f"{path}:1: the header must be {','.join(MAP_HEADER)}"
                                         f" (and, optionally, {PROJECT_COLUMN})"])
    with_project = len(header) > len(MAP_HEADER) \
        and header[len(MAP_HEADER)].strip() == PROJECT_COLUMN
    for number, cells in records:
        if not cells or not "".join(cells).strip() or cells[0].startswith("#"):
            continue
        cells = [c.strip() for c in cells] + [""] * (len(MAP_HEADER) + 1)
        cost_centre, subjective, kind, target = cells[:4]
        project = cells[len(MAP_HEADER)] if with_project else ""
        if not (cost_centre and subjective and target):
            problems.append(f"{path}:{number}: cost_centre, subjective and target are all needed")
        elif kind not in KINDS:
            problems.append(f"{path}:{number}: kind {kind!r} is not spend or contribution")
        elif kind == "spend" and not target.startswith(EXPENSES):
            problems.append(f"{path}:{number}: spend maps to an {EXPENSES} account, not {target!r}")
        elif kind == "contribution" and not re.match(r"^[A-Z][A-Z0-9]*$", target):
            problems.append(f"{path}:{number}: contribution maps to a partner code like KP, "
                            f"not {target!r}")
        elif project and kind != "spend":
            problems.append(f"{path}:{number}: a {kind} pays for no project: leave its project "
                            f"column empty")
        elif kind == "spend" and is_project_account(target) and not project:
            problems.append(f"{path}:{number}: spend on {target} is project work and names the "
                            f"project its rows pay for (contract section 8): give its id in the "
                            f"{PROJECT_COLUMN} column (add the column to the header if it has "
                            f"none), or {NO_PROJECT} if no project the SMT agreed covers it (its "
                            "rows are then a project-link breach)")
        elif (cost_centre, subjective) in seen:
            problems.append(f"{path}:{number}: {cost_centre}/{subjective} is already mapped on "
                            f"line {seen[(cost_centre, subjective)]}")
        else:
            seen[(cost_centre, subjective)] = number
            cited = None if project.casefold() in ("", NO_PROJECT) else project
            mappings.append(Mapping(cost_centre, subjective, kind, target, number, cited))
    if problems:
        raise ImportRefused(problems)
    return tuple(mappings)


def read_export(path: Path) -> tuple[Row, ...]:
    """Every row of the export; any row it cannot read is refused with its line number."""
    return read_export_encoded(path)[0]


def read_export_encoded(path: Path) -> tuple[tuple[Row, ...], str]:
    """Every row of the export and the encoding it was read in (``read_text``)."""
    text, encoding = read_text(path, "the export")
    name = path.name
    rows: list[Row] = []
    problems: list[str] = []
    refs: dict[str, int] = {}
    records = csv_records(text, name, HEADER, problems)
    number, header = next(records, (1, None))
    if number != 1 or header is None or tuple(h.strip() for h in header) != HEADER:
        raise ImportRefused([f"{name}:1: not a KFRS ledger export: the header must be "
                             f"{','.join(HEADER)}"])
    for number, cells in records:
        if not "".join(cells).strip():
            continue
        if len(cells) != len(HEADER):
            problems.append(f"{name}:{number}: {len(cells)} columns, expected {len(HEADER)}")
            continue
        date_text, cost_centre, subjective, description, counterparty, amount_text, ref = (
            c.strip() for c in cells)
        date = row_date(date_text)
        if date is None:
            problems.append(f"{name}:{number}: date {date_text!r} {DATES_READ}")
            continue
        amount = parse_amount(amount_text)
        if amount is None or amount == 0:
            problems.append(f"{name}:{number}: amount {amount_text!r} is not an amount like "
                            f"1,234.50, -1,234.50 or (1,234.50) with at most two decimals")
            continue
        if not ref:
            problems.append(f"{name}:{number}: no transaction reference")
            continue
        if ref in refs:
            problems.append(f"{name}:{number}: reference {ref} is also on line {refs[ref]}")
            continue
        refs[ref] = number
        rows.append(Row(name, number, date, cost_centre, subjective, description,
                        counterparty or "KFRS finance system", amount, ref))
    if problems:
        raise ImportRefused(sorted(problems, key=_line_of))
    return tuple(rows), encoding


def _line_of(problem: str) -> int:
    found = re.match(r"^[^:]*:(\d+):", problem)
    return int(found.group(1)) if found else 0


def plan(rows: Iterable[Row], mappings: Sequence[Mapping], books: Books) -> Plan:
    """What to add: each mapped row not yet in the ledger, as an entry in the ledger's style.

    Refused, with every problem by CSV line, if a row has no mapping, maps to a partner that
    is not one, falls in a closed FY, or has a reference the ledger already holds with
    another date or amount (a row is skipped as already imported only if it is the same).
    """
    by_key = {(m.cost_centre, m.subjective): m for m in mappings}
    existing = refs_in(books)
    terms = books.terms
    new: list[tuple[Row, NewEntry]] = []
    skipped: list[Row] = []
    problems: list[str] = []
    imported = _pool_changes_by_ref(books)
    today = asof.today()
    for row in rows:
        if row.ref in existing:
            same = imported.get(row.ref)
            if same is None or same != (row.date, -row.amount):
                problems.append(f"{row.where}: reference {row.ref} is already in the ledger at "
                                f"{existing[row.ref]} with another date or amount; check it "
                                "with the finance system, nothing is skipped silently")
            else:
                skipped.append(row)
            continue
        mapping = by_key.get((row.cost_centre, row.subjective))
        if mapping is None:
            problems.append(unmapped(row, mappings))
            continue
        if row.date > today:
            problems.append(f"{row.where}: {row.date} is in the future (today is {today}); the "
                            "books record what has happened: check the year in the export")
            continue
        if mapping.kind == "contribution" and mapping.target not in terms.partners:
            problems.append(f"{row.where}: maps to {mapping.target}, no partner of the agreement")
            continue
        if mapping.project is not None and terms.project(mapping.project) is None:
            ids = [p.id for p in terms.projects]
            problems.append(f"{row.where}: maps to project {mapping.project} (mapping line "
                            f"{mapping.line}), which is not in the ledger"
                            f"{did_you_mean(mapping.project, ids)} (projects: "
                            f"{listed(ids[::-1])}); record the project first (kcst record "
                            "project), or correct the mapping")
            continue
        closed = terms.year_end(fy_of(row.date))
        if closed is not None:
            problems.append(f"{row.where}: {row.date} is in {fy_of(row.date)}, closed at "
                            f"{closed.source}")
            continue
        sealing = sealed_by(terms, row.date)
        if sealing is not None:
            problems.append(f"{row.where}: {row.date} is sealed by the year-end of "
                            f"{sealing.fy} at {sealing.source}")
            continue
        new.append((row, entry_of(row, mapping, _pool(terms, row.date))))
    if problems:
        raise ImportRefused(problems)
    return Plan(tuple(new), tuple(skipped))


def unmapped(row: Row, mappings: Sequence[Mapping]) -> str:
    """Why a row has no mapping, and what to do: a subjective code that lost its leading
    zeros in a spreadsheet (``101`` for ``0101``) is named, never added to the mapping."""
    lost = [m for m in mappings if m.cost_centre == row.cost_centre
            and m.subjective != row.subjective and row.subjective.isdigit()
            and m.subjective.lstrip("0") == row.subjective.lstrip("0")]
    said = (f"{row.where}: cost centre {row.cost_centre} subjective {row.subjective} "
            f"({row.description}) is not in the mapping file")
    if lost:
        return (f"{said}; did you mean {lost[0].subjective}? spreadsheets drop leading zeros: "
                f"export the file again from the finance system, or keep the Subjective "
                f"column as text, rather than change the mapping")
    centres = sorted({m.cost_centre for m in mappings})
    if row.cost_centre not in centres:
        return (f"{said}: no line maps cost centre {row.cost_centre}"
                f"{did_you_mean(row.cost_centre, centres)} (mapped cost centres: "
                f"{listed(centres)}); add a line for it if it is the pool's, nothing is guessed")
    codes = sorted({m.subjective for m in mappings if m.cost_centre == row.cost_centre})
    widths = {len(m.subjective) for m in mappings}
    if row.subjective.isdigit() and len(widths) == 1 and len(row.subjective) < min(widths):
        padded = row.subjective.zfill(min(widths))
        return (f"{said} (mapped subjectives of {row.cost_centre}: {listed(codes)}); the "
                f"mapping's subjective codes have {min(widths)} digits: if this is {padded}, a "
                f"spreadsheet dropped its leading zeros, so export the file again from the "
                f"finance system; if it is new, add a line for {padded} to the mapping")
    return (f"{said} (mapped subjectives of {row.cost_centre}: {listed(codes)}); add a line "
            "for it there, nothing is guessed")


def _pool_changes_by_ref(books: Books) -> dict[str, tuple[datetime.date, Decimal]]:
    """(date, change of the pool) of each transaction with a ref, reversed ones included:
    a row imported, then reversed, is still imported."""
    pools = books.terms.pools
    found: dict[str, tuple[datetime.date, Decimal]] = {}
    for entry in books.entries:
        if type(entry) is data.Transaction and entry.meta and entry.meta.get("ref") is not None:
            change = sum((p.units.number for p in entry.postings if p.account in pools
                          and p.units is not None and p.units.number is not None), Decimal(0))
            found.setdefault(str(entry.meta["ref"]), (entry.date, change))
    return found


def entry_of(row: Row, mapping: Mapping, pool: str) -> NewEntry:
    """The row as a transaction between its mapped account and the pool."""
    lines = [f"{row.date} * {quoted(row.counterparty, 'Supplier/Customer')} "
             f"{quoted(row.description or row.ref, 'Description')}",
             f"  ref: {quoted(row.ref, 'Transaction Ref')}",
             f"  imported: {quoted(row.where, 'file')}"]
    if mapping.project is not None:
        lines.append(f"  project: {quoted(mapping.project, 'project')}")
    account_line, pool_line = posting(mapping.account, row.amount), posting(pool, -row.amount)
    lines += [pool_line, account_line] if mapping.kind == "contribution" else [account_line,
                                                                               pool_line]
    return NewEntry(row.date, "\n".join(lines) + "\n", row.ref)


def _pool(terms: Terms, date: datetime.date) -> str:
    agreement = governing(terms, date)
    return agreement.pool if agreement is not None else DEFAULT_POOL


class KfrsLedgerImporter(beangulp.Importer):
    """beangulp importer of the KFRS ledger export, for ``kcst import`` and Fava's import page.

    ``ledger/import_config.py`` (Fava's ``import-config``)::

        CONFIG = [KfrsLedgerImporter(Path(__file__).parent / "import-map.csv")]
    """

    def __init__(self, map_file: str | Path, pool: str = DEFAULT_POOL) -> None:
        self.map_file = Path(map_file)
        self.pool = pool

    @property
    def name(self) -> str:
        return "kcst.KfrsLedgerImporter"

    def identify(self, filepath: str) -> bool:
        try:
            text, _ = read_text(Path(filepath), "the export")
        except ImportRefused:
            return False
        first = text.split("\n", 1)[0].rstrip("\r")
        return tuple(c.strip() for c in next(csv.reader([first]), [])) == HEADER

    def account(self, filepath: str) -> str:
        return self.pool

    def date(self, filepath: str) -> datetime.date | None:
        rows = read_export(Path(filepath))
        return max((row.date for row in rows), default=None)

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """The export's rows as transactions (all of them; ``deduplicate`` marks those whose
        ref the ledger already holds). Unmapped rows raise ``ImportRefused``."""
        mappings = read_map(self.map_file)
        rows = read_export(Path(filepath))
        by_key = {(m.cost_centre, m.subjective): m for m in mappings}
        problems = [unmapped(row, mappings)
                    for row in rows if (row.cost_centre, row.subjective) not in by_key]
        if problems:
            raise ImportRefused(problems)
        text = "".join(entry_of(row, by_key[(row.cost_centre, row.subjective)], self.pool).text
                       + "\n" for row in rows)
        entries, errors, _ = parser.parse_string(text)
        if errors:
            raise ImportRefused([str(error.message) for error in errors])
        for entry, row in zip(entries, rows, strict=True):
            entry.meta.update(filename=str(filepath), lineno=row.line)
        return entries

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark as duplicates the rows whose ``ref`` the ledger already holds."""
        refs = {str(e.meta["ref"]): e for e in existing if e.meta and e.meta.get("ref")}
        for entry in entries:
            found = refs.get(str(entry.meta.get("ref")))
            if found is not None:
                entry.meta[DUPLICATE] = found
