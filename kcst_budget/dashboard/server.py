"""Serve Fava (the real app) on 127.0.0.1 for one ledger, with the SMT dashboard."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

#: Where the dashboard lives under a ledger's slug.
DASHBOARD_PATH = "extension/KCSTDashboard/"


class PortInUseError(OSError):
    """The port asked for cannot be listened on."""


def make_app(ledger: Path, *, read_only: bool = False) -> Flask:
    """Fava's own application for ``ledger``; ``read_only`` refuses every request that is
    not a GET with HTTP 401 (Fava's read-only mode), the dashboard still renders."""
    from fava.application import create_app

    return create_app([str(ledger.resolve())], load=True, read_only=read_only)


def serve(ledger: Path, *, port: int = 5000, read_only: bool = False) -> None:
    """Take the port, load the ledger, then serve it on 127.0.0.1 until interrupted."""
    from cheroot.wsgi import Server

    server = Server(("127.0.0.1", port), None)
    try:
        server.prepare()  # before the (possibly long) load: a busy port fails at once
    except OSError as problem:
        raise PortInUseError(f"cannot listen on 127.0.0.1:{port}: {problem.strerror or problem}") \
            from problem
    app = make_app(ledger, read_only=read_only)
    server.wsgi_app = app
    slugs = list(app.config["LEDGERS"].ledgers_by_slug)
    mode = ", read-only" if read_only else ""
    print(f"kcst dashboard: http://127.0.0.1:{port}/{slugs[0]}/{DASHBOARD_PATH} "
          f"(ledger {ledger}{mode})", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
