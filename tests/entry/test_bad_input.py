"""The bad-input corpus: what the finance officer, the SMT and the auditor may get wrong,
each with the exit status and the message it must give (spec section 6: exit 2, the
message names the argument, or the file and line).

``{ledger}`` stands for a small ledger of the MoU's terms with one contribution
(ref ``AR-1``) and one decision; ``{export}`` for an export whose rows are given.
"""

from __future__ import annotations

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
    ((*CONTRIBUTION, "--amount", "-5"), None, 2, "--amount: '-5' is not positive"),
    ((*CONTRIBUTION, "--amount", "0"), None, 2, "--amount: '0' is not positive"),
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
     "export.csv:2: date '31/04/2019' is not a real date dd/mm/yyyy"),
    (("import", "{export}", *L), ROW.format(amount="1.00", ref="R1").replace("24/04/2019",
                                                                             "2019-04-24"), 2,
     "export.csv:2: date '2019-04-24' is not a real date dd/mm/yyyy"),
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
     "export.csv:2: cost centre KC4413 subjective 0999 (Salary) is not in the mapping file"),
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


@pytest.fixture
def small_ledger(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(HEAD + BODY, encoding="utf-8")
    (folder / "import-map.csv").write_text(
        "cost_centre,subjective,kind,target,note\nKC4413,0101,spend,Expenses:Staff:Coordinator,\n")
    return main


@pytest.mark.parametrize(("argv", "rows", "code", "message"), COMMANDS,
                         ids=[message for *_, message in COMMANDS])
def test_a_bad_argument_names_itself_and_writes_nothing(
        small_ledger: Path, kcst, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...],
        rows: str | None, code: int, message: str) -> None:
    monkeypatch.chdir(small_ledger.parent)
    export = small_ledger.parent / "export.csv"
    if rows is not None:
        export.write_text(EXPORT_HEADER + rows if rows else "Date,Amount\n")
    before = folder_digest(small_ledger.parent)
    run = kcst(*(a.format(ledger=small_ledger, export=export) for a in argv))
    assert run.exit_code == code, run.output
    assert message in " ".join(run.output.replace("│", " ").split())
    assert folder_digest(small_ledger.parent) == before


@pytest.mark.parametrize(("text", "line", "message"), LEDGER_FILES,
                         ids=[message for *_, message in LEDGER_FILES])
def test_a_malformed_ledger_fails_check_at_its_file_and_line(
        write_ledger, kcst, monkeypatch: pytest.MonkeyPatch, text: str, line: int,
        message: str) -> None:
    main = write_ledger(text)
    monkeypatch.chdir(main.parent)
    run = kcst("check", "--ledger", main)
    assert run.exit_code == 2
    assert f"main.beancount:{HEAD_LINES + line}: " in run.stdout
    assert message in run.stdout
