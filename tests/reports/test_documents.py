"""The SMT paper as a UK committee report and the auditor's pack as evidence, in HTML,
PDF and XLSX: the parts each must carry, figures equal to the CLI's and, on a small
fixture ledger, to figures worked by hand; in print, no heading, table header or lone line
left at the foot of a page."""

from __future__ import annotations

import datetime
import re
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from kcst_budget.amounts import gbp
from kcst_budget.books import load_books
from kcst_budget.periods import parse_fy

from ..conftest import BUNDLED
from .conftest import COVERED, LAPSES, UNDERFUNDED, kcst, kcst_json, marked

#: COVERED as of 20 November 2018, by hand (tests/reports/conftest.py): the
#: administration officer (24,000.00 a year from 1 April 2018) paid 2,000.00 on the 25th
#: of April to October; hot desks 2,400.00 on a decision of 3,000.00; 16,000.00 from each
#: partner on 1 May; 30,000.00 brought forward.
BY_HAND = {
    # budget: 24,000.00 + the decision's 3,000.00; to date: 7 months + 20/30 of November
    # (14,000.00 + 1,333.33) + 3,000.00; actual: 7 salaries + the desks; outturn: the
    # actual + November to March (5 x 2,000.00) + the decision's unspent 600.00
    ("total", "budget"): "27000.00", ("total", "budget_to_date"): "18333.33",
    ("total", "actual"): "16400.00", ("total", "variance_to_date"): "1933.33",
    ("total", "outturn"): "27000.00", ("total", "variance"): "0.00",
    (None, "gap"): "21000.00",  # 48,000.00 of minimums - 27,000.00 of budget
    # 30,000.00 + 48,000.00 - 2,400.00 - 14,000.00
    (None, "balance_as_of"): "61600.00",
    # + 2019/20's minimums from KCC and KFRS (KP's notice takes effect 31 March 2019)
    # - the officer's 24 months (48,000.00) less the 14,000.00 paid - the 600.00 unspent
    (None, "balance_at_term_end"): "59000.00", (None, "shortfall"): "0.00",
}


def write(args: list[str], out: Path) -> Path:
    result = kcst(*args, "--output", str(out))
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture
def covered(write_ledger) -> Path:
    return write_ledger(COVERED)


def test_the_smt_paper_is_a_committee_report(tmp_path, covered) -> None:
    html = write(["report", "smt", "--ledger", str(covered), "--as-of", "2018-11-20",
                  "--author", "A. Treasurer, KFRS Finance", "--version", "2.1 (final)"],
                 tmp_path / "smt.html").read_text(encoding="utf-8")
    cover = html.split("</header>")[0]
    assert "A. Treasurer, KFRS Finance" in cover and "2.1 (final)" in cover
    assert "Date of report" in cover and 'data-as-of="2018-11-20"' in cover
    assert re.search(r'data-fingerprint>sha256:[0-9a-f]{64}<', cover)
    headings = re.findall(r"<h2>(.*?)</h2>", html)
    assert headings[:3] == ["1. Summary", "2. Recommendations: decisions required",
                            "3. Financial implications"]
    assert {"8. Risks", "Background papers"} <= set(headings)
    assert any(h.startswith("4. Budget monitoring") for h in headings)
    assert any(h.startswith("5. Forecast outturn") for h in headings)
    shown = marked(html)
    for key, value in BY_HAND.items():
        assert shown[key] == value, key
    # the recommendations follow from the books: KP's notice, the meeting due, the review
    actions = re.findall(r'<li data-action="(\w+)"><strong>\1</strong> (.*?)</li>', html, re.S)
    said = " ".join(text for _, text in actions)
    assert "KP&#39;s notice of withdrawal, given 1 September 2018" in said
    assert "due by 1 January 2019 (cl. 4.1)" in said
    assert "reviewed in January 2019 (cl. 11.1)" in said
    assert [a for a, _ in actions].count("AGREE") >= 1
    assert 'data-rating="High"' in html  # the withdrawal dissolves the agreement


