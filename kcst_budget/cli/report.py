"""``kcst report smt|audit``: the SMT's paper and the auditor's pack, as files.

Without ``--output`` a report goes to ``reports/`` under the working folder, named by kind
and date: ``reports/smt-2019-06-30.pdf``, ``reports/audit-2018-19-2020-03-31.xlsx``. A file
is written whole or not at all (a temporary file beside it, then a rename), so a bad
argument, an invalid ledger or a failed print leaves nothing behind (exit 2).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, as_of_of, fail, load_valid_books,
                                    parse_as_of, parse_fy_option)

report_app = typer.Typer(help="Write the SMT's budget-monitoring paper or the auditor's pack.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

#: Relative to the working folder (the repository root when run from there).
REPORTS_DIR = Path("reports")
OutputOption = typer.Option(None, "--output", show_default=False,
                            help="The file to write (default: reports/<kind>-<date>.<format>).")


class SmtFormat(StrEnum):
    html = "html"
    pdf = "pdf"


class AuditFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


def check_output(output: Path | None, fmt: str) -> None:
    if output is None:
        return
    if output.suffix.lower() != f".{fmt}":
        fail(f"--output: {output} does not end in .{fmt} (--format {fmt})")
    if output.is_dir():
        fail(f"--output: {output} is a folder")


def write_whole(target: Path, write: Callable[[Path], None]) -> None:
    """Have ``write`` fill a temporary file beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix,
                                             dir=target.parent)
    os.close(descriptor)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def html_or_pdf(html: str, fmt: str, caption: str) -> Callable[[Path], None]:
    if fmt == "html":
        return lambda path: path.write_text(html, encoding="utf-8")
    from kcst_budget.reports.pdf import PdfError, html_to_pdf

    try:
        document = html_to_pdf(html, caption)
    except PdfError as problem:
        fail(str(problem))
    return lambda path: path.write_bytes(document)


@report_app.command("smt")
def smt(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
        format: SmtFormat = typer.Option(SmtFormat.html, "--format", help="html or pdf."),
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
    check_output(output, format.value)
    books = load_valid_books(ledger)
    paper = smt_paper(books, as_of_of(books, given))
    target = output or REPORTS_DIR / f"smt-{paper.as_of}.{format.value}"
    write_whole(target, html_or_pdf(render_smt(paper, author, version), format.value,
                                    caption(paper)))
    typer.echo(f"wrote {target}")


@report_app.command("audit")
def audit(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
          fy: str | None = typer.Option(None, "--fy", show_default=False,
                                        help="The FY, e.g. 2018/19 (default: the FY of the as-of "
                                        "date, or of the last entry when that is earlier)."),
          format: AuditFormat = typer.Option(AuditFormat.html, "--format", help="html, pdf or xlsx."),
          output: Path | None = OutputOption) -> None:
    """The auditor's pack: compliance with evidence, trial balance, schedules, roll-forward,
    decision register, sealed periods."""
    from kcst_budget.reports.audit_pack import audit_pack, caption, render_audit

    given = parse_as_of(as_of)
    year = parse_fy_option(fy)
    check_output(output, format.value)
    books = load_valid_books(ledger)
    date = as_of_of(books, given)
    if year is not None and year.start > date:
        fail(f"--fy: {year} begins on {year.start}, after the as-of date {date}")
    pack = audit_pack(books, date, year)
    target = output or REPORTS_DIR / f"audit-{pack.fy.slug}-{date}.{format.value}"
    if format is AuditFormat.xlsx:
        from kcst_budget.reports.xlsx import audit_xlsx

        write_whole(target, lambda path: audit_xlsx(pack, path))
    else:
        write_whole(target, html_or_pdf(render_audit(pack), format.value, caption(pack)))
    typer.echo(f"wrote {target}")

