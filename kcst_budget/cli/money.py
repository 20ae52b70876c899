"""``kcst forecast`` and ``kcst shares``: the money views, as text or JSON."""

from __future__ import annotations

import datetime
import textwrap
from enum import StrEnum
from pathlib import Path

import typer

from kcst_budget.amounts import gbp
from kcst_budget.cli import app
from kcst_budget.cli.common import AsOfOption, LedgerOption, dumps, emit, load_valid_books, parse_as_of
from kcst_budget.money.forecast import Forecast, forecast
from kcst_budget.money.portions import Portions, portions


class TextOrJson(StrEnum):
    text = "text"
    json = "json"


FormatOption = typer.Option(TextOrJson.text, "--format", help="text or json.")


@app.command("forecast")
def forecast_command(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
                     format: TextOrJson = FormatOption) -> None:
    """Will the money last to the end of the agreement? Balance at term end, shortfall,
    top-up per partner and the month the pool runs out."""
    books = load_valid_books(ledger)
    result = forecast(books, parse_as_of(as_of))
    emit(dumps(result.as_json()) if format is TextOrJson.json else forecast_text(result), None)


@app.command("shares")
def shares_command(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
                   format: TextOrJson = FormatOption) -> None:
    """Each partner's net contributions, share and portion of the remaining funds."""
    books = load_valid_books(ledger)
    result = portions(books, parse_as_of(as_of))
    emit(dumps(result.as_json()) if format is TextOrJson.json else shares_text(result), None)


def forecast_text(result: Forecast) -> str:
    """The forecast as a plain table a finance officer can paste into an email."""
    if result.agreement is None:
        return f"Forecast as of {result.as_of}: no agreement in the books.\n"
    rows = [
        (f"Pool balance on {result.balance_date}", result.balance_as_of),
        ("+ contributions still due (minimums)", result.outstanding_contributions),
        ("- posts still to pay in the term", result.remaining_post_commitments),
        ("- approved spend still to pay", result.remaining_approved_spend),
        ("= balance at term end", result.balance_at_term_end),
    ]
    lines = [f"Forecast to the end of {result.agreement.name} ({result.term_end}), "
             f"as of {result.as_of}", ""]
    lines += [f"  {label:<40}{gbp(amount):>14}" for label, amount in rows]
    lines.append("")
    if result.shortfall:
        lines.append(f"  SHORTFALL {gbp(result.shortfall)}: the contributions do not cover the "
                     "commitments.")
        lines.append("  Top-up per partner (in proportion to the minimums):")
        lines += [f"    {code:<6}{gbp(amount):>14}" for code, amount in
                  result.top_up_per_partner.items()]
    else:
        lines.append("  No shortfall: the pool covers its commitments to the term end.")
    if result.term_end is not None and result.as_of > result.term_end:
        lines.append("  The term has ended: these are its actual figures.")
    else:
        lines.append(f"  The pool runs out: {_month(result.exhaustion_month)}")
    if result.commitments:
        lines += ["", f"  {'Post':<30}{'months':>7}{'committed':>14}{'spent':>14}{'remaining':>14}"]
        lines += [f"  {c.post.title:<30}{c.months_in_term:>7}{gbp(c.committed):>14}"
                  f"{gbp(c.spent):>14}{gbp(c.remaining):>14}" for c in result.commitments]
    if result.approved:
        lines += ["", f"  {'SMT decision':<37}{'limit':>14}{'spent':>14}{'remaining':>14}"]
        lines += [f"  {a.decision.id:<37}{gbp(a.limit):>14}{gbp(a.spent):>14}"
                  f"{gbp(a.remaining):>14}" for a in result.approved]
    if any(o.outstanding for o in result.outstanding):
        lines += ["", "  Contributions still due:"]
        lines += [f"    {o.partner:<6}{o.fy.label:<9}{gbp(o.outstanding):>14}"
                  for o in result.outstanding if o.outstanding]
    lines += ["", "  Assumptions:"]
    for assumption in result.assumptions:
        lines += textwrap.wrap(assumption, 88, initial_indent="  - ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"


def _month(month: str | None) -> str:
    if month is None:
        return "not before the term ends"
    return f"{datetime.date.fromisoformat(month + '-01'):%B %Y} (the month-end balance is below zero)"


def shares_text(result: Portions) -> str:
    """The portions as a plain table, naming the method."""
    lines = [f"Portions of the remaining funds as of {result.as_of}: pool balance "
             f"{gbp(result.balance)}", "",
             f"  {'Partner':<9}{'contributed':>14}{'share':>9}{'portion':>14}"]
    for row in result.partners:
        note = "  (withdrawn)" if row.withdrawn else ""
        lines.append(f"  {row.partner:<9}{gbp(row.contributed):>14}{row.share:>9.2%}"
                     f"{gbp(row.portion):>14}{note}")
    lines.append("")
    lines += textwrap.wrap(f"Method: {result.method}.", 88, initial_indent="  ",
                           subsequent_indent="  ")
    return "\n".join(lines) + "\n"
