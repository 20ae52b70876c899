"""``kcst dashboard`` trusts no other origin: a payee written to run as script does not run
in Fava's Journal or account page (Content-Security-Policy), Fava's own pages still work
in chromium under that policy, a foreign ``Host`` is refused (DNS rebinding), and a write
needs a same-origin ``Origin`` or ``Referer``."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kcst_budget.dashboard.security import CONTENT_SECURITY_POLICY
from tests.conftest import BUNDLED
from tests.entry.conftest import folder_digest
from tests.safety.conftest import tree_env

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAYEE = '"><img src=x onerror=alert(1)>'
NARRATION = "<svg onload=alert(2)></svg>"
ACCOUNT = "Expenses:Staff:Coordinator"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """``kcst dashboard`` of this tree, as a process."""

    def __init__(self, ledger: Path, *extra: str, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kcst_budget.cli", "dashboard", "--ledger", str(ledger),
             "--port", str(self.port), *extra], env=tree_env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        assert self.process.stdout is not None
        self.printed = self.process.stdout.readline()
        if not self.printed.startswith("kcst dashboard: http://"):
            self.stop()
            raise RuntimeError(f"kcst dashboard did not start: {self.printed}")
        self.dashboard = self.printed.split()[2]
        self.base = f"http://{host}:{self.port}"
        self.slug = urllib.parse.urlsplit(self.dashboard).path.split("/")[1]

    def url(self, path: str) -> str:
        return f"{self.base}/{self.slug}/{path}"

    def request(self, method: str, path: str, body: object = None,
                **headers: str) -> tuple[int, dict[str, str], bytes]:
        """One request with exactly these headers (``Host`` included when given)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        data = None if body is None else json.dumps(body).encode()
        connection.putrequest(method, f"/{self.slug}/{path}", skip_host="Host" in headers,
                              skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        answer = (response.status, dict(response.getheaders()), response.read())
        connection.close()
        return answer

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Served]]:
    """Small books with a spend whose payee and narration are HTML meant to run, written
    by ``kcst record`` itself, served by ``kcst dashboard``."""
    from tests.conftest import HEAD

    folder = tmp_path_factory.mktemp("hostile") / "ledger"
    folder.mkdir()
    main = folder / "main.beancount"
    main.write_text(HEAD, encoding="utf-8")
    recorded = subprocess.run(
        [sys.executable, "-m", "kcst_budget.cli", "record", "spend", "--account", ACCOUNT,
         "--amount", "12.00", "--date", "2019-05-01", "--payee", PAYEE, "--narration", NARRATION,
         "--ledger", str(main)], env=tree_env(), capture_output=True, text=True, timeout=120)
    assert recorded.returncode in (0, 1), recorded.stderr  # recorded (a breach is still a fact)
    assert PAYEE.replace('"', '\\"') in (folder / "2019-20.beancount").read_text()
    served = Served(main)
    yield main, served
    served.stop()


