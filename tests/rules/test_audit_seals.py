"""The audit records the seals (spec section 6, issue 13): ``kcst audit``'s JSON lists each
sealed FY with its digest and carried-forward balance, the text and HTML audits and the
auditor's pack print them, and ``--since`` names the audit it held them against."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from kcst_budget.cli import app

from ..conftest import BUNDLED, year_end_line

LEDGER = BUNDLED.parent


def kcst(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--ledger", str(BUNDLED)])
    return result.exit_code, result.output


def test_the_audit_json_lists_each_sealed_fy(bundled) -> None:
    code, output = kcst("audit", "--as-of", "2020-06-30", "--format", "json")
    assert code == 0
    report = json.loads(output)
    records = {y.fy.label: y for y in bundled.terms.year_ends}
    assert [(s["fy"], s["date"], s["carried_forward"], Path(s["file"]).name, s["line"])
            for s in report["seals"]] == [
        ("2017/18", "2018-03-31", "30000.00", "2017-18.beancount",
         year_end_line(LEDGER / "2017-18.beancount", "2017/18")),
        ("2018/19", "2019-03-31", "-4890.00", "2018-19.beancount",
         year_end_line(LEDGER / "2018-19.beancount", "2018/19")),
        ("2019/20", "2020-03-31", "370.00", "2019-20.beancount",
         year_end_line(LEDGER / "2019-20.beancount", "2019/20"))]
    assert [s["digest"] for s in report["seals"]] == [records[s["fy"]].digest
                                                      for s in report["seals"]]
    assert report["since"] is None


def test_the_audit_lists_only_the_seals_dated_by_its_as_of_date() -> None:
    _, output = kcst("audit", "--as-of", "2019-06-30", "--format", "json")
    assert [s["fy"] for s in json.loads(output)["seals"]] == ["2017/18", "2018/19"]


def test_the_text_and_html_audits_print_each_digest(bundled, tmp_path: Path) -> None:
    _, text = kcst("audit", "--as-of", "2020-06-30")
    html_file = tmp_path / "audit.html"
    kcst("audit", "--as-of", "2020-06-30", "--format", "html", "--output", str(html_file))
    html = html_file.read_text()
    assert "Sealed periods" in text and 'id="seals"' in html
    for year_end in bundled.terms.year_ends:
        assert year_end.digest in text and year_end.digest in html
    assert "  2018/19  31 March 2019  carried forward -£4,890.00  " in text


def test_the_auditors_pack_prints_each_digest_and_balance(bundled, tmp_path: Path) -> None:
    output = tmp_path / "pack.html"
    code, said = kcst("report", "audit", "--as-of", "2020-06-30", "--format", "html",
                      "--output", str(output))
    assert code == 0, said
    table = output.read_text().split("8. Sealed periods", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr data-fy="([^"]+)"[^>]*>(.*?)</tr>', table, re.S)
    assert [fy for fy, _ in rows] == ["2017/18", "2018/19", "2019/20"]
    for (fy, row), year_end in zip(rows, bundled.terms.year_ends, strict=True):
        assert year_end.digest in row, fy
    assert "-£4,890.00" in rows[1][1] and "£370.00" in rows[2][1]


def test_an_audit_since_names_the_audit_it_held_the_seals_against(tmp_path: Path) -> None:
    previous = tmp_path / "audit-2020-06-30.json"
    kcst("audit", "--as-of", "2020-06-30", "--format", "json", "--output", str(previous))
    code, output = kcst("audit", "--format", "json", "--since", str(previous))
    assert code == 0
    assert json.loads(output)["since"] == {"file": str(previous), "as_of": "2020-06-30"}
    _, text = kcst("audit", "--since", str(previous))
    assert f"held against the audit as of 30 June 2020 ({previous})" in text
