"""``kcst record``: each kind of entry lands in its FY's file and the ledger stays valid."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from kcst_budget.books import load_books
from tests.entry.conftest import folder_digest


def test_contribution_lands_in_a_new_fy_file_included_by_the_main_file(ledger_copy: Path, kcst) -> None:
    run = kcst("record", "contribution", "--partner", "KP", "--amount", "16,000.00",
               "--date", "2020-04-18", "--ref", "AR200418-0001", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    fy_file = ledger_copy.parent / "2020-21.beancount"
    assert 'include "2020-21.beancount"' in ledger_copy.read_text().splitlines()
    assert fy_file.read_text().endswith(
        '2020-04-18 * "Kent Police" "Contribution 2020/21 (cl. 8.2)"\n'
        '  ref: "AR200418-0001"\n'
        "  Assets:KFRS:KCST-Pool                     16000.00 GBP\n"
        "  Income:Contributions:KP                  -16000.00 GBP\n")
    assert "Contribution 2020/21" in run.stdout
    books = load_books(ledger_copy)
    assert books.errors == ()
    assert books.net_contributions("KP", datetime.date(2020, 4, 1), datetime.date(2020, 4, 30)) \
        == Decimal("16000.00")
    # the MoU ended on 31 March 2020: the money moved under no agreement (a warning, cl. 3.1)
    assert "[term cl. 3.1]" in run.stderr


def test_a_second_entry_of_the_fy_goes_to_the_same_file_with_one_include(ledger_copy: Path,
                                                                         kcst) -> None:
    for day in ("2020-04-18", "2020-04-19"):
        run = kcst("record", "contribution", "--partner", "KCC", "--amount", "100",
                   "--date", day, "--ledger", ledger_copy)
        assert run.exit_code == 0, run.output
    assert ledger_copy.read_text().count('include "2020-21.beancount"') == 1
    assert (ledger_copy.parent / "2020-21.beancount").read_text().count("Contribution 2020/21") == 2
    assert load_books(ledger_copy).errors == ()


def test_spend_on_a_post_lands_with_its_ref_and_default_narration(ledger_copy: Path, kcst) -> None:
    run = kcst("record", "spend", "--account", "Expenses:Staff:Coordinator", "--amount", "3750.00",
               "--date", "2020-04-25", "--payee", "KFRS Payroll", "--ref", "KFRS-PAY-COORD-2004",
               "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    books = load_books(ledger_copy)
    assert books.errors == ()
    movement = next(m for m in books.movements if m.ref == "KFRS-PAY-COORD-2004")
    assert movement.spend == (("Expenses:Staff:Coordinator", Decimal("3750.00")),)
    assert movement.narration == "KCST Coordinator, April 2020"
    assert books.balance_on(datetime.date(2020, 4, 25)) == books.balance_on(
        datetime.date(2020, 3, 31)) - Decimal("3750.00")


def test_meeting_decision_and_notice_land_as_governance_records(ledger_copy: Path, kcst) -> None:
    # the MoU ended on 31 March 2020: a decision after it was taken under no agreement in
    # force (decision-quorate, exit 1); the meeting and the notice break nothing new
    steps = [
        (0, ("record", "meeting", "--date", "2020-05-07", "--attendance",
             "kcc=present,kfrs=present,kp=deputy", "--budget-reviewed", "--performance-report")),
        (1, ("record", "decision", "--date", "2020-05-07", "--id", "D-2020-05-1",
             "--text", 'Desks at "Loose Road"', "--limit", "1,500.00")),
        (0, ("record", "notice", "--partner", "kp", "--date", "2020-06-01",
             "--effective", "2020-12-31", "--to-smt", "--to-kcsp-chair")),
    ]
    for code, step in steps:
        run = kcst(*step, "--ledger", ledger_copy)
        assert run.exit_code == code, run.output
    terms = load_books(ledger_copy).terms
    meeting = next(m for m in terms.meetings if m.date == datetime.date(2020, 5, 7))
    assert meeting.attendance == (("KCC", "present"), ("KFRS", "present"), ("KP", "deputy"))
    assert meeting.budget_reviewed and meeting.performance_report
    decision = terms.decision("D-2020-05-1")
    assert decision is not None and decision.limit == Decimal("1500.00")
    assert decision.text == 'Desks at "Loose Road"'
    notice = next(n for n in terms.notices if n.date == datetime.date(2020, 6, 1))
    assert (notice.partner, notice.effective, notice.to_smt, notice.to_kcsp_chair) == (
        "KP", datetime.date(2020, 12, 31), True, True)


def test_spend_citing_the_decision_is_recorded_without_a_breach(ledger_copy: Path, kcst) -> None:
    meeting = kcst("record", "meeting", "--date", "2020-05-07", "--attendance",
                   "kcc=present,kfrs=present,kp=present", "--budget-reviewed", "--ledger",
                   ledger_copy)
    assert meeting.exit_code == 0, meeting.output
    decision = kcst("record", "decision", "--date", "2020-05-07", "--id", "D-2020-05-1",
                    "--text", "Desks", "--limit", "1500", "--ledger", ledger_copy)
    assert decision.exit_code == 1, decision.output  # no agreement in force after March 2020
    assert "[decision-quorate cl. 4.1]" in decision.stderr
    run = kcst("record", "spend", "--account", "Expenses:Accommodation:HotDesking", "--amount",
               "1200.00", "--date", "2020-05-20", "--payee", "Office Works Ltd",
               "--decision", "D-2020-05-1", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    assert "prior-approval" not in run.output


def test_a_breach_is_recorded_but_shown_loudly(ledger_copy: Path, kcst) -> None:
    # cl. 10.3: hot-desking spend needs the SMT's prior approval; the record is a fact
    run = kcst("record", "spend", "--account", "Expenses:Accommodation:HotDesking", "--amount",
               "250.00", "--date", "2020-05-20", "--payee", "Office Works Ltd",
               "--ledger", ledger_copy)
    assert run.exit_code == 1
    assert "!! BREACH" in run.stderr
    assert "[prior-approval cl. 10.3]" in run.stderr
    assert "2020-21.beancount:3" in run.stderr
    assert "Office Works Ltd" in (ledger_copy.parent / "2020-21.beancount").read_text()


def test_strict_refuses_a_breach_and_writes_nothing(ledger_copy: Path, kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "spend", "--account", "Expenses:Accommodation:HotDesking", "--amount",
               "250.00", "--date", "2020-05-20", "--payee", "Office Works Ltd", "--strict",
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--strict" in run.stderr and "prior-approval" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_an_inquorate_meeting_is_recorded_with_its_breach(ledger_copy: Path, kcst) -> None:
    # cl. 4.1 (in the MoU's term): Kent Police neither present nor deputised
    fy_file = ledger_copy.parent / "2019-20.beancount"
    # the FY 2019/20 is closed; write into a ledger without its year-end record
    text = fy_file.read_text()
    fy_file.write_text(text[:text.index('2020-03-31 custom "kcst-year-end"')])
    run = kcst("record", "meeting", "--date", "2020-03-19", "--attendance",
               "kcc=present,kfrs=present,kp=apologies", "--budget-reviewed",
               "--ledger", ledger_copy)
    assert run.exit_code == 1, run.output
    assert "[quorum cl. 4.1]" in run.stderr
    assert 'kp: "apologies"' in fy_file.read_text()


def test_an_fy_file_left_without_entries_and_not_included_is_taken_into_the_ledger(
        ledger_copy: Path, kcst) -> None:
    # What a writer killed while creating the FY's file leaves: its header, no include.
    fy_file = ledger_copy.parent / "2020-21.beancount"
    fy_file.write_text("; FY 2020/21: entries recorded with kcst record and kcst import.\n")
    run = kcst("record", "contribution", "--partner", "KCC", "--amount", "100",
               "--date", "2020-04-18", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    assert ledger_copy.read_text().count('include "2020-21.beancount"') == 1
    assert fy_file.read_text().startswith("; FY 2020/21: entries recorded with kcst record")
    assert load_books(ledger_copy).errors == ()
