"""The bad-input corpus: what the finance officer, the SMT, the auditor, an unlucky
export and an attacker may hand ``kcst``, each with the exit status and the message it
must give (spec section 6: exit 2, the message names the argument, or the file and line;
0 where the input is legitimately accepted), never a traceback, and every file of the
folder byte-for-byte as it was (accepted imports are dry runs).

``{ledger}`` stands for a small ledger of the MoU's terms with one contribution (ref
``AR-1``) and one decision, in ``{folder}``; ``{export}`` for an export whose rows are
given; ``{tmp}`` for the test's folder, which holds the ledger folder.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import HEAD, HEAD_LINES
from tests.entry.conftest import folder_digest

BODY = """\
2018-04-18 * "Kent Police" "Contribution 2018/19 (cl. 8.2)"
  ref: "AR-1"
  Assets:KFRS:KCST-Pool   16000.00 GBP
  Income:Contributions:KP  -16000.00 GBP
2018-05-10 custom "kcst-meeting" "SMT"
  kcc: "present"
  kfrs: "present"
  kp: "present"
2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works"
  limit: 8000.00 GBP
2018-04-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator 45000.00 GBP
  host: "KFRS"
  months: 24
"""
EXPORT_HEADER = ("Transaction Date,Cost Centre,Subjective,Description,Supplier/Customer,Amount,"
                 "Transaction Ref\n")
ROW = "24/04/2019,KC4413,0101,Salary,KFRS Payroll,\"{amount}\",{ref}\n"

L = ("--ledger", "{ledger}")
CONTRIBUTION = ("record", "contribution", "--partner", "KP", "--date", "2019-04-18", *L)
SPEND = ("record", "spend", "--account", "Expenses:Staff:Coordinator", "--date", "2019-04-25",
         "--payee", "KFRS Payroll", *L)

COMMANDS: list[tuple[tuple[str, ...], str | None, int, str]] = [
    # (argv, export rows or None, exit, message fragment)
    # -- kcst record --
    ((*CONTRIBUTION[:3], "NHS", *CONTRIBUTION[4:], "--amount", "1"), None, 2,
     "--partner: 'NHS' is no partner of the agreement (partners: KCC, KFRS, KP)"),
    ((*CONTRIBUTION, "--amount", "-5"), None, 2,
     "--amount: '-5' is negative: money paid back to the partner is recorded only with "
     "--narration saying why"),
    ((*CONTRIBUTION, "--amount", "0"), None, 2, "--amount: '0' is zero"),
    ((*CONTRIBUTION, "--amount", "12.345"), None, 2, "--amount: '12.345' has more than two decimals"),
    ((*CONTRIBUTION, "--amount", "100 USD"), None, 2, "--amount: '100 USD' is not in GBP"),
    ((*CONTRIBUTION, "--amount", "€100"), None, 2, "--amount: '€100' is not in GBP"),
    ((*CONTRIBUTION, "--amount", "1e3"), None, 2, "--amount: '1e3' is not an amount like 16000.00"),
    ((*CONTRIBUTION, "--amount", "Infinity"), None, 2, "--amount: 'Infinity' is not an amount"),
    ((*CONTRIBUTION, "--amount", "1", "--ref", "AR-1"), None, 2,
     "--ref: 'AR-1' is already in the ledger at"),
    (("record", "contribution", "--partner", "KP", "--amount", "1", "--date", "2019-02-29", *L),
     None, 2, "--date: '2019-02-29' is not a real date"),
    (("record", "contribution", "--partner", "KP", "--amount", "1", "--date", "2019-4-1", *L),
     None, 2, "--date: '2019-4-1' is not a date like 2020-04-18 (YYYY-MM-DD)"),
    (("record", "contribution", "--partner", "KP", "--amount", "1", *L), None, 2,
     "Missing option '--date'"),
    ((*SPEND, "--amount", "1", "--account", "Expenses:Travel"), None, 2,
     "--account: account Expenses:Travel is not opened in the ledger"),
    ((*SPEND, "--amount", "1", "--account", "Income:Contributions:KP"), None, 2,
     "--account: 'Income:Contributions:KP' is not an Expenses: account"),
    ((*SPEND, "--amount", "1", "--decision", "D-9"), None, 2,
     "--decision: 'D-9' is no decision in the ledger (decisions: D-2018-05-1)"),
    (("record", "meeting", "--date", "2019-05-09", "--attendance", "kcc=present,kp=sleeping", *L),
     None, 2, "--attendance: kp='sleeping' is not one of present, deputy, apologies, absent"),
    (("record", "meeting", "--date", "2019-05-09", "--attendance", "kent=present", *L), None, 2,
     "--attendance: 'kent' is no partner of the agreement"),
    (("record", "meeting", "--date", "2019-05-09", "--attendance", ",", *L), None, 2,
     "--attendance: no partner given"),
    (("record", "decision", "--date", "2019-05-09", "--id", "D-2018-05-1", "--text", "x", *L),
     None, 2, "--id: decision D-2018-05-1 is already recorded at"),
    (("record", "decision", "--date", "2019-05-09", "--id", "D-2019-05-1", "--text", "x",
      "--limit", "lots", *L), None, 2, "--limit: 'lots' is not an amount like 16000.00"),
    (("record", "notice", "--partner", "KP", "--date", "2019-06-01", "--effective", "2019-01-01",
      *L), None, 2, "--effective: 2019-01-01 is before the notice was given (2019-06-01)"),
    (("record", "notice", "--partner", "KP", "--date", "2019-06-01", "--effective", "soon", *L),
     None, 2, "--effective: 'soon' is not a date like"),
    (("record", "wish", *L), None, 2, "No such command 'wish'"),
    ((*CONTRIBUTION[:-1], "missing.beancount", "--amount", "1"), None, 2,
     "--ledger: no ledger file at missing.beancount"),
    # -- kcst import --
    (("import", "{export}", *L), "", 2, "export.csv:1: not a KFRS ledger export"),
    (("import", "nowhere.csv", *L), None, 2, "FILE: no export at nowhere.csv"),
    (("import", "{export}", "--map", "nomap.csv", *L), ROW.format(amount="1.00", ref="R1"), 2,
     "--map: no mapping file at nomap.csv"),
    (("import", "{export}", *L), ROW.format(amount="1.00", ref="R1").replace("24/04", "31/04"), 2,
     "export.csv:2: date '31/04/2019' is not a real date in a form the importer reads: "
     "dd/mm/yyyy as the finance system exports it (24/04/2020) or yyyy-mm-dd (2020-04-24)"),
    (("import", "{export}", *L), ROW.format(amount="1.00", ref="R1").replace("24/04/2019",
                                                                             "04/24/2019"), 2,
     "export.csv:2: date '04/24/2019' is not a real date in a form the importer reads"),
    (("import", "{export}", *L), ROW.format(amount="1.00", ref="R1").replace("24/04/2019",
                                                                             "24/04/2999"), 2,
     "export.csv:2: 2999-04-24 is in the future (today is 2026-11-23); the books record what "
     "has happened: check the year in the export"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref="R1").replace("0101", "101"), 2,
     "export.csv:2: cost centre KC4413 subjective 101 (Salary) is not in the mapping file; did "
     "you mean 0101? spreadsheets drop leading zeros"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref="R1").replace("0101", "150"), 2,
     "export.csv:2: cost centre KC4413 subjective 150 (Salary) is not in the mapping file (mapped "
     "subjectives of KC4413: 0101); the mapping's subjective codes have 4 digits: if this is "
     "0150, a spreadsheet dropped its leading zeros, so export the file again from the finance "
     "system; if it is new, add a line for 0150 to the mapping"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref="R1").replace("KC4413", "KC4431"), 2,
     "export.csv:2: cost centre KC4431 subjective 0101 (Salary) is not in the mapping file: no "
     "line maps cost centre KC4431; did you mean KC4413? (mapped cost centres: KC4413)"),
    (("import", "{export}", *L), ROW.format(amount="1,00.00", ref="R1"), 2,
     "export.csv:2: amount '1,00.00' is not an amount like 1,234.50"),
    (("import", "{export}", *L), ROW.format(amount="(5.00", ref="R1"), 2,
     "export.csv:2: amount '(5.00' is not an amount"),
    (("import", "{export}", *L), ROW.format(amount="0.00", ref="R1"), 2,
     "export.csv:2: amount '0.00' is not an amount"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref=""), 2,
     "export.csv:2: no transaction reference"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref="R1") * 2, 2,
     "export.csv:3: reference R1 is also on line 2"),
    (("import", "{export}", *L), "24/04/2019,KC4413,0101,Salary\n", 2,
     "export.csv:2: 4 columns, expected 7"),
    (("import", "{export}", *L), ROW.format(amount="5.00", ref="R1").replace("0101", "0999"), 2,
     "export.csv:2: cost centre KC4413 subjective 0999 (Salary) is not in the mapping file "
     "(mapped subjectives of KC4413: 0101); add a line for it there, nothing is guessed"),
    # -- kcst check, audit, forecast, shares, close-year --
    (("check", "--ledger", "missing.beancount"), None, 2,
     "--ledger: no ledger file at missing.beancount"),
    (("audit", "--as-of", "2019-13-01", *L), None, 2,
     "--as-of: '2019-13-01' is not a real date (month must be in 1..12)"),
    (("audit", "--fy", "2019", *L), None, 2, "--fy: financial year '2019' is not written like 2018/19"),
    (("audit", "--fy", "2019/21", *L), None, 2, "--fy: financial year '2019/21': 21 does not follow 2019"),
    (("audit", "--format", "xml", *L), None, 2, "--format: 'xml' is not one of text, json, html"),
    (("forecast", "--as-of", "yesterday", *L), None, 2, "--as-of: 'yesterday' is not a date"),
    (("shares", "--as-of", "2019-02-30", *L), None, 2, "--as-of: '2019-02-30' is not a real date"),
    (("shares", "--ledger", "missing.beancount"), None, 2, "--ledger: no ledger file at missing"),
    (("close-year", "2019", *L), None, 2, "FY: financial year '2019' is not written like 2018/19"),
    (("close-year", "2030/31", *L), None, 2, "close-year 2030/31: 2030/31 has not ended"),
]

LEDGER_FILES: list[tuple[str, int, str]] = [
    # (ledger text after HEAD; the line of the error counted from the text's first line, fragment)
    ('2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n  kp: "asleep"\n', 1,
     "kcst-meeting: kp: attendance must be one of present, deputy, apologies, absent, got 'asleep'"),
    ('2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n  nhs: "present"\n', 1,
     "kcst-meeting: unknown partner code 'nhs'"),
    ('2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n  budget-reviewed: "yes"\n', 1,
     "kcst-meeting: budget-reviewed: must be TRUE or FALSE, got 'yes'"),
    ('2018-05-10 custom "kcst-decision" "D-1"\n', 1, "kcst-decision: missing text (value 2)"),
    ('2018-05-10 custom "kcst-decision" "D-1" "Desks"\n  limit: 800.00 EUR\n', 1,
     "kcst-decision: limit: must be in GBP, got EUR"),
    ('2018-05-10 custom "kcst-decision" "D-1" "Desks"\n'
     '2018-07-10 custom "kcst-decision" "D-1" "Chairs"\n', 2,
     "kcst-decision 'D-1': the same id is already used at"),
    ('2019-06-01 custom "kcst-withdrawal-notice" "NHS" 2019-12-31\n', 1,
     "kcst-withdrawal-notice: partner 'NHS' is no partner of the agreement"),
    ('2019-06-01 custom "kcst-withdrawal-notice" "KP"\n', 1,
     "kcst-withdrawal-notice: missing effective date (value 2)"),
    ('2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin 24000.00 GBP\n  host: "KCC"\n'
     '  months: 0\n', 1, "kcst-post: months: must be a whole number of months from 1 to 1200"),
    ('2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin 24000.00 GBP\n  host: "NHS"\n'
     '  months: 12\n', 1, "kcst-post: host 'NHS' is no partner of the agreement"),
    ('2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin\n  host: "KCC"\n  months: 12\n',
     1, "kcst-post: missing annual cost (value 3)"),
    ('2019-04-01 custom "kcst-contribution-minimum" 16000.00 EUR\n', 1,
     "kcst-contribution-minimum: minimum must be in GBP, got EUR"),
    ('2019-03-31 custom "kcst-year-end" "2019" 100.00 GBP\n', 1,
     "kcst-year-end: financial year '2019' is not written like 2018/19"),
    ('2018-01-01 custom "kcst-deadline" "report"\n', 1, "kcst-deadline: missing due date (value 2)"),
    ('2019-01-17 custom "kcst-meting" "SMT"\n', 1, "unknown directive 'kcst-meting'"),
    ('2018-04-18 * "Kent Police" "Contribution"\n  Assets:KFRS:KCST-Pool  16000.00 GBP\n'
     '  Income:Contributions:KP  -15000.00 GBP\n', 1, "Transaction does not balance"),
    ('2018-04-18 * "Kent Police" "Contribution\n', 1, "Invalid token"),
    ('2018-01-01 open Income:Contributions:NHS GBP\n2018-04-18 * "NHS" "Contribution"\n'
     '  Assets:KFRS:KCST-Pool  100.00 GBP\n  Income:Contributions:NHS  -100.00 GBP\n', 2,
     "Income:Contributions:NHS: 'NHS' is no partner of the agreement"),
    ('2018-04-18 * "X" "Y"\n  Expenses:Staff:Nobody  100.00 GBP\n  Assets:KFRS:KCST-Pool  -100.00 GBP\n',
     1, "Invalid reference to unknown account 'Expenses:Staff:Nobody'"),
    ("2018-04-18 balance Assets:KFRS:KCST-Pool 5.00 GBP\n", 1,
     "Balance failed for 'Assets:KFRS:KCST-Pool'"),
]




# ---- New since issue 14: the cases an attacker and an unlucky user found ------------------

@dataclass(frozen=True)
class Case:
    """One bad input: the command, the files it finds, the exit status and what it says.

    ``files`` are written (bytes) and ``links`` made (link -> target), relative to the
    test's folder, before the folder is fingerprinted; ``where`` is a ``file:line`` the
    output must also name.
    """

    name: str
    argv: tuple[str, ...]
    message: str
    code: int = 2
    files: tuple[tuple[str, bytes], ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    where: str | None = None


def export(*rows: str, encoding: str = "utf-8", newline: str = "\n") -> tuple[tuple[str, bytes]]:
    """``export.csv`` with the export's header and ``rows``, encoded as given."""
    text = EXPORT_HEADER + "".join(rows)
    return (("export.csv", text.replace("\n", newline).encode(encoding)),)