def test_a_shortfall_is_a_decision_required_with_each_top_up(tmp_path, write_ledger) -> None:
    ledger = write_ledger(UNDERFUNDED)
    html = write(["report", "smt", "--ledger", str(ledger), "--as-of", "2018-11-20"],
                 tmp_path / "smt.html").read_text(encoding="utf-8")
    forecast = kcst_json("forecast", "--ledger", str(ledger), "--as-of", "2018-11-20")
    agree = re.search(r'<li data-action="AGREE"><strong>AGREE</strong> how the forecast '
                      r'shortfall of (£[\d,.]+) .*?</li>', html, re.S)
    assert agree and agree.group(1) == gbp(Decimal(forecast["shortfall"]))
    for code, amount in forecast["top_up_per_partner"].items():
        assert f"{code} {gbp(Decimal(amount))}" in agree.group(0)
    implications = html.split("<h2>3. Financial implications</h2>")[1].split("<h2>")[0]
    for amount in forecast["top_up_per_partner"].values():
        assert gbp(Decimal(amount)) in implications
    assert "The finance officer, KFRS (KFRS, host of the pool)" in html  # the default author


def test_the_pack_lists_every_pool_movement_of_the_year_with_its_file_and_line(
        tmp_path, covered) -> None:
    """By hand: opening 30,000.00 + in 48,000.00 - out 16,400.00 = 61,600.00; eleven
    movements (three contributions, the desks, seven salaries)."""
    html = write(["report", "audit", "--ledger", str(covered), "--as-of", "2018-11-20",
                  "--fy", "2018/19"], tmp_path / "audit.html").read_text(encoding="utf-8")
    shown = marked(html)
    assert [shown[(None, f"listing_{k}")] for k in ("opening", "in", "out", "closing")] == [
        "30000.00", "48000.00", "16400.00", "61600.00"]
    rows = re.findall(r'<tr class="movement" data-where="([^"]+)">', html)
    books = load_books(covered)
    movements = books.movements_between(datetime.date(2018, 4, 1), datetime.date(2018, 11, 20))
    assert len(rows) == len(movements) == 11
    assert rows == [m.source.display() for m in movements]
    text = covered.read_text(encoding="utf-8").splitlines()
    assert all(text[int(where.rsplit(":", 1)[1]) - 1][:10] in {m.date.isoformat()
                                                               for m in movements}
               for where in rows)  # each file:line is the entry's first line
    assert shown[(None, "total_closing")] == "0.00"  # the trial balance's totals


def test_the_pack_carries_the_seals_with_their_digests(tmp_path) -> None:
    html = write(["report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30",
                  "--fy", "2019/20"], tmp_path / "audit.html").read_text(encoding="utf-8")
    digests = re.findall(r'<code class="digest">(sha256:[0-9a-f]{64})</code>', html)
    assert digests == [y.digest for y in load_books(BUNDLED).terms.year_ends]


def test_a_decision_approving_projects_names_them_in_the_register(tmp_path) -> None:
    """Project payments cite the project, not the decision: the decision register's row
    of D-2019-01-2 says it approved P-2019-01 and P-2019-02, where their spend is."""
    html = write(["report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-06-30",
                  "--fy", "2019/20"], tmp_path / "audit.html").read_text(encoding="utf-8")
    rows = dict(re.findall(r'<tr data-decision="([^"]+)">(.*?)</tr>', html, re.S))
    assert "Approves P-2019-01, P-2019-02: their payments cite the project" in rows["D-2019-01-2"]
    assert "Approves P-2019-03:" in rows["D-2019-05-1"]
    assert "Approves" not in rows["D-2018-05-1"]


