"""Take docs/img/dashboard.png with the browser tests' harness (the real ``kcst dashboard``
and Debian's chromium): the bundled ledger as of the January 2019 review.

    .venv/bin/python -m tests.dashboard.screenshot
"""

from __future__ import annotations

from playwright.sync_api import sync_playwright

from tests.conftest import BUNDLED, ROOT
from tests.dashboard.conftest import ARGS, CHROMIUM, Server

AS_OF = "2019-01-17"
TARGET = ROOT / "docs" / "img" / "dashboard.png"


def main() -> None:
    server = Server(BUNDLED)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url(f"extension/KCSTDashboard/?as_of={AS_OF}"),
                      wait_until="networkidle")
            assert errors == [], errors
            assert page.get_attribute(".kcst", "data-as-of") == AS_OF
            # Fava scrolls its <article>, not the page: grow the window to the whole report
            height = page.evaluate("document.querySelector('article').scrollHeight")
            page.set_viewport_size({"width": 1300, "height": height + 60})
            page.screenshot(path=str(TARGET), full_page=True)
            browser.close()
    finally:
        server.stop()
    print(f"saved {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
