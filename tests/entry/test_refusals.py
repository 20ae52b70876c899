"""Every refusal of ``kcst record``: exit 2, a message naming the argument, and every file
of the ledger folder byte-for-byte unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.entry.conftest import folder_digest

CONTRIBUTION = ("record", "contribution", "--partner", "KP", "--date", "2020-04-18")
SPEND = ("record", "spend", "--account", "Expenses:Staff:Coordinator", "--amount", "3750.00",
         "--payee", "KFRS Payroll")
MEETING = ("record", "meeting", "--date", "2020-05-07")

REFUSALS = [
    # (what the finance officer typed, a fragment the message must contain)
    ((*CONTRIBUTION[:3], "XYZ", *CONTRIBUTION[4:], "--amount", "10"),
     "--partner: 'XYZ' is no partner"),
    ((*SPEND, "--date", "2020-04-25", "--account", "Expenses:Staff:Nobody"),
     "--account: account Expenses:Staff:Nobody is not opened"),
    ((*SPEND, "--date", "2020-04-25", "--account", "Assets:KFRS:KCST-Pool"),
     "--account: 'Assets:KFRS:KCST-Pool' is not an Expenses: account; pool spend is charged to "
     "an expense account (the expense accounts open on 2020-04-25: "
     "Expenses:Accommodation:HotDesking, Expenses:Projects:Conference, "
     "Expenses:Projects:DHRSeminars, Expenses:Projects:OnlineSafety, Expenses:Staff:Admin, "
     "Expenses:Staff:Analyst, "
     "Expenses:Staff:Coordinator)"),
    ((*SPEND, "--date", "2020-04-25", "--account", "Expenses:Staff:Coordinater"),
     "--account: account Expenses:Staff:Coordinater is not opened in the ledger; did you mean "
     "Expenses:Staff:Coordinator? (the expense accounts open on 2020-04-25: "
     "Expenses:Accommodation:HotDesking, Expenses:Projects:Conference, "
     "Expenses:Projects:DHRSeminars, Expenses:Projects:OnlineSafety, Expenses:Staff:Admin, "
     "Expenses:Staff:Analyst, Expenses:Staff:Coordinator)"),
    ((*SPEND, "--date", "2020-04-25", "--account", "expenses:staff:coordinator"),
     "--account: account expenses:staff:coordinator is not opened in the ledger; did you mean "
     "Expenses:Staff:Coordinator? (account names are written with capitals, as in the books)"),
    ((*SPEND, "--date", "2020-04-25", "--decision", "D-2019-1-1"),
     "--decision: 'D-2019-1-1' is no decision in the ledger; did you mean D-2019-01-1? "
     "(decisions: D-2019-05-1, D-2019-01-2, D-2019-01-1, D-2018-05-1); record the SMT's decision first"),
    ((*CONTRIBUTION[:3], "KPP", *CONTRIBUTION[4:], "--amount", "10"),
     "--partner: 'KPP' is no partner of the agreement; did you mean KP? (partners: KCC, KFRS, KP)"),
    ((*CONTRIBUTION[:3], "kent police", *CONTRIBUTION[4:], "--amount", "10"),
     "--partner: 'kent police' is no partner of the agreement; did you mean KP (Kent Police)?"),
    ((*MEETING, "--attendance", "kcc=present,kfrs=present,kp=aplogies"),
     "--attendance: kp='aplogies' is not one of present, deputy, apologies, absent (did you mean "
     "apologies?)"),
    ((*MEETING, "--attendance", "kcc=present,kfrs=present,kpp=present"),
     "--attendance: 'kpp' is no partner of the agreement; did you mean kp? (partners: kcc, kfrs, kp)"),
    ((*SPEND, "--date", "2020-04-25", "--decision", "D-1999-01-1"),
     "--decision: 'D-1999-01-1' is no decision"),
    ((*CONTRIBUTION, "--amount", "0"), "--amount: '0' is zero"),
    ((*CONTRIBUTION, "--amount", "0.00"), "--amount: '0.00' is zero"),
    ((*CONTRIBUTION, "--amount", "-16000.00"), "--amount: '-16000.00' is negative"),
    ((*SPEND, "--date", "2020-04-25", "--amount", "-3750.00"), "--amount: '-3750.00' is negative: "
     "a recovery or a credit note from the payee is recorded only with --narration saying why"),
    ((*CONTRIBUTION, "--amount", "sixteen thousand"), "--amount: 'sixteen thousand' is not an amount"),
    ((*CONTRIBUTION, "--amount", "16000.00 EUR"), "is not in GBP"),
    ((*CONTRIBUTION, "--amount", "$16000"), "is not in GBP"),
    ((*CONTRIBUTION, "--amount", "16000.005"), "more than two decimals"),
    ((*CONTRIBUTION, "--amount", "1,60,00.00"), "misplaced thousands separators"),
    ((*CONTRIBUTION, "--amount", "NaN"), "--amount: 'NaN' is not an amount"),
    (("record", "contribution", "--partner", "KP", "--amount", "10", "--date", "2020-02-30"),
     "--date: '2020-02-30' is not a real date"),
    (("record", "contribution", "--partner", "KP", "--amount", "10", "--date", "18/04/2020"),
     "--date: '18/04/2020' is not a date like"),
    ((*MEETING, "--attendance", "kcc=present,kfrs=present,kp=asleep"),
     "--attendance: kp='asleep' is not one of present, deputy, apologies, absent"),
    ((*MEETING, "--attendance", "kcc=present,nhs=present"), "--attendance: 'nhs' is no partner"),
    ((*MEETING, "--attendance", "kcc=present,kcc=absent"), "--attendance: kcc is given twice"),
    ((*MEETING, "--attendance", "kcc"), "--attendance: 'kcc' is not partner=value"),
    ((*CONTRIBUTION, "--amount", "10", "--ref", "KFRS-AR-1920-001"),
     "--ref: 'KFRS-AR-1920-001' is already in the ledger at"),
    ((*SPEND, "--date", "2020-04-25", "--ref", "KFRS-PAY-COORD-2003"),
     "--ref: 'KFRS-PAY-COORD-2003' is already in the ledger"),
    (("record", "contribution", "--partner", "KP", "--amount", "10", "--date", "2019-06-01"),
     "--date: 2019-06-01 is in 2019/20, which is closed"),
    ((*SPEND, "--date", "2018-04-25"), "--date: 2018-04-25 is in 2018/19, which is closed"),
    (("record", "decision", "--date", "2020-05-07", "--id", "D-2019-01-1", "--text", "again"),
     "--id: decision D-2019-01-1 is already recorded"),
    (("record", "decision", "--date", "2020-05-07", "--id", "D 1", "--text", "x"),
     "--id: 'D 1' is not an id"),
    (("record", "decision", "--date", "2020-05-07", "--id", "D-2020-05-1", "--text", "x",
      "--limit", "-5"), "--limit: '-5' is not positive"),
    (("record", "notice", "--partner", "KP", "--date", "2020-06-01", "--effective", "2020-05-01"),
     "--effective: 2020-05-01 is before the notice was given"),
    (("record", "notice", "--partner", "NHS", "--date", "2020-06-01", "--effective", "2020-12-31"),
     "--partner: 'NHS' is no partner"),
    (("record", "notice", "--partner", "KP", "--date", "2020-06-01", "--effective", "2020-13-01"),
     "--effective: '2020-13-01' is not a real date"),
    ((*SPEND, "--date", "2020-04-25", "--payee", "   "), "--payee: is empty"),
    ((*SPEND, "--date", "2020-04-25", "--narration", "two\nlines"), "--narration: must be one line"),
    (("record", "spend", "--account", "Expenses:Staff:Coordinator", "--amount", "1",
      "--payee", "X", "--date", "2017-12-31"),
     "--account: account Expenses:Staff:Coordinator opens on 2018-01-01, after 2017-12-31"),
]


@pytest.mark.parametrize(("argv", "message"), REFUSALS, ids=[m for _, m in REFUSALS])
def test_refused_with_exit_2_naming_the_argument_and_nothing_written(
        ledger_copy: Path, kcst, argv: tuple[str, ...], message: str) -> None:
    before = folder_digest(ledger_copy.parent)
    run = kcst(*argv, "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert message in run.stderr
    assert "nothing was written" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_an_entry_that_would_make_the_ledger_invalid_is_refused(ledger_copy: Path, kcst) -> None:
    # an account closed in the ledger cannot be charged; Beancount's own check says so
    (ledger_copy.parent / "terms.beancount").open("a").write(
        "\n2020-04-01 close Expenses:Staff:Analyst\n")
    before = folder_digest(ledger_copy.parent)
    run = kcst(*SPEND[:3], "Expenses:Staff:Analyst", *SPEND[4:], "--date", "2020-04-25",
               "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--account: account Expenses:Staff:Analyst was closed on 2020-04-01" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_an_invalid_ledger_is_never_written_to(ledger_copy: Path, kcst) -> None:
    fy_file = ledger_copy.parent / "2019-20.beancount"
    text = fy_file.read_text()
    meeting_line = len(text.splitlines()) + 2  # after the blank line
    fy_file.write_text(text + '\n2020-03-31 custom "kcst-meeting" "SMT"\n  kp: "asleep"\n')
    before = folder_digest(ledger_copy.parent)
    run = kcst(*CONTRIBUTION, "--amount", "10", "--ledger", ledger_copy)
    assert run.exit_code == 2
    assert "--ledger: the ledger has 1 error(s) of its own" in run.stderr
    assert f"2019-20.beancount:{meeting_line}" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_an_entry_before_the_last_year_end_is_refused_even_in_an_fy_never_closed(
        ledger_copy: Path, kcst) -> None:
    # 2016/17 was never closed (no term overlaps it), but the digest of every later
    # year-end seals all entries dated on or before it (cl. 8.2): a new one would break them.
    before = folder_digest(ledger_copy.parent)
    run = kcst(*MEETING[:3], "2016-05-12", "--attendance", "kcc=present,kfrs=present,kp=present",
               "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert "--date: 2016-05-12 is sealed by the year-end of 2019/20 (" in run.stderr
    year_end = next(number for number, line in enumerate(
        (ledger_copy.parent / "2019-20.beancount").read_text().splitlines(), start=1)
        if '"kcst-year-end" "2019/20"' in line)
    assert f"2019-20.beancount:{year_end}), whose digest covers every entry dated on or " \
           "before 2020-03-31" in run.stderr
    assert folder_digest(ledger_copy.parent) == before


def test_an_entry_failing_a_balance_assertion_is_refused_at_the_assertions_line(
        ledger_copy: Path, kcst) -> None:
    # The finance system's statement says the pool held £370.00 on 1 May 2020: a contribution
    # recorded before it would make Beancount's own balance check fail.
    fy_file = ledger_copy.parent / "2020-21.beancount"
    fy_file.write_text("\n2020-05-01 balance Assets:KFRS:KCST-Pool  370.00 GBP\n")
    main = ledger_copy.read_text()
    ledger_copy.write_text(main + 'include "2020-21.beancount"\n')
    before = folder_digest(ledger_copy.parent)
    run = kcst(*CONTRIBUTION, "--amount", "10", "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert "the entry would make the ledger invalid: " in run.stderr
    assert "2020-21.beancount:2: Balance failed for 'Assets:KFRS:KCST-Pool'" in run.stderr
    assert "kcst-trial-" not in run.stderr  # the real file, not the scratch copy
    assert folder_digest(ledger_copy.parent) == before


def test_an_fy_file_holding_entries_the_main_file_does_not_include_is_not_guessed_about(
        ledger_copy: Path, kcst) -> None:
    # Taking it in could bring back an entry already entered again by hand (a duplicate).
    (ledger_copy.parent / "2020-21.beancount").write_text(
        '2020-04-09 * "Kent County Council" "Contribution"\n  ref: "AR20-000412"\n'
        "  Assets:KFRS:KCST-Pool  3750.00 GBP\n  Income:Contributions:KCC  -3750.00 GBP\n")
    before = folder_digest(ledger_copy.parent)
    run = kcst(*CONTRIBUTION, "--amount", "10", "--ledger", ledger_copy)
    assert run.exit_code == 2, run.output
    assert "2020-21.beancount holds entries but main.beancount does not include it" in run.stderr
    assert 'add include "2020-21.beancount" to main.beancount or move the file away' in run.stderr
    assert folder_digest(ledger_copy.parent) == before
