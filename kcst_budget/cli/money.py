"""``kcst forecast`` and ``kcst shares``: the money views, as text or JSON."""

from __future__ import annotations

import textwrap
from enum import StrEnum
from pathlib import Path

import typer

from kcst_budget.amounts import gbp
from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, as_of_of, dumps, emit,
                                    load_valid_books, parse_as_of)
from kcst_budget.money.forecast import Forecast, forecast, months_text
from kcst_budget.periods import long_date
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
    date = parse_as_of(as_of)
    books = load_valid_books(ledger)
    result = forecast(books, as_of_of(books, date))
    emit(dumps(result.as_json()) if format is TextOrJson.json else forecast_text(result), None)


@app.command("shares")
def shares_command(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
                   format: TextOrJson = FormatOption) -> None:
    """Each partner's net contributions, share and portion of the remaining funds."""
    date = parse_as_of(as_of)
    books = load_valid_books(ledger)
    result = portions(books, as_of_of(books, date))
    emit(dumps(result.as_json()) if format is TextOrJson.json else shares_text(result), None)


def forecast_text(result: Forecast) -> str:
    """The forecast as a plain table a finance officer can paste into an email."""
    lines = [result.standing.words, ""]
    agreement = result.agreement
    if agreement is None:
        lines.append(f"  Pool balance on {long_date(result.as_of)}: {gbp(result.balance_as_of)}")
        return "\n".join(lines) + "\n"
    if result.in_force:
        lines += [f"Forecast to the end of {agreement.name} ({long_date(agreement.end)}), "
                  f"as of {long_date(result.as_of)}", ""]
        rows = [
            (f"Pool balance on {long_date(result.as_of)}", result.balance_as_of),
            ("+ contributions still due (minimums)", result.outstanding_contributions),
            ("- posts still to pay in the term", result.remaining_post_commitments),
            ("- approved spend still to pay", result.remaining_approved_spend),
            ("= balance at term end", result.balance_at_term_end),
        ]
    else:
        lines += [f"Position at the end of {agreement.name} ({long_date(agreement.end)}): "
                  "actual figures, nothing projected", ""]
        rows = [(f"Pool balance on {long_date(agreement.end)}", result.balance_at_term_end),
                (f"Pool balance on {long_date(result.as_of)}", result.balance_as_of)]
    lines += [f"  {label:<44}{gbp(amount):>14}" for label, amount in rows]
    lines.append("")
    if result.shortfall:
        at = "at the term end" if result.in_force else f"at the end of {agreement.name}"
        lines.append(f"  SHORTFALL {gbp(result.shortfall)} {at}: the contributions do not cover "
                     "the commitments.")
        lines.append("  Top-up per partner (in proportion to the minimums):")
        lines += [f"    {code:<6}{gbp(amount):>14}" for code, amount in
                  result.top_up_per_partner.items()]
    elif result.in_force:
        lines.append("  No shortfall: the pool covers its commitments to the term end.")
    else:
        lines.append(f"  No shortfall: the pool was not overdrawn at the end of {agreement.name}.")
    if result.in_force:
        lines.append(f"  The pool runs out: {_runs_out(result)}")
    if result.commitments:
        lines += ["", f"  {'Post':<30}{'months':>7}{'committed':>14}{'spent':>14}{'remaining':>14}"]
        lines += [f"  {c.post.title:<30}{months_text(c.months_in_term):>7}{gbp(c.committed):>14}"
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


def _runs_out(result: Forecast) -> str:
    if result.exhaustion_month is None:
        return "not before the term ends"
    return f"{result.exhaustion_words} (the month-end balance is below zero)"


def shares_text(result: Portions) -> str:
    """The portions as a plain table, naming the method."""
    lines = [f"Portions of the remaining funds as of {long_date(result.as_of)}: pool balance "
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
