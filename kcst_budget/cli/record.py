"""``kcst record contribution|spend|meeting|decision|notice``: one validated entry appended to
the ledger (spec section 6). The entry is built in ``kcst_budget.record``; this module
only reads the arguments and prints what was written.

Exit status: 0 recorded with no new breach, 1 recorded but it brought a breach (shown
loudly), 2 refused (bad argument, invalid ledger, closed FY, ``--strict`` and a breach):
nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import typer

from kcst_budget import record as entries
from kcst_budget.books import Books
from kcst_budget.cli import app
from kcst_budget.cli.common import EXIT_BREACH, EXIT_OK, LedgerOption, fail, ledger_path
from kcst_budget.ledgerio import LedgerWriteError
from kcst_budget.record import NewEntry, Refused, Written, parse_amount, parse_date
from kcst_budget.source import Source

record_app = typer.Typer(
    name="record",
    help="Append one validated entry to the ledger (nothing is written if it is refused).",
    no_args_is_help=True,
)
app.add_typer(record_app, name="record")

StrictOption = typer.Option(False, "--strict",
                            help="Refuse the entry (exit 2) if it would breach the MoU.")


def run(ledger: Path | None, strict: bool,
        build: Callable[[Books], NewEntry | Sequence[NewEntry]]) -> None:
    """Write what ``build`` makes and print it; a refusal exits 2 with nothing written."""
    main = ledger_path(ledger)

    def built(books: Books) -> Sequence[NewEntry]:
        made = build(books)
        return (made,) if isinstance(made, NewEntry) else made

    try:
        written = entries.write_entries(main, built, strict=strict)
    except (Refused, LedgerWriteError) as problem:
        fail(f"{problem}; nothing was written")
    report(written)
    raise typer.Exit(EXIT_BREACH if written.new_breaches else EXIT_OK)


def report(written: Written) -> None:
    """The entries as written, where, and any findings they brought (breaches loudly)."""
    if written.files:
        verb = "would write" if written.dry_run else "wrote"
        names = ", ".join(Source(str(path), 0).display().rsplit(":", 1)[0]
                          for path in written.files)
        typer.echo(f"{verb} {names}")
    for entry in written.entries:
        typer.echo("")
        typer.echo(entry.text, nl=False)
    if written.new_breaches:
        typer.echo("", err=True)
        typer.echo(f"!! BREACH: recorded, but it breaks the MoU ({len(written.new_breaches)} "
                   "new breach(es)); correct it with a further entry:", err=True)
    for finding in written.new_findings:
        mark = "!! " if finding.severity == "breach" else ""
        typer.echo(f"{mark}{finding.severity}: {finding.line()}", err=True)


def _amount(text: str, argument: str = "--amount") -> object:
    try:
        return parse_amount(text, argument)
    except Refused as problem:
        fail(f"{problem}; nothing was written")


def _date(text: str, argument: str = "--date") -> object:
    try:
        return parse_date(text, argument)
    except Refused as problem:
        fail(f"{problem}; nothing was written")


@record_app.command("contribution")
def record_contribution(
    partner: str = typer.Option(..., "--partner", help="The partner's code, e.g. KP."),
    amount: str = typer.Option(..., "--amount", help="GBP received, e.g. 16000.00."),
    date: str = typer.Option(..., "--date", help="The day it reached the pool, YYYY-MM-DD."),
    ref: str | None = typer.Option(None, "--ref", help="The finance system's reference."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
) -> None:
    """A partner's contribution into the pool (cl. 8.2, 8.6)."""
    money, day = _amount(amount), _date(date)
    run(ledger, strict, lambda books: entries.contribution(books, partner, money, day, ref))


@record_app.command("spend")
def record_spend(
    account: str = typer.Option(..., "--account", help="The expense account, e.g. "
                                "Expenses:Staff:Coordinator."),
    amount: str = typer.Option(..., "--amount", help="GBP paid, e.g. 3750.00."),
    date: str = typer.Option(..., "--date", help="The day it was paid, YYYY-MM-DD."),
    payee: str = typer.Option(..., "--payee", help="Who was paid."),
    narration: str | None = typer.Option(None, "--narration", help="What for."),
    decision: str | None = typer.Option(None, "--decision", help="The SMT decision agreeing it "
                                        "(cl. 10.3)."),
    ref: str | None = typer.Option(None, "--ref", help="The finance system's reference."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
) -> None:
    """Spend from the pool (cl. 8.3-8.6, 10.3)."""
    money, day = _amount(amount), _date(date)
    run(ledger, strict, lambda books: entries.spend(books, account, money, day, payee,
                                                    narration, decision, ref))


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
) -> None:
    """A meeting of the SMT and who attended (cl. 4.1)."""
    day = _date(date)
    run(ledger, strict, lambda books: entries.meeting(books, day, attendance, budget_reviewed,
                                                      performance_report))


@record_app.command("decision")
def record_decision(
    date: str = typer.Option(..., "--date", help="The day of the meeting that took it."),
    decision_id: str = typer.Option(..., "--id", help="Its id, e.g. D-2020-05-1."),
    text: str = typer.Option(..., "--text", help="What was decided."),
    limit: str | None = typer.Option(None, "--limit", help="The most that may be spent citing "
                                     "it, e.g. 8000.00."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
) -> None:
    """A decision of the SMT (cl. 4.1, 10.3)."""
    day = _date(date)
    cap = None if limit is None else _amount(limit, "--limit")
    run(ledger, strict, lambda books: entries.decision(books, day, decision_id, text, cap))


@record_app.command("notice")
def record_notice(
    partner: str = typer.Option(..., "--partner", help="The partner giving notice, e.g. KP."),
    date: str = typer.Option(..., "--date", help="The day notice was given."),
    effective: str = typer.Option(..., "--effective", help="The day the withdrawal takes effect."),
    to_smt: bool = typer.Option(False, "--to-smt", help="Sent to the SMT (cl. 12.1)."),
    to_kcsp_chair: bool = typer.Option(False, "--to-kcsp-chair",
                                       help="Sent to the KCSP chair (cl. 12.1)."),
    ledger: Path | None = LedgerOption,
    strict: bool = StrictOption,
) -> None:
    """A partner's written notice of withdrawal (cl. 12.1)."""
    day, takes_effect = _date(date), _date(effective, "--effective")
    run(ledger, strict, lambda books: entries.notice(books, partner, day, takes_effect, to_smt,
                                                     to_kcsp_chair))
