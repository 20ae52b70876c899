"""``kcst projects``: each project funded from the pool and the spend by CSA priority
(spec section 8), as text or JSON."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import typer

from kcst_budget.amounts import gbp
from kcst_budget.cli import app
from kcst_budget.cli.common import (AsOfOption, LedgerOption, as_of_of, dumps, emit,
                                    load_valid_books, parse_as_of, parse_fy_option)
from kcst_budget.cli.money import FormatOption, TextOrJson
from kcst_budget.money.projects import ProjectLine, ProjectRegister, project_register
from kcst_budget.mou import standing
from kcst_budget.periods import long_date

FyOption = typer.Option(None, "--fy", show_default=False,
                        help="Spend by priority in this FY, e.g. 2019/20 (default: to date).")
WIDTH = 88
NAME = 40  # the width of the first column


@app.command("projects")
def projects_command(ledger: Path | None = LedgerOption, as_of: str | None = AsOfOption,
                     fy: str | None = FyOption, format: TextOrJson = FormatOption) -> None:
    """Each project funded from the pool (budget, spend, remaining, decision, outcome) and
    the spend by priority of the Community Safety Agreement."""
    date = parse_as_of(as_of)
    year = parse_fy_option(fy)
    books = load_valid_books(ledger)
    when = as_of_of(books, date)
    register = project_register(books, when, year)
    if format is TextOrJson.json:
        emit(dumps(register.as_json()), None)
    else:
        emit(projects_text(register, standing(books.terms, when).words), None)


def projects_text(register: ProjectRegister, standing_words: str) -> str:
    """The register as plain tables a finance officer can paste into an email."""
    lines = [standing_words, "", f"Projects funded from the pool, as of "
             f"{long_date(register.as_of)} (spend to date)", ""]
    if not register.projects:
        lines.append("  No project is recorded in the books.")
    else:
        lines.append(_row("Project", "budget", "spent", "remaining"))
        for line in register.projects:
            lines.append(_row(line.project.title, gbp(line.budget), gbp(line.spent),
                              gbp(line.remaining)))
            lines += _about(line)
        lines.append(_row("Total", gbp(register.total_budget), gbp(register.total_spent),
                          gbp(register.total_remaining)))
    lines += ["", _by_priority_heading(register), ""]
    lines += _by_priority(register)
    fy = register.fy
    unlinked = register.unlinked if register.unlinked_in_fy is None else register.unlinked_in_fy
    if unlinked or register.unlinked:
        lines += ["", *_wrap(
            f"Spend on Expenses:Projects citing no project in the books: {gbp(unlinked)}"
            + (f" in {fy.label}, {gbp(register.unlinked)} to date" if fy else "")
            + " (a project-link breach: it serves no priority).", "  ")]
    return "\n".join(lines) + "\n"


def _row(name: str, *figures: str) -> str:
    """One line of a table: the name, then right-aligned figures; a name too long for its
    column puts the figures on a line of their own."""
    numbers = "".join(f"{figure:>14}" for figure in figures).rstrip()
    if len(name) <= NAME - 2:
        return f"  {name:<{NAME - 2}}{numbers}".rstrip()
    return f"  {name}\n  {'':<{NAME - 2}}{numbers}".rstrip()


def _about(line: ProjectLine) -> list[str]:
    """The project's id, priority, approving decision, dates and outcome, indented."""
    project = line.project
    priority = line.priority.title if line.priority else f"{project.priority} (no such priority)"
    if line.decision is not None:
        approved = f"decision {project.decision} of {long_date(line.decision.date)}"
    else:
        approved = f"decision {project.decision} (not in the books)"
    words = [f"{project.id}; {priority}; approved by {approved}; {line.life_words}."]
    if line.outcome_words is not None:
        words.append(line.outcome_words)
    return _wrap(" ".join(words), "    ")


def _by_priority(register: ProjectRegister) -> list[str]:
    """Figures first, then the priority's title (the titles are long): the county
    priorities, then the cross-cutting themes, then a priority no ``kcst-priority`` holds."""
    if not register.priorities:
        return ["  No priority of the Community Safety Agreement is recorded in the books."]
    fy = register.fy
    heads = ("budget", f"in {fy.label}", "to date") if fy else ("budget", "spent")

    def row(figures: tuple[str, ...], title: str) -> str:
        return "".join(f"{figure:>12}" for figure in figures) + f"  {title}"

    lines = [row(heads, "Priority")]
    for heading, rows in register.priority_groups:
        if heading:
            lines.append(row(("",) * len(heads), heading))
        for line in rows:
            spent = line.spent if line.spent_in_fy is None else line.spent_in_fy
            figures = (gbp(line.budget), gbp(spent)) + ((gbp(line.spent),) if fy else ())
            lines.append(row(figures, line.title))
    spent, in_fy = register.total_spent, register.total_spent_in_fy
    lines.append(row((gbp(register.total_budget), gbp(spent if in_fy is None else in_fy))
                     + ((gbp(spent),) if fy else ()), "Total"))
    return lines


def _by_priority_heading(register: ProjectRegister) -> str:
    if register.fy is None:
        return f"Spend by priority, to {long_date(register.as_of)}"
    if register.as_of <= register.fy.end:
        return (f"Spend by priority in {register.fy.label} and to date, as of "
                f"{long_date(register.as_of)}")
    return (f"Spend by priority in {register.fy.label} (to {long_date(register.fy.end)}) and "
            f"to {long_date(register.as_of)}")


_DATE = re.compile(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|"
                   r"September|October|November|December) \d{4}\b")


def _wrap(text: str, indent: str) -> list[str]:
    """``text`` in lines of ``WIDTH``, never splitting a date (17 October 2019) nor an id
    (D-2019-01-2)."""
    kept = _DATE.sub(lambda m: m.group(0).replace(" ", "\0"), text)
    return [line.replace("\0", " ") for line in textwrap.wrap(
        kept, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)]