def visit(browser, url: str, wait_for: str | None = None) -> tuple[list[str], list[str], object]:
    """Open ``url``: the dialogs any script opened, the page's errors, and the page."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    if wait_for:
        page.wait_for_selector(wait_for, timeout=30_000)
    page.wait_for_timeout(500)
    return dialogs, errors, page


@pytest.mark.parametrize("path", ["journal/", f"account/{ACCOUNT}/"])
def test_an_injected_payee_does_not_run_in_favas_pages(hostile, browser, path: str) -> None:
    _, served = hostile
    dialogs, errors, page = visit(browser, served.url(path))
    injected = page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length")
    page.close()
    assert injected >= 1  # Fava put the payee into the page as HTML...
    assert dialogs == []  # ...and the browser refused to run it
    assert any("Content Security Policy" in error for error in errors), errors


@pytest.fixture(scope="module")
def bundled_served() -> Iterator[Served]:
    served = Served(BUNDLED)
    yield served
    served.stop()


@pytest.mark.parametrize(("path", "ready"), [
    ("journal/", ".journal"),
    ("income_statement/", "svg"),
    (f"account/{ACCOUNT}/", ".journal"),
    ("editor/", ".cm-editor"),
    ("extension/KCSTDashboard/", ".kcst svg"),
])
def test_favas_own_pages_still_work_under_the_policy(bundled_served, browser, path: str,
                                                     ready: str) -> None:
    dialogs, errors, page = visit(browser, bundled_served.url(path), ready)
    page.close()
    assert dialogs == [] and errors == []


def test_every_response_carries_the_policy(bundled_served) -> None:
    for path in ("extension/KCSTDashboard/", "api/changed", "journal/", "no/such/page"):
        status, headers, _ = bundled_served.request("GET", path)
        assert status in (200, 404), path
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        directives = dict(d.strip().split(" ", 1) for d in CONTENT_SECURITY_POLICY.split(";"))
        assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # no inline, no eval
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_foreign_host_is_refused_and_the_loopback_names_are_served(bundled_served) -> None:
    port = bundled_served.port
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert bundled_served.request("GET", "api/changed", Host=host)[0] == 200, host
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1:{port + 1}",
                 f"127.0.0.1.attacker.example:{port}", ""):
        status, _, body = bundled_served.request("GET", "api/source?filename=x", Host=host)
        assert status == 421 and b"is not served here" in body, host


def entry(narration: str) -> dict[str, object]:
    return {"entries": [{
        "t": "Transaction", "date": "2019-05-02", "flag": "*", "payee": "Kent Police",
        "narration": narration, "tags": [], "links": [], "meta": {},
        "postings": [{"account": "Assets:KFRS:KCST-Pool", "amount": "1.00 GBP"},
                     {"account": "Income:Contributions:KP", "amount": "-1.00 GBP"}]}]}


def test_a_write_needs_a_same_origin_origin_or_referer(hostile) -> None:
    main, served = hostile
    before = folder_digest(main.parent)
    ours = served.base
    for headers in ({}, {"Origin": "http://attacker.example"}, {"Origin": "null"},
                    {"Origin": f"http://localhost:{served.port + 1}"},
                    {"Referer": "http://attacker.example/page"},
                    {"Host": f"attacker.example:{served.port}",
                     "Origin": f"http://attacker.example:{served.port}"}):
        status, _, _ = served.request("PUT", "api/add_entries", entry("refused"), **headers)
        assert status in (403, 421), headers
    assert folder_digest(main.parent) == before
    assert served.request("PUT", "api/add_entries", entry("from the page"), Origin=ours)[0] == 200
    assert served.request("PUT", "api/add_entries", entry("from a form"),
                          Referer=f"{ours}/{served.slug}/journal/")[0] == 200
    text = "".join(p.read_text() for p in main.parent.glob("*.beancount"))
    assert '"from the page"' in text and '"from a form"' in text and '"refused"' not in text


def test_host_serves_another_address_and_answers_only_to_its_names(tmp_path: Path) -> None:
    served = Served(BUNDLED, "--host", "127.0.0.2", host="127.0.0.2")
    try:
        assert served.printed.startswith(f"kcst dashboard: http://127.0.0.2:{served.port}/")
        assert served.request("GET", "api/changed", Host=f"127.0.0.2:{served.port}")[0] == 200
        assert served.request("GET", "api/changed", Host=f"attacker.example:{served.port}")[0] \
            == 421
    finally:
        served.stop()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", ""])
def test_host_refuses_every_address_at_once(host: str) -> None:
    run = subprocess.run([sys.executable, "-m", "kcst_budget.cli", "dashboard", "--ledger",
                          str(BUNDLED), "--host", host, "--port", str(free_port())],
                         env=tree_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "kcst: --host:" in run.stderr and "Traceback" not in run.stderr


def test_make_app_keeps_the_checks_under_a_test_client() -> None:
    from kcst_budget.dashboard.server import make_app

    app = make_app(BUNDLED)
    client = app.test_client()
    slug = next(iter(app.config["LEDGERS"].ledgers_by_slug))
    page = client.get(f"/{slug}/extension/KCSTDashboard/")
    assert page.status_code == 200 and page.headers["Content-Security-Policy"]
    assert client.get(f"/{slug}/api/changed", headers={"Host": "evil.example"}).status_code == 421
    assert client.put(f"/{slug}/api/add_entries", json=entry("x")).status_code == 403


def test_read_only_still_answers_401_to_any_write_and_refuses_foreign_hosts() -> None:
    from kcst_budget.dashboard.server import make_app

    app = make_app(BUNDLED, read_only=True)
    client = app.test_client()
    slug = next(iter(app.config["LEDGERS"].ledgers_by_slug))
    assert client.put(f"/{slug}/api/add_entries", json=entry("x")).status_code == 401
    assert client.put(f"/{slug}/api/add_entries", json=entry("x"),
                      headers={"Host": "evil.example"}).status_code == 421
