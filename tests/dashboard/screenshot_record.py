"""Take docs/img/record-meeting.png with the browser tests' harness (the real ``kcst
dashboard`` and Debian's chromium): the meeting form on a copy of the bundled ledger, the
meeting of 7 May 2020 and its two decisions previewed, at 1366x768.

    .venv/bin/python -m tests.dashboard.screenshot_record [light|dark]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.conftest import ROOT
from tests.dashboard.conftest import ARGS, CHROMIUM, Server

TARGET = ROOT / "docs" / "img" / "record-meeting.png"


def main(scheme: str = "light") -> None:
    os.environ["KCST_TODAY"] = "2020-05-29"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "ledger"
        shutil.copytree(ROOT / "ledger", folder, ignore=shutil.ignore_patterns(".*"))
        os.chdir(scratch)  # the server shows paths from its working folder: ledger/...
        server = Server(folder / "main.beancount")
        target = TARGET if scheme == "light" else TARGET.with_name(f"record-meeting-{scheme}.png")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1366, "height": 768},
                                        color_scheme=scheme)
                page.goto(server.url("extension/KCSTDashboard/record?kind=meeting"),
                          wait_until="networkidle")
                page.fill("input[name=date]", "2020-05-07")
                for code, value in (("kcc", "present"), ("kfrs", "present"), ("kp", "deputy")):
                    page.check(f"input[name={code}][value={value}]")
                page.check("input[name=budget_reviewed]")
                page.check("input[name=performance_report]")
                rows = page.locator("tr[data-decision-row]")
                for number, (decision, text, limit) in enumerate((
                        ("D-2020-05-1", "Hot-desking licences, Loose Road", "1,500.00"),
                        ("D-2020-05-2", "Ask the partners for interim contributions", ""))):
                    rows.nth(number).locator("input[name=id]").fill(decision)
                    rows.nth(number).locator("input[name=text]").fill(text)
                    rows.nth(number).locator("input[name=limit]").fill(limit)
                with page.expect_navigation(wait_until="networkidle"):
                    page.click("[data-preview]")
                page.screenshot(path=str(target))
                browser.close()
        finally:
            server.stop()
    print(f"saved {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
