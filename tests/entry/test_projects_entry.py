"""Recording projects, their spend and their outcomes (spec section 8) with ``kcst record``
and ``kcst import``: a project the SMT approved, a payment citing it, what it delivered,
each in the ledger's style and read back by ``kcst projects``; every refusal names its
argument and the closest match and leaves every file as it was. Today is 30 June 2020."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kcst_budget.books import load_books
from tests.entry.conftest import folder_digest

TODAY = "2020-06-30"


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCST_TODAY", TODAY)


def approve(kcst, ledger: Path) -> None:
    """The SMT meets on 7 May 2020 and approves the project (under no agreement: the MoU
    ended on 31 March 2020, so the decision is a decision-quorate breach of its own)."""
    for argv in (("meeting", "--date", "2020-05-07", "--attendance",
                  "kcc=present,kfrs=present,kp=present"),
                 ("decision", "--date", "2020-05-07", "--id", "D-2020-05-2", "--text",
                  "DHR lessons-learnt seminars 2020/21 (P-2020-01, GBP 1,200.00)")):
        assert kcst("record", *argv, "--ledger", ledger).exit_code in (0, 1)


def test_a_project_its_spend_and_its_outcome_are_written_and_read_back(ledger_copy, kcst) -> None:
    approve(kcst, ledger_copy)
    run = kcst("record", "project", "--id", "P-2020-01", "--title",
               "DHR lessons-learnt seminars 2020/21", "--budget", "1,200.00", "--priority",
               "domestic-abuse", "--decision", "D-2020-05-2", "--date", "2020-05-07",
               "--ends", "2020-10-31", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    fy_file = ledger_copy.parent / "2020-21.beancount"
    assert fy_file.read_text().endswith(
        '2020-05-07 custom "kcst-project" "P-2020-01" "DHR lessons-learnt seminars 2020/21" '
        "1200.00 GBP\n"
        '  priority: "domestic-abuse"\n'
        '  decision: "D-2020-05-2"\n'
        "  ends: 2020-10-31\n")

    run = kcst("record", "spend", "--account", "Expenses:Projects:DHRSeminars", "--amount",
               "450.00", "--date", "2020-06-18", "--payee", "Kent County Council", "--project",
               "P-2020-01", "--ref", "KCC-INV-PRJ-2006", "--ledger", ledger_copy)
    # Recorded (it happened), but with no agreement in force no meeting is quorate, so a
    # payment citing a project its decision approved is a project-link breach: said loudly.
    assert run.exit_code == 1, run.output
    assert ("[project-link cl. 10.3; CSA audit recommendation] £450.00 on "
            "Expenses:Projects:DHRSeminars cites project P-2020-01 (DHR lessons-learnt seminars "
            "2020/21), approved by decision D-2020-05-2 of 7 May 2020, which was not taken at a "
            "quorate SMT meeting") in run.stderr
    assert fy_file.read_text().endswith(
        '2020-06-18 * "Kent County Council" "DHR lessons-learnt seminars 2020/21, June 2020"\n'
        '  ref: "KCC-INV-PRJ-2006"\n'
        '  project: "P-2020-01"\n'
        "  Expenses:Projects:DHRSeminars               450.00 GBP\n"
        "  Assets:KFRS:KCST-Pool                      -450.00 GBP\n")

    run = kcst("record", "outcome", "--project", "P-2020-01", "--text",
               "One seminar held on 16 June 2020 for 120 practitioners", "--date", "2020-06-25",
               "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    assert fy_file.read_text().endswith(
        '2020-06-25 custom "kcst-outcome" "P-2020-01" '
        '"One seminar held on 16 June 2020 for 120 practitioners"\n')

    books = load_books(ledger_copy)
    assert books.errors == ()
    register = json.loads(kcst("projects", "--ledger", ledger_copy, "--format", "json").stdout)
    line = next(p for p in register["projects"] if p["id"] == "P-2020-01")
    assert (line["budget"], line["spent"], line["remaining"]) == ("1200.00", "450.00", "750.00")
    assert line["outcome"] == "One seminar held on 16 June 2020 for 120 practitioners"
    assert register["by_priority"]["domestic-abuse"] == "1485.00"  # 1,035.00 in 2019/20 + 450.00


def test_project_spend_without_a_project_is_refused_naming_the_projects(ledger_copy, kcst) -> None:
    """A forgotten --project is a slip caught before anything is written: the message says
    which project pays on that account and lists the others."""
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "spend", "--account", "Expenses:Projects:Conference", "--amount", "90",
               "--date", "2020-05-12", "--payee", "Venue Ltd", "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert run.stderr.startswith("kcst: --project: spend on Expenses:Projects:Conference is "
                                 "project work and names the project it pays for")
    assert "did you mean P-2019-02 (Kent Community Safety Conference 2019), whose spend goes " \
           "to this account?" in run.stderr
    assert "P-2019-01 (DHR lessons-learnt seminars 2019/20)" in run.stderr
    assert "--no-project" in run.stderr and run.stderr.endswith("nothing was written\n")
    assert folder_digest(ledger_copy.parent) == before


def test_no_project_records_the_spend_as_a_project_link_breach(ledger_copy, kcst) -> None:
    argv = ("record", "spend", "--account", "Expenses:Projects:Conference", "--amount", "90",
            "--date", "2020-05-12", "--payee", "Venue Ltd", "--no-project", "--ledger",
            ledger_copy)
    before = folder_digest(ledger_copy.parent)
    strict = kcst(*argv, "--strict")
    assert strict.exit_code == 2
    assert "[project-link cl. 10.3; CSA audit recommendation]" in strict.stderr
    assert folder_digest(ledger_copy.parent) == before
    run = kcst(*argv)
    assert run.exit_code == 1
    assert "!! breach: " in run.stderr and "cites no project" in run.stderr
    spend = next(m for m in load_books(ledger_copy).movements if m.date.isoformat() == "2020-05-12")
    assert spend.project is None and spend.spend == (("Expenses:Projects:Conference",
                                                      Decimal("90.00")),)


@pytest.mark.parametrize(("argv", "said"), [
    (("spend", "--account", "Expenses:Projects:Conference", "--amount", "90", "--date",
      "2020-05-12", "--payee", "Venue Ltd", "--project", "P-2019-2"),
     "--project: 'P-2019-2' is no project in the ledger; did you mean P-2019-02 (Kent Community "
     "Safety Conference 2019)? (projects: P-2019-03 (Online safety awareness course), "
     "P-2019-02 (Kent Community Safety Conference 2019), P-2019-01 (DHR lessons-learnt "
     "seminars 2019/20)); nothing was written"),
    (("spend", "--account", "Expenses:Projects:Conference", "--amount", "90", "--date",
      "2020-05-12", "--payee", "Venue Ltd", "--project", "online safety course"),
     "--project: 'online safety course' is no project in the ledger; did you mean P-2019-03 "
     "(Online safety awareness course)?"),
    (("spend", "--account", "Expenses:Projects:Conference", "--amount", "90", "--date",
      "2020-05-12", "--payee", "Venue Ltd", "--project", "P-2019-02", "--no-project"),
     "--no-project: cannot be given with --project"),
    (("spend", "--account", "Expenses:Staff:Admin", "--amount", "90", "--date", "2020-05-12",
      "--payee", "KCC", "--no-project"),
     "--no-project: Expenses:Staff:Admin is not an Expenses:Projects account"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "1200", "--priority",
      "Domestic abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--priority: 'Domestic abuse' is no priority of the Community Safety Agreement in the "
     "ledger; did you mean domestic-abuse (Domestic Abuse)? (priorities: domestic-abuse, "
     "anti-social-behaviour,"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "1200", "--priority",
      "road safety education", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--priority: 'road safety education' is no priority of the Community Safety Agreement "
     "in the ledger; did you mean road-safety (Road Safety)?"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "1200", "--priority",
      "domestic-abuse", "--decision", "D-2019-1-2", "--date", "2020-05-07"),
     "--decision: 'D-2019-1-2' is no decision in the ledger; did you mean D-2019-01-2? "
     "(decisions: D-2019-05-1, D-2019-01-2, D-2019-01-1, D-2018-05-1); record the SMT's "
     "decision approving the project first (kcst record decision)"),
    (("project", "--id", "P-2019-01", "--title", "Seminars", "--budget", "1200", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--id: project P-2019-01 is already recorded at "),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "-1200", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--budget: '-1200' is not positive"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "0.00", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--budget: '0.00' is zero"),
    (("project", "--id", "P 2020 01", "--title", "Seminars", "--budget", "100", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07"),
     "--id: 'P 2020 01' is not an id like P-2020-01"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "100", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07", "--ends",
      "2020-04-30"),
     "--ends: 2020-04-30 is before the project starts (2020-05-07)"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "100", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2020-05-07", "--ends",
      "2020-02-30"),
     "--ends: '2020-02-30' is not a real date"),
    (("project", "--id", "P-2020-01", "--title", "Seminars", "--budget", "100", "--priority",
      "domestic-abuse", "--decision", "D-2019-01-2", "--date", "2019-05-07"),
     "--date: 2019-05-07 is in 2019/20, which is closed"),
    (("outcome", "--project", "P-2019-4", "--text", "Done", "--date", "2020-05-07"),
     "--project: 'P-2019-4' is no project in the ledger; did you mean P-2019-03"),
    (("outcome", "--project", "P-2019-03", "--text", "Done", "--date", "2020-07-01"),
     "--date: 2020-07-01 is in the future (today is 2020-06-30)"),
    (("outcome", "--project", "P-2019-03", "--text", "", "--date", "2020-05-07"),
     "--text: is empty"),
])
def test_a_refused_project_entry_names_its_argument_and_writes_nothing(
        ledger_copy, kcst, argv, said) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", *argv, "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert run.stderr.startswith(f"kcst: {said}"), run.stderr
    assert "Traceback" not in run.output
    assert folder_digest(ledger_copy.parent) == before


def test_an_outcome_before_its_project_starts_is_refused(ledger_copy, kcst) -> None:
    approve(kcst, ledger_copy)
    assert kcst("record", "project", "--id", "P-2020-01", "--title", "Seminars", "--budget",
                "100", "--priority", "domestic-abuse", "--decision", "D-2020-05-2", "--date",
                "2020-05-07", "--ledger", ledger_copy).exit_code == 0
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "outcome", "--project", "P-2020-01", "--text", "Done", "--date",
               "2020-05-06", "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert run.stderr == ("kcst: --date: 2020-05-06 is before project P-2020-01 starts "
                          "(2020-05-07); its outcome is recorded once the work is done; "
                          "nothing was written\n")
    assert folder_digest(ledger_copy.parent) == before


# ---- kcst import: the mapping names the project ---------------------------------------------

EXPORT = ("Transaction Date,Cost Centre,Subjective,Description,Supplier/Customer,Amount,"
          "Transaction Ref\n"
          "12/05/2020,KC4414,5102,Conference final invoice,Venue Ltd,90.00,AP200512-0001\n"
          "14/05/2020,KC4413,0101,Salary KCST Coordinator May 2020,KFRS Payroll,"
          "\"3,012.40\",PY2005-KC4413-0101\n")


def mapped(ledger: Path, line: str, header: str = "cost_centre,subjective,kind,target,note,"
           "project") -> Path:
    """The bundled mapping with ``header`` and one more ``line``; the export beside it."""
    mapping = ledger.parent / "import-map.csv"
    rows = mapping.read_text().splitlines()[1:]
    mapping.write_text("\n".join([header, *rows, line]) + "\n")
    export = ledger.parent / "import" / "kfrs-ledger-2020-05.csv"
    export.write_text(EXPORT)
    return export


def test_a_mapping_with_a_project_column_imports_project_spend_citing_it(ledger_copy,
                                                                         kcst) -> None:
    export = mapped(ledger_copy, "KC4414,5102,spend,Expenses:Projects:Conference,"
                    "Community safety conference 2019,P-2019-02")
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    text = (ledger_copy.parent / "2020-21.beancount").read_text()
    assert ('2020-05-12 * "Venue Ltd" "Conference final invoice"\n'
            '  ref: "AP200512-0001"\n'
            '  imported: "kfrs-ledger-2020-05.csv:2"\n'
            '  project: "P-2019-02"\n'
            "  Expenses:Projects:Conference                 90.00 GBP\n") in text
    assert "project:" not in text.split("PY2005-KC4413-0101")[1]  # the other lines as before
    books = load_books(ledger_copy)
    assert books.errors == ()
    register = json.loads(kcst("projects", "--ledger", ledger_copy, "--format",
                               "json").stdout)
    assert next(p for p in register["projects"] if p["id"] == "P-2019-02")["spent"] == "1500.00"


def test_a_mapping_of_five_columns_still_reads(ledger_copy, kcst) -> None:
    export = mapped(ledger_copy, "KC4414,5102,spend,Expenses:Staff:Admin,Recharge",
                    header="cost_centre,subjective,kind,target,note")
    run = kcst("import", export, "--ledger", ledger_copy, "--dry-run")
    assert run.exit_code == 1, run.output  # the Admin post's fixed term ended: post-term
    assert "would add 2 row(s)" in run.stdout and "project:" not in run.stdout


@pytest.mark.parametrize(("line", "said"), [
    ("KC4414,5102,spend,Expenses:Projects:Conference,Conference,P-2019-2",
     "kfrs-ledger-2020-05.csv:2: maps to project P-2019-2 (mapping line 9), which is not in the "
     "ledger; did you mean P-2019-02? (projects: P-2019-03, P-2019-02, P-2019-01); record the "
     "project first (kcst record project), or correct the mapping"),
    ("KC4414,5102,spend,Expenses:Projects:Conference,Conference,",
     "import-map.csv:9: spend on Expenses:Projects:Conference is project work and names the "
     "project its rows pay for (contract section 8): give its id in the project column"),
    ("KC4414,5102,contribution,KP,Contribution,P-2019-02",
     "import-map.csv:9: a contribution pays for no project: leave its project column empty"),
])
def test_a_project_mapping_that_cannot_be_followed_stops_the_import(ledger_copy, kcst, line,
                                                                    said) -> None:
    export = mapped(ledger_copy, line)
    before = folder_digest(ledger_copy.parent)
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert said in run.stderr, run.stderr
    assert "Traceback" not in run.output
    assert folder_digest(ledger_copy.parent) == before


def test_none_in_the_project_column_imports_project_work_as_a_breach(ledger_copy, kcst) -> None:
    export = mapped(ledger_copy, "KC4414,5102,spend,Expenses:Projects:Conference,"
                    "Unapproved project work,none")
    run = kcst("import", export, "--ledger", ledger_copy)
    assert run.exit_code == 1, run.output
    assert "!! breach: " in run.stderr and "cites no project" in run.stderr
    assert load_books(ledger_copy).errors == ()
