"""``kcst dashboard``: bad arguments are refused at once, naming the argument (exit 2)."""

from __future__ import annotations

import socket
import subprocess
import urllib.request
from pathlib import Path

from tests.conftest import BUNDLED
from tests.dashboard.conftest import BIN, Server, free_port

KCST = str(BIN / "kcst")


def test_a_missing_ledger_is_refused_naming_the_argument(tmp_path: Path) -> None:
    run = subprocess.run([KCST, "dashboard", "--ledger", str(tmp_path / "none.beancount")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"kcst: --ledger: no ledger file at {tmp_path / 'none.beancount'}" in run.stderr


def test_a_port_already_in_use_is_refused_before_the_ledger_loads() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", free_port()))
        busy.listen()
        port = busy.getsockname()[1]
        run = subprocess.run([KCST, "dashboard", "--ledger", str(BUNDLED), "--port", str(port)],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"kcst: --port: cannot listen on 127.0.0.1:{port}" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_port_out_of_range_is_refused() -> None:
    run = subprocess.run([KCST, "dashboard", "--ledger", str(BUNDLED), "--port", "70000"],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "--port" in run.stderr


def test_kcst_dashboard_prints_the_address_of_the_dashboard() -> None:
    server = Server(BUNDLED)
    try:
        with urllib.request.urlopen(server.url("extension/KCSTDashboard/"), timeout=30) as page:
            assert page.status == 200
    finally:
        server.stop()
    assert server.process.stdout is not None
    printed = server.process.stdout.read().decode()
    assert f"kcst dashboard: {server.base}/kcst-pooled-budget/extension/KCSTDashboard/" in printed