def test_the_workbook_has_totals_bold_frozen_headers_widths_forecast_and_portions(
        tmp_path, covered) -> None:
    book = openpyxl.load_workbook(write(["report", "audit", "--ledger", str(covered), "--as-of",
                                         "2018-11-20", "--fy", "2018/19", "--format", "xlsx"],
                                        tmp_path / "audit.xlsx"))
    for sheet in book.worksheets:
        header = sheet[1]
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(cell.font.b for cell in header), sheet.title
        for cell in header:
            assert cell.value[:1].isupper(), (sheet.title, cell.value)
            width = sheet.column_dimensions[cell.column_letter].width
            assert width >= min(60, len(cell.value) + 2), (sheet.title, cell.value)
    spend = {row[0]: row for row in book["Spend by line"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["Spend by line"][1]]
    total = dict(zip(header, spend["Total"], strict=True))
    assert {k: Decimal(str(total[k])).quantize(Decimal("0.01")) for k in (
        "Budget", "Budget to date", "Actual", "Variance to date", "Outturn", "Variance")} == {
        "Budget": Decimal("27000.00"), "Budget to date": Decimal("18333.33"),
        "Actual": Decimal("16400.00"), "Variance to date": Decimal("1933.33"),
        "Outturn": Decimal("27000.00"), "Variance": Decimal("0.00")}
    last = book["Spend by line"][book["Spend by line"].max_row]
    assert last[0].value == "Total" and all(cell.font.b for cell in last)
    trial = {row[0]: row for row in book["Trial balance"].iter_rows(min_row=2, values_only=True)}
    assert trial["Total"][1:] == (0, 0, 0)
    assert trial["Debits (closing)"][3] == -trial["Credits (closing)"][3]

    forecast = kcst_json("forecast", "--ledger", str(covered), "--as-of", "2018-11-20")
    rows = {row[0]: row[1] for row in book["Forecast"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(rows["Balance at the end of the term (31 March 2020)"])) == Decimal(
        forecast["balance_at_term_end"]) == Decimal("59000.00")
    assert Decimal(str(rows["+ contributions still due"])) == Decimal("32000.00")
    shares = kcst_json("shares", "--ledger", str(covered), "--as-of", "2018-11-20")
    portions = {row[0]: row for row in book["Portions"].iter_rows(min_row=2, values_only=True)}
    for code, share in shares["partners"].items():
        assert Decimal(str(portions[code][3])).quantize(Decimal("0.01")) == Decimal(share["portion"])
    assert Decimal(str(portions["Pool balance"][3])) == Decimal("61600.00")
    listing = list(book["Pool transactions"].iter_rows(min_row=2, values_only=True))
    assert len(listing) == 1 + 11 + 3  # opening, the movements, in, out and closing
    assert listing[-1][5] == 61600


class _Blocks(HTMLParser):
    """The texts of the headings and of the table header rows of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.header_words: set[str] = set()
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in ("h1", "h2", "h3", "thead"):
            self._in, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            text = " ".join("".join(self._text).split())
            if tag == "thead":
                self.header_words.update(text.split())
            else:
                self.headings.append(text)
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)


def pages_of(pdf: Path) -> list[list[str]]:
    """Each page's lines of text, without the footer and blank lines."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))
    pages = []
    for number in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number),
                               str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        assert lines[-1].endswith(f"page {number} of {count}")
        pages.append(lines[:-1])
    return pages


@pytest.mark.parametrize(("kind", "args"), [
    ("smt", ["--ledger", str(BUNDLED), "--as-of", "2019-01-17"]),
    ("smt", ["--ledger", str(LAPSES), "--as-of", "2019-04-30"]),
    ("audit", ["--ledger", str(LAPSES), "--as-of", "2019-04-30", "--fy", "2018/19"]),
    ("audit", ["--ledger", str(BUNDLED), "--as-of", "2020-06-30", "--fy", "2018/19"]),
], ids=["smt-bundled", "smt-lapses", "audit-lapses", "audit-bundled"])
def test_in_print_no_page_ends_on_a_heading_or_table_header_and_none_holds_a_lone_line(
        tmp_path, kind, args) -> None:
    html = write(["report", kind, *args], tmp_path / f"{kind}.html").read_text(encoding="utf-8")
    pdf = write(["report", kind, *args, "--format", "pdf"], tmp_path / f"{kind}.pdf")
    blocks = _Blocks()
    blocks.feed(html)
    pages = pages_of(pdf)
    for number, lines in enumerate(pages, start=1):
        assert len(lines) >= 6, (number, lines)  # no page with a lone line
        last = lines[-1]
        assert last not in blocks.headings, (number, last)
        words = last.split()
        assert not (len(words) >= 2 and set(words) <= blocks.header_words), (number, last)
    text = "\n".join(line for lines in pages for line in lines)
    if kind == "smt":
        assert "Recommendations: decisions required" in text and "8. Risks" in text
        assert "Report of" in text and "Version" in text
    else:
        fy = parse_fy(args[args.index("--fy") + 1])
        assert f"9. Pool transactions, {fy}" in text
        trial = kcst_json("audit", *args[:4])  # the same date: its counts are in the text
        summary = trial["summary"]
        assert f"{summary['breaches']} breaches" in " ".join(text.split())
