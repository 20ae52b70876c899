"""Re-make the pictures in ``docs/img/`` from what the code shows today, so they never go
stale:

- ``dashboard.png``: the real ``kcst dashboard`` on the bundled books as of the January
  2019 review, in Debian's chromium at 1366 px wide (a meeting room's projector), the
  whole page;
- ``dashboard-dark.png``: the same in Fava's dark theme, the first screen;
- ``report-smt.png``: page 1 of the SMT paper for the same date (``kcst report smt
  --format pdf``, then ``pdftoppm``);
- ``report-audit.png``: page 1 of the auditor's pack, lapses example, 2018/19 as of 30
  April 2019.

    .venv/bin/python -m tools.docs_images [--only dashboard|smt|audit]

A tool, not part of the package: it runs the ``kcst`` command and the browser the way a
person would. ``KCST_TODAY`` is fixed to 2 December 2026 so the papers' dates do not
change from one run to the next.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BUNDLED = ROOT / "ledger" / "main.beancount"
LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
AS_OF = "2019-01-17"
ENV = {**os.environ, "KCST_TODAY": "2026-12-02"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dashboard() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen([str(BIN / "kcst"), "dashboard", "--ledger", str(BUNDLED),
                              "--port", str(port)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, env=ENV)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    slug = response.url.rstrip("/").split("/")[3]
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("kcst dashboard did not start") from None
                time.sleep(0.3)
        url = f"{base}/{slug}/extension/KCSTDashboard/?as_of={AS_OF}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme, name, whole in (("light", "dashboard.png", True),
                                        ("dark", "dashboard-dark.png", False)):
                page = browser.new_page(viewport={"width": 1366, "height": 768},
                                        color_scheme=scheme)
                page.goto(url, wait_until="networkidle")
                if page.get_attribute(".kcst", "data-as-of") != AS_OF:
                    raise SystemExit("the dashboard did not show the date asked for")
                if whole:  # Fava scrolls its <article>, not the page: grow the window
                    height = page.evaluate("document.querySelector('article').scrollHeight")
                    page.set_viewport_size({"width": 1366, "height": height + 60})
                page.screenshot(path=str(IMG / name), full_page=whole)
                page.close()
                print(f"saved {(IMG / name).relative_to(ROOT)}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


def first_page(args: list[str], name: str) -> None:
    """``kcst report ... --format pdf``, then page 1 at 110 dpi as ``docs/img/<name>``."""
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        subprocess.run([str(BIN / "kcst"), "report", *args, "--format", "pdf", "--output",
                        str(pdf)], check=True, env=ENV, stdout=subprocess.DEVNULL)
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(IMG / Path(name).stem)], check=True)
    print(f"saved {(IMG / name).relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["dashboard", "smt", "audit"])
    only = parser.parse_args().only
    IMG.mkdir(parents=True, exist_ok=True)
    if only in (None, "dashboard"):
        dashboard()
    if only in (None, "smt"):
        first_page(["smt", "--ledger", str(BUNDLED), "--as-of", AS_OF], "report-smt.png")
    if only in (None, "audit"):
        first_page(["audit", "--ledger", str(LAPSES), "--as-of", "2019-04-30", "--fy", "2018/19"],
                   "report-audit.png")


if __name__ == "__main__":
    main()
