"""HTML to an A4 PDF through headless Debian chromium (Playwright), with no network.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium``. The page
is given as a string (``page.set_content``) and any request it would make is refused, so
a report prints the same on a machine with no network. Every page carries a footer with
the document's title, its as-of date and ``page N of M``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}


class PdfError(RuntimeError):
    """Chromium could not print the document (missing, or failed)."""


def footer(text: str) -> str:
    """Chromium's footer template: ``text`` on the left, ``page N of M`` on the right."""
    return ('<div style="font-family: \'DejaVu Sans\', Arial, sans-serif; font-size: 7pt; '
            'color: #555; width: 100%; margin: 0 12mm; display: flex; '
            'justify-content: space-between;">'
            f'<span>{escape(text)}</span><span>page <span class="pageNumber"></span> of '
            '<span class="totalPages"></span></span></div>')


def html_to_pdf(html: str, footer_text: str = "") -> bytes:
    """Print ``html`` (self-contained: inline CSS and SVG) to A4 and return the PDF."""
    if not Path(CHROMIUM).is_file():
        raise PdfError(f"no chromium at {CHROMIUM}: install Debian's chromium "
                       "(make test installs it) to print PDF reports")
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_()
                           if route.request.url.startswith(("data:", "about:")) else route.abort())
                page.set_content(html, wait_until="load")
                return page.pdf(format="A4", print_background=True, margin=MARGIN,
                                display_header_footer=True, header_template="<span></span>",
                                footer_template=footer(footer_text))
            finally:
                browser.close()
    except PlaywrightError as problem:
        raise PdfError(f"chromium could not print the report: {problem}") from problem
