"""Shared fixtures: ledgers are small text a person can read, loaded by the real loader."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from kcst_budget.books import Books, load_books

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "ledger" / "main.beancount"

#: The head every fixture ledger shares: options, the plugin, the MoU's terms.
HEAD = """\
option "title" "KCST test"
option "operating_currency" "GBP"
plugin "kcst_budget.plugin"
2017-04-01 custom "fava-option" "fiscal-year-end" "03-31"
2017-04-01 open Assets:KFRS:KCST-Pool GBP
2017-04-01 open Income:Contributions:KCC GBP
2017-04-01 open Income:Contributions:KFRS GBP
2017-04-01 open Income:Contributions:KP GBP
2017-04-01 open Equity:Withdrawn:KCC GBP
2017-04-01 open Equity:Withdrawn:KFRS GBP
2017-04-01 open Equity:Withdrawn:KP GBP
2018-01-01 open Expenses:Staff:Admin GBP
2018-01-01 open Expenses:Staff:Coordinator GBP
2018-01-01 open Expenses:Staff:Analyst GBP
2018-01-01 open Expenses:Staff:Other GBP
2018-01-01 open Expenses:Accommodation:HotDesking GBP
  approval: "smt"
2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
  partners: "KCC KFRS KP"
  host: "KFRS"
  pool: Assets:KFRS:KCST-Pool
  meeting-interval-months: 2
  notice-months: 6
  reviews: "2019-01 2020-01"
2017-04-01 custom "kcst-contribution-minimum" 10000.00 GBP
2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
"""

#: How many lines ``HEAD`` takes, so tests can name the line of what follows it.
HEAD_LINES = HEAD.count("\n")


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write ``HEAD`` (unless ``head=False``) plus dedented ``body`` to a ledger file."""

    def write(body: str, *, head: bool = True, name: str = "main.beancount") -> Path:
        path = tmp_path / name
        path.write_text((HEAD if head else "") + textwrap.dedent(body), encoding="utf-8")
        return path

    return write


@pytest.fixture
def books_of_text(write_ledger: Callable[..., Path]) -> Callable[..., Books]:
    def load(body: str, *, head: bool = True) -> Books:
        return load_books(write_ledger(body, head=head))

    return load


@pytest.fixture(scope="session")
def bundled() -> Books:
    return load_books(BUNDLED)


def year_end_line(path: Path, fy: str) -> int:
    """The line of the FY's ``kcst-year-end`` record in ``path`` (the books change)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'"kcst-year-end" "{fy}"' in line)
