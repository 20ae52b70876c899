"""``kcst report smt|audit``: the SMT's paper and the auditor's pack, as files."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, fail, load_valid_books, parse_as_of,
                                    parse_fy_option)

report_app = typer.Typer(help="Write the SMT's budget-monitoring paper or the auditor's pack.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")

REPORTS_DIR = Path("reports")
OutputOption = typer.Option(None, "--output",
                            help="The file to write (default: reports/<kind>-<date>.<format>).")


class SmtFormat(StrEnum):
    html = "html"
    pdf = "pdf"


class AuditFormat(StrEnum):
    html = "html"
    pdf = "pdf"
    xlsx = "xlsx"


def _write_html_or_pdf(html: str, fmt: str, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        from kcst_budget.reports.pdf import html_to_pdf

        html_to_pdf(html, output)
    else:
        output.write_text(html, encoding="utf-8")


def _check_output(output: Path | None, fmt: str) -> None:
    if output is not None and output.suffix and output.suffix.lstrip(".") != fmt:
        fail(f"--output: {output} does not end in .{fmt} (--format {fmt})")


@report_app.command("smt")
def smt(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
        format: SmtFormat = typer.Option(SmtFormat.html, "--format", help="html or pdf."),
        output: Path | None = OutputOption) -> None:
    """The SMT's budget-monitoring paper (A4): contributions, spend against budget,
    forecast to term end, portions, governance, compliance."""
    from kcst_budget.reports.smt import smt_html

    date = parse_as_of(as_of)
    _check_output(output, format.value)
    books = load_valid_books(ledger)
    target = output or REPORTS_DIR / f"smt-{date}.{format.value}"
    _write_html_or_pdf(smt_html(books, date), format.value, target)
    typer.echo(f"wrote {target}")


@report_app.command("audit")
def audit(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
          fy: str | None = typer.Option(None, "--fy", help="The FY, e.g. 2018/19 (default: the "
                                        "FY of the as-of date or of the last entry)."),
          format: AuditFormat = typer.Option(AuditFormat.html, "--format", help="html, pdf or xlsx."),
          output: Path | None = OutputOption) -> None:
    """The auditor's pack: compliance with evidence, trial balance, schedules, roll-forward,
    decision register, sealed periods."""
    from kcst_budget.reports.audit_pack import audit_html, audit_pack, audit_xlsx

    date = parse_as_of(as_of)
    year = parse_fy_option(fy)
    _check_output(output, format.value)
    books = load_valid_books(ledger)
    pack = audit_pack(books, date, year)
    target = output or REPORTS_DIR / f"audit-{pack.fy.slug}-{date}.{format.value}"
    if format is AuditFormat.xlsx:
        target.parent.mkdir(parents=True, exist_ok=True)
        audit_xlsx(pack, target)
    else:
        _write_html_or_pdf(audit_html(pack), format.value, target)
    typer.echo(f"wrote {target}")
