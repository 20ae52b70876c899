"""Serve Fava (the real app) for one ledger, with the SMT dashboard, on 127.0.0.1 unless
``--host`` names another address; the app trusts no other origin
(``kcst_budget.dashboard.security``)."""

from __future__ import annotations

import socket
from pathlib import Path

from flask import Flask

from kcst_budget.dashboard.security import allowed_hosts, host_name, secure

#: Where the dashboard lives under a ledger's slug.
DASHBOARD_PATH = "extension/KCSTDashboard/"
DEFAULT_HOST = "127.0.0.1"
#: Addresses that listen on every interface: the dashboard is served on one named address.
EVERY_ADDRESS = frozenset({"", "0.0.0.0", "::", "[::]", "*"})


class PortInUseError(OSError):
    """The port asked for cannot be listened on."""


class HostError(OSError):
    """The address asked for cannot be listened on (no such name, not this machine's)."""


def make_app(ledger: Path, *, read_only: bool = False, host: str | None = None,
             port: int | None = None) -> Flask:
    """Fava's own application for ``ledger``, answering only to the loopback names and
    ``host`` (on ``port``, when given), with the security headers on every response.
    ``read_only`` refuses every request that is not a GET with HTTP 401 (Fava's read-only
    mode); the dashboard still renders."""
    from fava.application import create_app

    app = create_app([str(ledger.resolve())], load=True, read_only=read_only)
    return secure(app, names=allowed_hosts(host), port=port, read_only=read_only)


def serve(ledger: Path, *, host: str = DEFAULT_HOST, port: int = 5000,
          read_only: bool = False) -> None:
    """Take the address, load the ledger, then serve it until interrupted."""
    from cheroot.wsgi import Server

    if host.strip() in EVERY_ADDRESS:
        raise HostError(f"{host!r} listens on every address of the machine; name the one "
                        "address or host name the SMT will open (e.g. 192.0.2.10)")
    address = host.strip("[]")
    server = Server((address, port), None)
    try:
        server.prepare()  # before the (possibly long) load: a busy port fails at once
    except socket.gaierror as problem:
        raise HostError(f"cannot listen on {host}: {problem.strerror or problem}") from problem
    except OSError as problem:
        where = f"{host_name(address)}:{port}"
        if problem.errno in (99, 10049):  # EADDRNOTAVAIL: no address of this machine
            raise HostError(f"cannot listen on {where}: {problem.strerror}") from problem
        raise PortInUseError(f"cannot listen on {where}: {problem.strerror or problem}") \
            from problem
    app = make_app(ledger, read_only=read_only, host=address, port=port)
    server.wsgi_app = app
    slugs = list(app.config["LEDGERS"].ledgers_by_slug)
    mode = ", read-only" if read_only else ""
    print(f"kcst dashboard: http://{host_name(address)}:{port}/{slugs[0]}/{DASHBOARD_PATH} "
          f"(ledger {ledger}{mode})", flush=True)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
