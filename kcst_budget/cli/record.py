"""``kcst record contribution|spend|meeting|decision|notice|reverse|project|outcome``: one
validated entry appended to the ledger (spec sections 6, 7 and 8). What was typed is read and the entry built,
checked and written by ``kcst_budget.record.record`` (which the dashboard's forms call
too); this module only gathers the options and prints what was written.

Exit status: 0 recorded with no new breach, 1 recorded but it brought a breach (shown
loudly), 2 refused (bad argument, invalid ledger, closed FY, a likely duplicate, a date in
the future, ``--strict`` and a breach): nothing was written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget import record as entries
from kcst_budget.cli import app
from kcst_budget.cli.common import EXIT_BREACH, EXIT_OK, LedgerOption, fail, ledger_path
from kcst_budget.ledgerio import LedgerWriteError
from kcst_budget.record import Refused, Typed, Written, refusal

record_app = typer.Typer(
    name="record",
    help="Append one validated entry to the ledger (nothing is written if it is refused).",
    no_args_is_help=True,
)
app.add_typer(record_app, name="record")

StrictOption = typer.Option(False, "--strict",
                            help="Refuse the entry (exit 2) if it would breach the MoU.")
DryRunOption = typer.Option(False, "--dry-run", help="Show the entry and what it would bring; "
                            "write nothing.")
DuplicateOption = typer.Option(False, "--allow-duplicate",
                               help="Record it even though the ledger holds an entry of the "
                               "same kind, date, amount, partner or account and payee.")
RefOption = typer.Option(None, "--ref", help="The finance system's reference.")


def run(ledger: Path | None, kind: str, typed: Typed, strict: bool, dry_run: bool) -> None:
    """Record what was typed and print it; a refusal exits 2 with nothing written."""
    main = ledger_path(ledger)
    try:
        written = entries.record(main, kind, typed, strict=strict, dry_run=dry_run)
    except (Refused, LedgerWriteError) as problem:
        fail(refusal(problem))
    report(written)
    raise typer.Exit(EXIT_BREACH if written.new_breaches else EXIT_OK)


def report(written: Written) -> None:
    """The entries as written, where, and any findings they brought (breaches loudly)."""
    if written.files_said:
        typer.echo(written.files_said)
    for entry in written.entries:
        typer.echo("")
        typer.echo(entry.text, nl=False)
    if written.breach_said:
        typer.echo("", err=True)
        typer.echo(written.breach_said, err=True)
    for line in written.findings_said:
        typer.echo(line, err=True)
    if written.dry_run_said:
        typer.echo(written.dry_run_said)


@record_app.command("contribution")
def record_contribution(
    partner: str = typer.Option(..., "--partner", help="The partner's code, e.g. KP."),
    amount: str = typer.Option(..., "--amount", help="GBP received, e.g. 16000.00 (negative: "
                               "money paid back, only with --narration)."),
    date: str = typer.Option(..., "--date", help="The day it reached the pool, YYYY-MM-DD."),
    ref: str | None = RefOption,
    narration: str | None = typer.Option(None, "--narration", help="What it is (needed for a "
                                         "negative amount: why)."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
    allow_duplicate: bool = DuplicateOption,
) -> None:
    """A partner's contribution into the pool (cl. 8.2, 8.6)."""
    run(ledger, "contribution", Typed(date=date, partner=partner, amount=amount, ref=ref,
                                      narration=narration, allow_duplicate=allow_duplicate),
        strict, dry_run)


