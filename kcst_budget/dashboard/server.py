"""Serve Fava (the real app) on 127.0.0.1 for one ledger."""

from __future__ import annotations

from pathlib import Path

from flask import Flask


def make_app(ledger: Path, *, read_only: bool = False) -> Flask:
    from fava.application import create_app

    return create_app([str(ledger.resolve())], load=True, read_only=read_only)


def serve(ledger: Path, *, port: int = 5000, read_only: bool = False) -> None:
    from cheroot.wsgi import Server

    app = make_app(ledger, read_only=read_only)
    server = Server(("127.0.0.1", port), app)
    print(f"kcst dashboard: http://127.0.0.1:{port}/ (ledger {ledger})", flush=True)
    try:
        server.start()
    except KeyboardInterrupt:
        server.stop()
