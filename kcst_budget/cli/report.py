"""``kcst report smt|audit``: the SMT's paper and the auditor's pack, as files.

Without ``--output`` a report goes to ``reports/`` under the working folder, named by kind
and date: ``reports/smt-2019-06-30.pdf``, ``reports/audit-2018-19-2020-03-31.xlsx``. A file
is written whole or not at all (``kcst_budget.ledgerio.AtomicFile``: a temporary file beside
it, fsync, then a rename), so a bad argument, an invalid ledger or a failed print leaves
nothing behind (exit 2). ``--output`` never names a file of the ledger (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.books import Books
from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, as_of_of, fail, load_valid_books,
                                    parse_as_of, parse_fy_option, refuse_ledger_output,
                                    write_output)
from kcst_budget.suggest import did_you_mean

report_app = typer.Typer(help="Write the SMT's budget-monitoring paper or the auditor's pack.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

#: Relative to the working folder (the repository root when run from there).
REPORTS_DIR = Path("reports")
OutputOption = typer.Option(None, "--output", show_default=False,
                            help="The file to write (default: reports/<kind>-<date>.<format>).")


SMT_FORMATS = ("html", "pdf")
AUDIT_FORMATS = ("html", "pdf", "xlsx")


def format_of(given: str | None, output: Path | None, formats: tuple[str, ...]) -> str:
    """``--format``, else the format the ``--output`` file's name ends in, else html."""
    if given is not None:
        if given.lower() not in formats:
            fail(f"--format: {given!r} is not one of {', '.join(formats)}"
                 f"{did_you_mean(given, formats, aside=True)}")
        return given.lower()
    if output is None:
        return formats[0]
    suffix = output.suffix.lower().lstrip(".")
    if suffix not in formats:
        fail(f"--output: {output} does not end in {' or '.join('.' + f for f in formats)}, so "
             f"its format is unknown: name the file so, or give --format")
    return suffix


def check_output(output: Path | None, fmt: str) -> None:
    if output is None:
        return
    if output.suffix.lower() != f".{fmt}":
        fail(f"--output: {output} does not end in .{fmt} (--format {fmt})")
    if output.is_dir():
        fail(f"--output: {output} is a folder")


def write_whole(target: Path, content: bytes, books: Books) -> None:
    """Write the report whole or not at all (``ledgerio.AtomicFile``: a temporary file
    beside ``target``, fsync, rename), never over a file of the ledger."""
    refuse_ledger_output(target, books)
    write_output(target, content)


def html_or_pdf(html: str, fmt: str, caption: str) -> bytes:
    if fmt == "html":
        return html.encode("utf-8")
    from kcst_budget.reports.pdf import PdfError, html_to_pdf

    try:
        return html_to_pdf(html, caption)
    except PdfError as problem:
        fail(str(problem))


@report_app.command("smt")
def smt(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
        format: str | None = typer.Option(None, "--format", show_default=False, help="html or "
                                          "pdf (default: from --output's ending, else html)."),
        output: Path | None = OutputOption,
        author: str | None = typer.Option(None, "--author", show_default=False,
                                          help="Who reports to the SMT (default: the host's "
                                          "finance officer)."),
        version: str = typer.Option("1", "--version", help="The paper's version, as its cover "
                                    "shows it.")) -> None:
    """The SMT's budget-monitoring paper (A4), as a committee report: summary,
    recommendations, financial implications, contributions and spend against budget,
    forecast to term end, portions, risks, governance, compliance."""
    from kcst_budget.reports.smt import caption, render_smt, smt_paper

    given = parse_as_of(as_of)
    fmt = format_of(format, output, SMT_FORMATS)
    check_output(output, fmt)
    books = load_valid_books(ledger)
    refuse_ledger_output(output, books)
    paper = smt_paper(books, as_of_of(books, given))
    target = output or REPORTS_DIR / f"smt-{paper.as_of}.{fmt}"
    write_whole(target, html_or_pdf(render_smt(paper, author, version), fmt, caption(paper)),
                books)
    typer.echo(f"wrote {target}")


@report_app.command("audit")
def audit(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
          fy: str | None = typer.Option(None, "--fy", show_default=False,
                                        help="The FY, e.g. 2018/19 (default: the FY of the as-of "
                                        "date, or of the last entry when that is earlier)."),
          format: str | None = typer.Option(None, "--format", show_default=False,
                                            help="html, pdf or xlsx (default: from --output's "
                                            "ending, else html)."),
          output: Path | None = OutputOption) -> None:
    """The auditor's pack: compliance with evidence, trial balance, schedules, roll-forward,
    decision register, sealed periods."""
    from kcst_budget.reports.audit_pack import audit_pack, caption, render_audit

    given = parse_as_of(as_of)
    year = parse_fy_option(fy)
    fmt = format_of(format, output, AUDIT_FORMATS)
    check_output(output, fmt)
    books = load_valid_books(ledger)
    refuse_ledger_output(output, books)
    date = as_of_of(books, given)
    if year is not None and year.start > date:
        fail(f"--fy: {year} begins on {year.start}, after the as-of date {date}")
    pack = audit_pack(books, date, year)
    target = output or REPORTS_DIR / f"audit-{pack.fy.slug}-{date}.{fmt}"
    if fmt == "xlsx":
        from kcst_budget.reports.xlsx import audit_xlsx

        write_whole(target, audit_xlsx(pack), books)
    else:
        write_whole(target, html_or_pdf(render_audit(pack), fmt, caption(pack)), books)
    typer.echo(f"wrote {target}")

