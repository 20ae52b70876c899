"""``kcst dashboard``: serve Fava with the SMT dashboard on 127.0.0.1 (or ``--host``)."""

from __future__ import annotations

from pathlib import Path

import typer

from kcst_budget.cli import app
from kcst_budget.cli.common import LedgerOption, fail, ledger_path


@app.command()
def dashboard(
    ledger: Path | None = LedgerOption,
    port: int = typer.Option(5000, "--port", min=1, max=65535, help="Port to serve on."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to serve on (default 127.0.0.1, this machine only). "
                             "The dashboard answers only to the loopback names and this one."),
    read_only: bool = typer.Option(False, "--read-only", help="Refuse every edit (HTTP 401)."),
) -> None:
    """Serve Fava with the SMT dashboard at /<ledger-slug>/extension/KCSTDashboard/."""
    from kcst_budget.dashboard.server import HostError, PortInUseError, serve

    path = ledger_path(ledger)
    try:
        serve(path, host=host, port=port, read_only=read_only)
    except HostError as problem:
        fail(f"--host: {problem}")
    except PortInUseError as problem:
        fail(f"--port: {problem}")
