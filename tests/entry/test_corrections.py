"""Contract section 7 through ``kcst record``: corrections without hand-editing (reversals,
refunds, recoveries), duplicates, dates in the future, and new findings counted by rule,
entry and severity. Each on a copy of the bundled ledger, whose FYs to 2019/20 are sealed,
with today pinned to 30 June 2020."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kcst_budget.books import load_books
from tests.entry.conftest import folder_digest

TODAY = "2020-06-30"
HOT_DESKS = ("record", "spend", "--account", "Expenses:Accommodation:HotDesking", "--amount",
             "250.00", "--date", "2020-05-21")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCST_TODAY", TODAY)


def fy_text(ledger: Path) -> str:
    return (ledger.parent / "2020-21.beancount").read_text()


# ---- New findings: by rule, entry and severity, never by message text -----------------------

def test_a_second_identical_breach_is_new_and_strict_refuses_it(ledger_copy: Path, kcst) -> None:
    # cl. 10.3: hot-desking spend needs the SMT's prior approval. The second spend breaches
    # the clause in the very words of the first: it is still a new breach.
    first = kcst(*HOT_DESKS, "--payee", "Office Works Ltd", "--ledger", ledger_copy)
    assert first.exit_code == 1, first.output
    before = folder_digest(ledger_copy.parent)
    strict = kcst(*HOT_DESKS, "--payee", "Desks R Us", "--strict", "--ledger", ledger_copy)
    assert strict.exit_code == 2, strict.output
    assert strict.stderr.startswith(
        f"kcst: --strict: the entry breaches the MoU: {ledger_copy.parent / '2020-21.beancount'}:7: "
        "[prior-approval cl. 10.3] £250.00 on Expenses:Accommodation:HotDesking cites no decision "
        "of the SMT")
    assert folder_digest(ledger_copy.parent) == before

    second = kcst(*HOT_DESKS, "--payee", "Desks R Us", "--ledger", ledger_copy)
    assert second.exit_code == 1, second.output
    assert "!! BREACH: recorded, but it breaks the MoU (1 new breach)" in second.stderr
    assert "2020-21.beancount:7: [prior-approval cl. 10.3]" in second.stderr
    # the first breach is not new: it stands at line 3, and only line 8 is reported
    assert "2020-21.beancount:3" not in second.stderr


# ---- Duplicates -------------------------------------------------------------------------------

def test_an_exact_duplicate_is_refused_naming_the_first_entry(ledger_copy: Path, kcst) -> None:
    contribution = ("record", "contribution", "--partner", "KCC", "--amount", "16000.00",
                    "--date", "2020-05-01", "--ledger", ledger_copy)
    assert kcst(*contribution).exit_code == 0
    before = folder_digest(ledger_copy.parent)
    again = kcst(*contribution)
    assert again.exit_code == 2, again.output
    assert again.stderr == (
        "kcst: --partner, --amount, --date: a contribution of £16,000.00 from KCC on 2020-05-01 "
        f"is already in the ledger at {ledger_copy.parent / '2020-21.beancount'}:3; it looks like "
        "the same entry twice, so it was not recorded: if it really is a second contribution, "
        "record it again with --allow-duplicate; nothing was written\n")
    assert folder_digest(ledger_copy.parent) == before

    allowed = kcst(*contribution, "--allow-duplicate")
    assert allowed.exit_code == 0, allowed.output
    assert fy_text(ledger_copy).count("Contribution 2020/21") == 2


def test_a_duplicate_spend_meeting_and_notice_are_refused(ledger_copy: Path, kcst) -> None:
    steps = [
        (*HOT_DESKS, "--payee", "Office Works Ltd", "--decision", "D-2019-01-1"),
        ("record", "meeting", "--date", "2020-05-07", "--attendance",
         "kcc=present,kfrs=present,kp=present"),
        ("record", "notice", "--partner", "KP", "--date", "2020-06-01", "--effective",
         "2020-09-30"),
    ]
    for step in steps:
        assert kcst(*step, "--ledger", ledger_copy).exit_code in (0, 1)
    for step, said in zip(steps, ("a spend of £250.00 on Expenses:Accommodation:HotDesking to "
                                  "the same payee on 2020-05-21", "a meeting of the SMT on "
                                  "2020-05-07", "a notice of withdrawal by KP given on 2020-06-01"),
                          strict=True):
        before = folder_digest(ledger_copy.parent)
        # the payee in other capitals is the same payee
        typed = [a.upper() if a == "Office Works Ltd" else a for a in step]
        again = kcst(*typed, "--ledger", ledger_copy)
        assert again.exit_code == 2, again.output
        assert f"{said} is already in the ledger at" in again.stderr
        assert folder_digest(ledger_copy.parent) == before


def test_a_ref_already_in_the_ledger_is_refused_even_with_allow_duplicate(ledger_copy: Path,
                                                                          kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "contribution", "--partner", "KP", "--amount", "5", "--date",
               "2020-05-01", "--ref", "KFRS-PAY-COORD-2003", "--allow-duplicate",
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--ref: 'KFRS-PAY-COORD-2003' is already in the ledger at" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


# ---- Reversals -------------------------------------------------------------------------------

def test_a_reversal_cancels_the_entry_and_the_books_stay_valid(ledger_copy: Path, kcst) -> None:
    kcst(*HOT_DESKS, "--payee", "Office Works Ltd", "--ref", "AP200521-0032",
         "--ledger", ledger_copy)
    run = kcst("record", "reverse", "--ref", "AP200521-0032", "--date", "2020-05-22",
               "--narration", "Entered without the SMT's decision: reversed", "--ledger",
               ledger_copy)
    assert run.exit_code == 0, run.output
    assert fy_text(ledger_copy).endswith(
        '2020-05-22 * "Office Works Ltd" "Entered without the SMT\'s decision: reversed"\n'
        '  reverses: "AP200521-0032"\n'
        "  Expenses:Accommodation:HotDesking          -250.00 GBP\n"
        "  Assets:KFRS:KCST-Pool                       250.00 GBP\n")
    books = load_books(ledger_copy)
    assert books.errors == ()
    # neither counts: the pool stands as it did at the year end, and no rule judges them
    assert books.balance_on(datetime.date(2020, 6, 30)) == Decimal("370.00")
    assert [m for m in books.movements if m.date.year == 2020 and m.date.month == 5] == []
    check = kcst("check", "--ledger", ledger_copy)
    assert check.exit_code == 0, check.output
    assert "prior-approval" not in check.output


def test_an_entry_is_reversed_once_and_an_unknown_ref_is_named(ledger_copy: Path, kcst) -> None:
    kcst("record", "contribution", "--partner", "KP", "--amount", "8000", "--date", "2020-05-01",
         "--ref", "AR200501-0001", "--ledger", ledger_copy)
    assert kcst("record", "reverse", "--ref", "AR200501-0001", "--date", "2020-05-02",
                "--ledger", ledger_copy).exit_code == 0
    before = folder_digest(ledger_copy.parent)
    twice = kcst("record", "reverse", "--ref", "AR200501-0001", "--date", "2020-05-03",
                 "--ledger", ledger_copy)
    assert twice.exit_code == 2
    assert "--ref: AR200501-0001 (" in twice.stderr
    assert "is already reversed at " in twice.stderr and "an entry is reversed only once" in twice.stderr
    mistyped = kcst("record", "reverse", "--ref", "AR20050-0001", "--date", "2020-05-03",
                    "--ledger", ledger_copy)
    assert mistyped.exit_code == 2
    assert ("--ref: 'AR20050-0001' is no entry's ref in the ledger; did you mean AR200501-0001?"
            in mistyped.stderr)
    assert folder_digest(ledger_copy.parent) == before


def test_an_entry_in_a_sealed_year_is_not_reversed_but_corrected_in_the_current_fy(
        ledger_copy: Path, kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "reverse", "--ref", "KFRS-PAY-COORD-2003", "--date", "2020-05-22",
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert ("is dated 2020-03-25, sealed by the year-end of 2019/20" in run.stderr
            and "a sealed year is never changed, not even by a reversal; correct it with a new "
                "entry in the current FY instead, e.g. a spend with a negative --amount and "
                "--narration saying why; nothing was written" in run.stderr)
    assert folder_digest(ledger_copy.parent) == before
    # the correction the message asks for
    fixed = kcst("record", "spend", "--account", "Expenses:Staff:Coordinator", "--amount",
                 "-150.00", "--date", "2020-05-22", "--payee", "KFRS Payroll", "--narration",
                 "Correction of KFRS-PAY-COORD-2003: overtime paid twice", "--ledger", ledger_copy)
    assert fixed.exit_code == 0, fixed.output
    books = load_books(ledger_copy)
    assert books.errors == ()
    assert books.balance_on(datetime.date(2020, 5, 31)) == Decimal("520.00")


def test_a_reversal_dated_before_its_entry_is_refused(ledger_copy: Path, kcst) -> None:
    kcst("record", "contribution", "--partner", "KP", "--amount", "8000", "--date", "2020-05-10",
         "--ref", "AR200510-0001", "--ledger", ledger_copy)
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "reverse", "--ref", "AR200510-0001", "--date", "2020-05-09",
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--date: 2020-05-09 is before the entry it reverses (2020-05-10, " in run.stderr
    assert folder_digest(ledger_copy.parent) == before


# ---- Refunds and recoveries ---------------------------------------------------------------------

def test_a_refund_to_a_partner_is_recorded_with_a_reason_and_stays_a_breach(ledger_copy: Path,
                                                                           kcst) -> None:
    run = kcst("record", "contribution", "--partner", "KP", "--amount", "-500.00", "--date",
               "2020-05-21", "--narration", "Refund of overpayment AR200417-0140",
               "--ledger", ledger_copy)
    assert run.exit_code == 1, run.output
    assert fy_text(ledger_copy).endswith(
        '2020-05-21 * "Kent Police" "Refund of overpayment AR200417-0140"\n'
        "  Assets:KFRS:KCST-Pool                      -500.00 GBP\n"
        "  Income:Contributions:KP                     500.00 GBP\n")
    assert "[roll-forward cl. 8.2] £500.00 left the pool to KP on 21 May 2020 other than as a " \
           "withdrawal by KP" in run.stderr
    books = load_books(ledger_copy)
    assert books.errors == ()
    assert books.net_contributions("KP", datetime.date(2020, 4, 1),
                                   datetime.date(2020, 6, 30)) == Decimal("-500.00")


def test_a_credit_note_is_a_negative_spend_with_a_reason(ledger_copy: Path, kcst) -> None:
    run = kcst("record", "spend", "--account", "Expenses:Staff:Admin", "--amount", "-120.00",
               "--date", "2020-05-23", "--payee", "Kent County Council", "--narration",
               "Credit note CN-0042: recharge overstated", "--ledger", ledger_copy)
    assert run.exit_code == 0, run.output
    books = load_books(ledger_copy)
    assert books.errors == ()
    assert books.balance_on(datetime.date(2020, 5, 31)) == Decimal("490.00")


@pytest.mark.parametrize("kind", ["contribution", "spend"])
def test_a_negative_amount_without_a_reason_is_refused(ledger_copy: Path, kcst, kind: str) -> None:
    argv = (("record", "contribution", "--partner", "KP") if kind == "contribution" else
            ("record", "spend", "--account", "Expenses:Staff:Admin", "--payee", "KCC"))
    before = folder_digest(ledger_copy.parent)
    run = kcst(*argv, "--amount", "-120.00", "--date", "2020-05-23", "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--amount: '-120.00' is negative: " in run.stderr
    assert "is recorded only with --narration saying why; to take back an entry made by " \
           "mistake, use kcst record reverse --ref" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


# ---- Dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2020-07-01", "2027-01-01", "9999-12-31"])
def test_no_entry_is_dated_after_today(ledger_copy: Path, kcst, date: str) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst("record", "contribution", "--partner", "KP", "--amount", "10", "--date", date,
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert run.stderr == (f"kcst: --date: {date} is in the future (today is {TODAY}); the books "
                          "record what has happened: check the year, or record it on the day; "
                          "nothing was written\n")
    assert folder_digest(ledger_copy.parent) == before


def test_a_notice_may_take_effect_in_the_future_up_to_the_term_end_plus_notice(
        ledger_copy: Path, kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    late = kcst("record", "notice", "--partner", "KP", "--date", "2020-06-01", "--effective",
                "2021-06-01", "--ledger", ledger_copy)
    assert late.exit_code == 2
    assert ("--effective: 2021-06-01 is after 2020-09-30, the end of MoU 2018-2020 (31 March "
            "2020) plus its notice period of 6 months: check the year") in late.stderr
    assert folder_digest(ledger_copy.parent) == before
    run = kcst("record", "notice", "--partner", "KP", "--date", "2020-06-01", "--effective",
               "2020-09-30", "--to-smt", "--to-kcsp-chair", "--ledger", ledger_copy)
    assert run.exit_code in (0, 1), run.output
    assert '2020-06-01 custom "kcst-withdrawal-notice" "KP" 2020-09-30' in fy_text(ledger_copy)


# ---- Dry runs ---------------------------------------------------------------------------------

def test_a_dry_run_says_would_and_never_recorded(ledger_copy: Path, kcst) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst(*HOT_DESKS, "--payee", "Office Works Ltd", "--dry-run", "--ledger", ledger_copy)
    assert run.exit_code == 1, run.output
    assert run.stdout.startswith(f"would write {ledger_copy.parent / '2020-21.beancount'}")
    assert "!! BREACH: this entry would break the MoU (1 new breach):" in run.stderr
    assert run.stdout.endswith("dry run: would record 1 entry; nothing was written\n")
    assert "recorded" not in run.output
    assert folder_digest(ledger_copy.parent) == before
