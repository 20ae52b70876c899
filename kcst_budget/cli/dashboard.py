"""``kcst dashboard``: serve Fava with the SMT dashboard on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import LedgerOption, fail, ledger_path


@app.command()
def dashboard(
    ledger: Path | None = LedgerOption,
    port: int = typer.Option(5000, "--port", min=1, max=65535, help="Port on 127.0.0.1."),
    read_only: bool = typer.Option(False, "--read-only", help="Refuse every edit (HTTP 401)."),
) -> None:
    """Serve Fava with the SMT dashboard at /<ledger-slug>/extension/KCSTDashboard/."""
    from kcst_budget.dashboard.server import PortInUseError, serve

    path = ledger_path(ledger)
    try:
        serve(path, port=port, read_only=read_only)
    except PortInUseError as problem:
        fail(f"--port: {problem}")
