"""``kcst audit``: every rule of the MoU, clause by clause, with its findings."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.audit import (PreviousAuditError, audit_report, read_previous, render_html,
                               render_text)
from kcst_budget.cli import app
from kcst_budget.cli.common import (EXIT_BREACH, EXIT_OK, LedgerOption, as_of_of, dumps, emit,
                                    fail, load_valid_books, parse_as_of, parse_fy_option,
                                    refuse_ledger_output)
from kcst_budget.rules import judgement_of
from kcst_budget.suggest import did_you_mean
from kcst_budget.rules.period_lock import judged_since

FORMATS = ("text", "json", "html")
#: The format of ``--output FILE`` when ``--format`` is not given, by the file's ending.
SUFFIXES = {".json": "json", ".html": "html", ".htm": "html", ".txt": "text"}
AsOfOption = typer.Option(None, "--as-of", show_default=False,
                          help="Judge as of this date, YYYY-MM-DD (default: the as-of on the "
                          "ledger's plugin line, else today).")
FyOption = typer.Option(None, "--fy", help="Only findings dated in this FY, e.g. 2018/19.",
                        show_default=False)
FormatOption = typer.Option(None, "--format", show_default=False,
                            help="text, json or html (default: from --output's ending, else text).")
OutputOption = typer.Option(None, "--output", help="Write to this file instead of printing.",
                            show_default=False)
SinceOption = typer.Option(None, "--since", show_default=False,
                           help="A previous audit's JSON (kcst audit --format json): any FY it "
                           "saw sealed whose digest or carried-forward balance differs now, or "
                           "whose seal is gone, is a period-lock breach.")


@app.command()
def audit(
    ledger: Path | None = LedgerOption,
    as_of: str | None = AsOfOption,
    fy: str | None = FyOption,
    output_format: str | None = FormatOption,
    output: Path | None = OutputOption,
    since: Path | None = SinceOption,
) -> None:
    """Judge every rule as of a date: pass, fail or n/a, each finding with its file:line.

    The date is --as-of, else the as-of named on the ledger's plugin line, else today.
    With --since, the seals are also held against a previous audit's JSON.

    Exit 0: no breach (warnings may be present); 1: at least one breach; 2: the ledger
    has errors of its own or an argument is wrong (nothing is judged).
    """
    output_format = format_of(output_format, output)
    date = parse_as_of(as_of)
    year = parse_fy_option(fy)
    previous = None
    if since is not None:
        try:
            previous = read_previous(since)
        except PreviousAuditError as problem:
            fail(f"--since: {since}: {problem}; nothing was judged")
    books = load_valid_books(ledger)
    refuse_ledger_output(output, books)
    judgement = judgement_of(books, as_of_of(books, date))
    if previous is not None:
        judgement = judged_since(judgement, books, previous)
    report = audit_report(books, judgement, year, previous)
    if output_format == "json":
        text = dumps(report)
    elif output_format == "html":
        text = render_html(report)
    else:
        text = render_text(report)
    emit(text, output, books)
    raise typer.Exit(EXIT_BREACH if report["summary"]["breaches"] else EXIT_OK)


def format_of(given: str | None, output: Path | None) -> str:
    """``--format``, else the format the output file's name ends in, else text."""
    if given is not None:
        if given not in FORMATS:
            fail(f"--format: {given!r} is not one of {', '.join(FORMATS)}"
                 f"{did_you_mean(given, FORMATS, aside=True)}")
        return given
    suffix = output.suffix.lower() if output is not None else ""
    if suffix in (".pdf", ".xlsx"):
        fail(f"--output: kcst audit writes text, json or html, not {suffix[1:]}; the auditor's "
             f"pack as {suffix[1:].upper()} is kcst report audit --output {output}")
    return SUFFIXES.get(suffix, "text")
