"""The ``kcst`` command (spec section 6): a presenter of what the package computes.

Exit status: 0 no breach (warnings may be present), 1 at least one breach, 2 the ledger
has errors of its own or the arguments are wrong.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kcst",
    help="Books, rules and reports for the KCST pooled budget (MoU 2018-2020).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each command lives in its own module and registers itself on ``app``.
from kcst_budget.cli import audit as _audit  # noqa: E402,F401
from kcst_budget.cli import calendar as _calendar  # noqa: E402,F401
from kcst_budget.cli import check as _check  # noqa: E402,F401
from kcst_budget.cli import close_year as _close_year  # noqa: E402,F401
from kcst_budget.cli import dashboard as _dashboard  # noqa: E402,F401
from kcst_budget.cli import import_export as _import_export  # noqa: E402,F401
from kcst_budget.cli import money as _money  # noqa: E402,F401
from kcst_budget.cli import projects as _projects  # noqa: E402,F401
from kcst_budget.cli import record as _record  # noqa: E402,F401
from kcst_budget.cli import report as _report  # noqa: E402,F401


def main() -> None:
    app()