@record_app.command("spend")
def record_spend(
    account: str = typer.Option(..., "--account", help="The expense account, e.g. "
                                "Expenses:Staff:Coordinator."),
    amount: str = typer.Option(..., "--amount", help="GBP paid, e.g. 3750.00 (negative: a "
                               "recovery or credit note, only with --narration)."),
    date: str = typer.Option(..., "--date", help="The day it was paid, YYYY-MM-DD."),
    payee: str = typer.Option(..., "--payee", help="Who was paid."),
    narration: str | None = typer.Option(None, "--narration", help="What for."),
    decision: str | None = typer.Option(None, "--decision", help="The SMT decision agreeing it "
                                        "(cl. 10.3)."),
    ref: str | None = RefOption,
    project: str | None = typer.Option(None, "--project", help="The project it pays for, e.g. "
                                       "P-2019-01 (needed on an Expenses:Projects account)."),
    no_project: bool = typer.Option(False, "--no-project", help="Spend on an Expenses:Projects "
                                     "account that no project the SMT agreed covers: recorded "
                                     "as a project-link breach."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
    allow_duplicate: bool = DuplicateOption,
) -> None:
    """Spend from the pool (cl. 8.3-8.6, 10.3); project work names its project (spec 8)."""
    run(ledger, "spend", Typed(date=date, account=account, amount=amount, payee=payee,
                               narration=narration, decision=decision, ref=ref, project=project,
                               no_project=no_project, allow_duplicate=allow_duplicate),
        strict, dry_run)


@record_app.command("meeting")
def record_meeting(
    date: str = typer.Option(..., "--date", help="The day of the meeting, YYYY-MM-DD."),
    attendance: str = typer.Option(..., "--attendance",
                                   help="kcc=present,kfrs=present,kp=deputy (present, deputy, "
                                   "apologies, absent)."),
    budget_reviewed: bool = typer.Option(False, "--budget-reviewed",
                                         help="The meeting reviewed the budget (cl. 8.1)."),
    performance_report: bool = typer.Option(False, "--performance-report",
                                            help="The coordinator reported (cl. 13.1)."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
    allow_duplicate: bool = DuplicateOption,
) -> None:
    """A meeting of the SMT and who attended (cl. 4.1)."""
    run(ledger, "meeting", Typed(date=date, attendance=attendance, budget_reviewed=budget_reviewed,
                                 performance_report=performance_report,
                                 allow_duplicate=allow_duplicate), strict, dry_run)


@record_app.command("decision")
def record_decision(
    date: str = typer.Option(..., "--date", help="The day of the meeting that took it."),
    decision_id: str = typer.Option(..., "--id", help="Its id, e.g. D-2020-05-1."),
    text: str = typer.Option(..., "--text", help="What was decided."),
    limit: str | None = typer.Option(None, "--limit", help="The most that may be spent citing "
                                     "it, e.g. 8000.00."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
) -> None:
    """A decision of the SMT (cl. 4.1, 10.3)."""
    run(ledger, "decision", Typed(date=date, id=decision_id, text=text, limit=limit), strict,
        dry_run)


@record_app.command("notice")
def record_notice(
    partner: str = typer.Option(..., "--partner", help="The partner giving notice, e.g. KP."),
    date: str = typer.Option(..., "--date", help="The day notice was given."),
    effective: str = typer.Option(..., "--effective", help="The day the withdrawal takes effect "
                                  "(may be in the future)."),
    to_smt: bool = typer.Option(False, "--to-smt", help="Sent to the SMT (cl. 12.1)."),
    to_kcsp_chair: bool = typer.Option(False, "--to-kcsp-chair",
                                       help="Sent to the KCSP chair (cl. 12.1)."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
    allow_duplicate: bool = DuplicateOption,
) -> None:
    """A partner's written notice of withdrawal (cl. 12.1)."""
    run(ledger, "notice", Typed(date=date, partner=partner, effective=effective, to_smt=to_smt,
                                to_kcsp_chair=to_kcsp_chair, allow_duplicate=allow_duplicate),
        strict, dry_run)


@record_app.command("reverse")
def record_reverse(
    ref: str = typer.Option(..., "--ref", help="The ref of the entry to take back."),
    date: str = typer.Option(..., "--date", help="The day of the correction (in an open FY)."),
    narration: str | None = typer.Option(None, "--narration", help="Why it is reversed."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
) -> None:
    """Take back an entry made by mistake: the exact opposite of the entry with this ref.

    The two cancel (no rule judges them, no figure counts them); then record the right
    entry. An entry in a sealed year is not reversed but corrected by a new entry in the
    current FY."""
    run(ledger, "reverse", Typed(date=date, ref=ref, narration=narration), strict, dry_run)


@record_app.command("project")
def record_project(
    project_id: str = typer.Option(..., "--id", help="Its id, e.g. P-2020-01."),
    title: str = typer.Option(..., "--title", help="What the project is, e.g. 'DHR "
                              "lessons-learnt seminars 2020/21'."),
    budget: str = typer.Option(..., "--budget", help="GBP for its whole life, e.g. 1200.00."),
    priority: str = typer.Option(..., "--priority", help="The CSA priority it serves, by its "
                                 "kcst-priority id, e.g. domestic-abuse."),
    decision: str = typer.Option(..., "--decision", help="The SMT decision approving it, e.g. "
                                 "D-2020-05-2."),
    date: str = typer.Option(..., "--date", help="The day it starts, YYYY-MM-DD."),
    ends: str | None = typer.Option(None, "--ends", help="Its last day, YYYY-MM-DD (its outcome "
                                    "is due within three months of it)."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
) -> None:
    """Project work funded from the pool, serving a priority of the Community Safety
    Agreement and approved by an SMT decision (cl. 6.4, 8.2; spec section 8)."""
    run(ledger, "project", Typed(date=date, id=project_id, title=title, budget=budget,
                                 priority=priority, decision=decision, ends=ends), strict, dry_run)


@record_app.command("outcome")
def record_outcome(
    project: str = typer.Option(..., "--project", help="The project, e.g. P-2019-01."),
    text: str = typer.Option(..., "--text", help="What it delivered, in a line."),
    date: str = typer.Option(..., "--date", help="The day it was reported, YYYY-MM-DD."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
    dry_run: bool = DryRunOption,
) -> None:
    """What a project delivered (spec section 8): due within three months of its end."""
    run(ledger, "outcome", Typed(date=date, project=project, text=text), strict, dry_run)