def row(description: str = "Salary", amount: str = "1.00", ref: str = "R1",
        date: str = "24/04/2019") -> str:
    return f'{date},KC4413,0101,{description},KFRS Payroll,"{amount}",{ref}\n'


def ledger_text(text: str, name: str = "ledger/main.beancount") -> tuple[str, bytes]:
    return (name, text.encode("utf-8"))


IMPORT = ("import", "{export}", "--ledger", "{ledger}")
DRY = (*IMPORT, "--dry-run")
CHECK = ("check", "--ledger", "{ledger}")
AUDIT_JSON = ("audit", "--format", "json", "--ledger", "{ledger}")
PACK = ("report", "audit", "--as-of", "2019-06-30", "--ledger", "{ledger}")
DIGITS_29 = "12345678901234567890123456789"
FY_FILE = "ledger/2019-20.beancount"
WITH_FY = ledger_text(HEAD + BODY + 'include "2019-20.beancount"\n')
UTF16 = EXPORT_HEADER + row()

CASES: list[Case] = [
    # -- amounts too large for any pool, and for Decimal's 28 digits --
    Case("29-digit contribution", (*CONTRIBUTION, "--amount", DIGITS_29),
         "--amount: '12345678901234567890123456789' is larger than any amount the books take"),
    Case("31-digit contribution with pennies", (*CONTRIBUTION, "--amount", DIGITS_29 + ".99"),
         "--amount: '12345678901234567890123456789.99' is larger than any amount"),
    Case("13-digit contribution", (*CONTRIBUTION, "--amount", "1000000000000.00"),
         "--amount: '1000000000000.00' is larger than any amount the books take "
         "(at most 999,999,999,999.99)"),
    Case("29-digit spend", (*SPEND, "--amount", DIGITS_29), "--amount: '1234567890"),
    Case("40-digit decision limit",
         ("record", "decision", "--date", "2019-05-09", "--id", "D-2019-05-1", "--text", "x",
          "--limit", "9" * 40, *L), "--limit: '9999999999999999999999999999999999999999' is "
         "larger than any amount"),
    Case("29-digit amount in the export", IMPORT, "export.csv:2: amount '" + DIGITS_29 +
         "' is not an amount", files=export(row(amount=DIGITS_29))),
    Case("13-digit amount in the export", IMPORT, "export.csv:2: amount '1,000,000,000,000.00' "
         "is not an amount", files=export(row(amount="1,000,000,000,000.00"))),
    # -- text that is not one line --
    Case("payee with a tab", (*SPEND, "--amount", "1", "--payee", "KFRS\tPayroll"),
         "--payee: must be one line of text"),
    Case("narration over two lines", (*SPEND, "--amount", "1", "--narration", "two\nlines"),
         "--narration: must be one line of text"),
    Case("empty payee", (*SPEND, "--amount", "1", "--payee", " "), "--payee: is empty"),
    Case("decision id with a space", ("record", "decision", "--date", "2019-05-09", "--id",
                                      "D 1!", "--text", "x", *L),
         "--id: 'D 1!' is not an id like D-2020-05-1"),
    Case("partner attending twice", ("record", "meeting", "--date", "2019-05-09",
                                     "--attendance", "kcc=present,kcc=absent", *L),
         "--attendance: kcc is given twice"),
    Case("attendance without a value", ("record", "meeting", "--date", "2019-05-09",
                                        "--attendance", "kcc", *L),
         "--attendance: 'kcc' is not partner=value"),
    Case("date with a time", ("record", "contribution", "--partner", "KP", "--amount", "1",
                              "--date", "2019-04-18T10:00", *L),
         "--date: '2019-04-18T10:00' is not a date like 2020-04-18"),
    # -- the lock's wait --
    Case("lock timeout not a number", (*CONTRIBUTION, "--amount", "1"),
         "KCST_LOCK_TIMEOUT: 'soon' is not a number of seconds", env=(("KCST_LOCK_TIMEOUT",
                                                                       "soon"),)),
    Case("negative lock timeout", (*CONTRIBUTION, "--amount", "1"),
         "KCST_LOCK_TIMEOUT: '-1' is not a number of seconds", env=(("KCST_LOCK_TIMEOUT", "-1"),)),
    # -- --output aimed at the books --
    Case("audit over the main file", (*AUDIT_JSON, "--output", "{ledger}"),
         "a report never overwrites the books"),
    Case("audit over an FY file", (*AUDIT_JSON, "--output", "{folder}/2019-20.beancount"),
         "--output: {folder}/2019-20.beancount is a file of the ledger",
         files=(WITH_FY, (FY_FILE, b"; FY 2019/20\n"))),
    Case("audit over the import map", (*AUDIT_JSON, "--output", "{folder}/import-map.csv"),
         "is a file in the ledger's folder"),
    Case("audit through a symlink to the main file", (*AUDIT_JSON, "--output", "{tmp}/out.json"),
         "(a link to", links=(("out.json", "ledger/main.beancount"),)),
    Case("audit through a folder linked to the ledger's",
         (*AUDIT_JSON, "--output", "{tmp}/books/main.beancount"), "is a file of the ledger",
         links=(("books", "ledger"),)),
    Case("audit into a folder", (*AUDIT_JSON, "--output", "{tmp}"), "--output: {tmp} is a folder"),
    Case("audit pack over the main file by a link",
         (*PACK, "--format", "xlsx", "--output", "{tmp}/pack.xlsx"), "a report never overwrites",
         links=(("pack.xlsx", "ledger/main.beancount"),)),
    Case("SMT paper over the main file by a link",
         ("report", "smt", "--as-of", "2019-06-30", "--ledger", "{ledger}", "--output",
          "{tmp}/paper.html"), "a report never overwrites the books",
         links=(("paper.html", "ledger/main.beancount"),)),
    # -- the dashboard's address --
    Case("dashboard on every address", ("dashboard", "--host", "0.0.0.0", *L),
         "--host: '0.0.0.0' listens on every address"),
    Case("dashboard on every IPv6 address", ("dashboard", "--host", "::", *L),
         "--host: '::' listens on every address"),
    Case("dashboard on port 0", ("dashboard", "--port", "0", *L), "--port"),
    # -- exports in encodings finance systems do not use --
    Case("UTF-16 export", IMPORT, "export.csv: the export is UTF-16 text",
         files=(("export.csv", codecs.BOM_UTF16_LE + UTF16.encode("utf-16-le")),)),
    Case("UTF-16 big-endian export", IMPORT, "export.csv: the export is UTF-16 text",
         files=(("export.csv", codecs.BOM_UTF16_BE + UTF16.encode("utf-16-be")),)),
    Case("UTF-16 export without a byte-order mark", IMPORT,
         "export.csv:1: the export has NUL bytes in its first line: UTF-16",
         files=(("export.csv", UTF16.encode("utf-16-le")),)),
    Case("UTF-32 export", IMPORT, "export.csv: the export is UTF-32 text",
         files=(("export.csv", UTF16.encode("utf-32")),)),
    Case("neither UTF-8 nor cp1252", IMPORT, "export.csv:3: the export is neither UTF-8 nor "
         "Windows-1252 text (byte 0x81)", files=(("export.csv", (EXPORT_HEADER + row()).encode()
                                                  + b"24/04/2019,KC4413,0101,Caf\xe9\x81\n"),)),
    Case("UTF-16 mapping file", IMPORT, "import-map.csv: the mapping file is UTF-16 text",
         files=(*export(row()), ("ledger/import-map.csv", codecs.BOM_UTF16_LE + (
             "cost_centre,subjective,kind,target,note\n").encode("utf-16-le")))),
    # -- exports legitimately accepted (dry runs: nothing written) --
    Case("cp1252 export", DRY, "export.csv: read as Windows-1252 (cp1252)", code=0,
         files=export(row("Caf\xe9 \xa3 \u2013 \u201cseminar\u201d"), encoding="cp1252")),
    Case("latin-1 export", DRY, "export.csv: read as Windows-1252 (cp1252)", code=0,
         files=export(row("R\xe9sum\xe9 \xbd day"), encoding="latin-1")),
    Case("UTF-8 export with a byte-order mark", DRY,
         "export.csv: read as UTF-8 with a byte-order mark", code=0,
         files=export(row("Caf\xe9"), encoding="utf-8-sig")),
    Case("UTF-8 export", DRY, "export.csv: read as UTF-8", code=0,
         files=export(row("Caf\xe9 \u20ac"))),
    Case("CRLF export", DRY, "would add 2 row(s)", code=0,
         files=export(row(ref="R1"), row(ref="R2"), newline="\r\n")),
    Case("header only", DRY, "would add 0 row(s)", code=0, files=export()),
    Case("quotes doubled in a cell", DRY, "would add 1 row(s)", code=0,
         files=export('24/04/2019,KC4413,0101,"Say ""hi"", twice",KFRS,1.00,R1\n')),
    Case("markup in a description", DRY, "would add 1 row(s)", code=0,
         files=export(row('"<img src=x onerror=alert(1)>"'))),
    Case("formula in a description", DRY, "would add 1 row(s)", code=0,
         files=export(row('"=HYPERLINK(""http://x"",""y"")"'))),
    # -- cells that are not one line of plain text, named with their real line --
    Case("field over the csv limit", IMPORT, "export.csv:2: a cell is longer than 131,072 "
         "characters", files=export(row("x" * 131_073))),
    Case("tab in a cell", IMPORT, "export.csv:2: the Description cell holds a tab",
         files=export(row("Sal\tary"))),
    Case("NUL in a cell", IMPORT, "export.csv:3: the Supplier/Customer cell holds a NUL byte",
         files=export(row(), '24/04/2019,KC4413,0101,Salary,KFRS\x00Payroll,1.00,R2\n')),
    Case("line separator in a cell", IMPORT, "export.csv:2: the Description cell holds a line "
         "separator (U+2028)", files=export(row("Sal\u2028ary"), row(date="31/04/2019", ref="R2")),
         where="export.csv:3: date '31/04/2019'"),
    Case("paragraph separator in a cell", IMPORT, "export.csv:2: the Description cell holds a "
         "paragraph separator (U+2029)", files=export(row("Sal\u2029ary"))),
    Case("carriage return in an unquoted cell", IMPORT, "export.csv:2: a cell holds a carriage "
         "return", files=export(row("Sal\rary"), row(date="31/04/2019", ref="R2")),
         where="export.csv:3: date '31/04/2019'"),
    Case("carriage return in a quoted cell", IMPORT, "export.csv:2: the Description cell holds a "
         "carriage return", files=export(row('"Sal\rary"'))),
    Case("quoted description over two lines", IMPORT, "export.csv:2: a quoted cell runs over "
         "lines 2-3", files=export(row('"Salary\nApril"'), row(date="31/04/2019", ref="R2")),
         where="export.csv:4: date '31/04/2019'"),
    Case("control character in a reference", IMPORT, "export.csv:2: the Transaction Ref cell "
         "holds the control character U+001B", files=export(row(ref="R\x1b[2J1"))),
    Case("eight columns", IMPORT, "export.csv:2: 8 columns, expected 7",
         files=export('24/04/2019,KC4413,0101,Salary,KFRS,1.00,R1,extra\n')),
    Case("empty export", IMPORT, "export.csv:1: not a KFRS ledger export",
         files=(("export.csv", b""),)),
    Case("a picture as the export", IMPORT, "export.csv:1: not a KFRS ledger export",
         files=(("export.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),)),
    Case("export is a folder", ("import", "{tmp}", "--ledger", "{ledger}"), "FILE: no export at"),
    Case("tab in the mapping file", IMPORT, "import-map.csv:2: the kind cell holds a tab",
         files=(*export(row()), ("ledger/import-map.csv",
                                 b"cost_centre,subjective,kind,target,note\n"
                                 b"KC4413,0101,sp\tend,Expenses:Staff:Coordinator,\n"))),
    Case("unknown kind in the mapping file", IMPORT, "import-map.csv:2: kind 'income' is not "
         "spend or contribution", files=(*export(row()), ("ledger/import-map.csv",
                                         b"cost_centre,subjective,kind,target,note\n"
                                         b"KC4413,0101,income,KP,\n"))),
    # -- ledger files that lead out of the folder, or are not text --
    Case("FY file linked out of the folder", (*CONTRIBUTION, "--amount", "16000.00"),
         "is outside the ledger folder", files=(WITH_FY, ("elsewhere/2019-20.beancount",
                                                          b"; FY 2019/20\n")),
         links=((FY_FILE, "elsewhere/2019-20.beancount"),)),
    Case("FY file not yet included, and not UTF-8", (*CONTRIBUTION, "--amount", "16000.00"),
         "2019-20.beancount:2: not UTF-8 text", files=((FY_FILE, b"; FY\n; Caf\xe9\n"),)),
    Case("FY file is a folder", (*CONTRIBUTION, "--amount", "16000.00"),
         "2019-20.beancount is a folder, not a ledger file",
         files=(("ledger/2019-20.beancount/x", b""),)),
    # -- include and byte-order-mark errors named at their place --
    Case("missing include", CHECK, 'include "2020-21.beancount": no file matches it',
         files=(ledger_text(HEAD + BODY + 'include "2020-21.beancount"\n'),),
         where=f"main.beancount:{HEAD_LINES + BODY.count(chr(10)) + 1}: "),
    Case("missing include glob", CHECK, 'include "20*-*.beancount": no file matches it',
         files=(ledger_text(HEAD + BODY + 'include "20*-*.beancount"\n'),)),
    Case("include cycle", CHECK, 'include "main.beancount": main.beancount is already loaded',
         files=(WITH_FY, (FY_FILE, b'; FY 2019/20\ninclude "main.beancount"\n')),
         where="2019-20.beancount:2: "),
    Case("a file that includes itself", CHECK, 'include "main.beancount": main.beancount is '
         "already loaded", files=(ledger_text('include "main.beancount"\n' + HEAD + BODY),),
         where="main.beancount:1: "),
    Case("a file included twice", CHECK, "2019-20.beancount is already loaded",
         files=(ledger_text(HEAD + BODY + 'include "2019-20.beancount"\n' * 2),
                (FY_FILE, b"; FY 2019/20\n")),
         where=f"main.beancount:{HEAD_LINES + BODY.count(chr(10)) + 2}: "),
    Case("byte-order mark in the main file", CHECK, "main.beancount:1: the file starts with a "
         "byte-order mark", files=(("ledger/main.beancount",
                                    codecs.BOM_UTF8 + (HEAD + BODY).encode()),)),
    Case("byte-order mark in an included file", CHECK, "2019-20.beancount:1: the file starts "
         "with a byte-order mark", files=(WITH_FY, (FY_FILE, codecs.BOM_UTF8 + b'2019-05-01 '
                                                    b'custom "kcst-review" "x"\n'))),
    Case("record into books with a byte-order mark", (*CONTRIBUTION, "--amount", "16000.00"),
         "--ledger: the ledger has 1 error(s) of its own, the first at",
         files=(("ledger/main.beancount", codecs.BOM_UTF8 + b"; books\n" + (HEAD + BODY)
                 .encode()),)),
    Case("cp1252 byte in a ledger file", CHECK, "UnicodeDecodeError",
         files=(ledger_text(HEAD + BODY), (FY_FILE, b'2019-05-01 custom "kcst-review" "Caf\xe9"\n'),
                ("ledger/main.beancount", (HEAD + BODY + 'include "2019-20.beancount"\n')
                 .encode())), where="2019-20.beancount:1: "),
]


@pytest.fixture
def small_ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(HEAD + BODY, encoding="utf-8")
    (folder / "import-map.csv").write_text(
        "cost_centre,subjective,kind,target,note\nKC4413,0101,spend,Expenses:Staff:Coordinator,\n")
    return main


def clean(output: str) -> str:
    """The output as one line of words (typer boxes its own errors)."""
    return " ".join(output.replace("│", " ").split())


def assert_refused_cleanly(run, code: int, message: str, before: dict[str, str],
                           folder: Path) -> None:
    assert run.exception is None, f"escaped: {run.exception!r}"
    assert "Traceback" not in run.output
    assert run.exit_code == code, run.output
    assert clean(message) in clean(run.output), run.output
    assert folder_digest(folder) == before


@pytest.mark.parametrize(("argv", "rows", "code", "message"), COMMANDS,
                         ids=[message for *_, message in COMMANDS])
def test_a_bad_argument_names_itself_and_writes_nothing(
        small_ledger: Path, kcst_in, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...],
        rows: str | None, code: int, message: str) -> None:
    monkeypatch.chdir(small_ledger.parent)
    monkeypatch.setenv("KCST_TODAY", "2026-11-23")  # what "in the future" is measured from
    export = small_ledger.parent / "export.csv"
    if rows is not None:
        export.write_text(EXPORT_HEADER + rows if rows else "Date,Amount\n")
    before = folder_digest(small_ledger.parent)
    run = kcst_in(*(a.format(ledger=small_ledger, export=export) for a in argv))
    assert_refused_cleanly(run, code, message, before, small_ledger.parent)


@pytest.mark.parametrize(("text", "line", "message"), LEDGER_FILES,
                         ids=[message for *_, message in LEDGER_FILES])
def test_a_malformed_ledger_fails_check_at_its_file_and_line(
        small_ledger: Path, kcst_in, monkeypatch: pytest.MonkeyPatch, text: str, line: int,
        message: str) -> None:
    small_ledger.write_text(HEAD + text, encoding="utf-8")
    monkeypatch.chdir(small_ledger.parent)
    before = folder_digest(small_ledger.parent)
    run = kcst_in("check", "--ledger", small_ledger)
    assert_refused_cleanly(run, 2, message, before, small_ledger.parent)
    assert f"main.beancount:{HEAD_LINES + line}: " in run.stdout


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_bad_input_is_refused_at_its_place_and_changes_nothing(
        small_ledger: Path, tmp_path: Path, kcst_in, monkeypatch: pytest.MonkeyPatch,
        case: Case) -> None:
    for name, data in case.files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    for link, target in case.links:
        (tmp_path / link).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / link).symlink_to(tmp_path / target)
    for name, value in case.env:
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    places = {"ledger": small_ledger, "folder": small_ledger.parent, "tmp": tmp_path,
              "export": tmp_path / "export.csv"}
    before = folder_digest(tmp_path)
    run = kcst_in(*(a.format(**places) for a in case.argv))
    assert_refused_cleanly(run, case.code, case.message.format(**places), before, tmp_path)
    if case.where is not None:
        assert case.where in run.output, run.output
