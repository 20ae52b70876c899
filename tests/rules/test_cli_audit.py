"""``kcst audit`` and ``kcst check`` (spec section 6): what an auditor runs, exit 0/1/2."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app
from kcst_budget.rules import RULES

from ..conftest import BUNDLED, HEAD_LINES, ROOT
from .conftest import contribution, line_in, meeting
from .test_lapses_example import line_of

BIN = Path(sys.executable).parent
LAPSES = ROOT / "ledger" / "examples" / "lapses.beancount"
runner = CliRunner()

#: A ledger judged as of 15 February 2018 by its plugin line: only warnings (pool money
#: moved before the term; the 2017/18 minimum not yet paid by two partners).
WARNINGS_ONLY = (meeting("2018-01-18") + contribution("2017-12-01", "KCC", "10000.00"))
INQUORATE = meeting("2018-01-18", kp="absent")


def audit(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["audit", *args])
    return result.exit_code, result.stdout, result.stderr


def as_of_ledger(write_ledger, body: str, as_of: str = "2018-02-15") -> Path:
    from ..conftest import HEAD

    head = HEAD.replace('plugin "kcst_budget.plugin"', f'plugin "kcst_budget.plugin" "as-of: {as_of}"')
    return write_ledger(head + body, head=False)


def test_audit_json_of_the_bundled_ledger_lists_every_rule_clause_by_clause() -> None:
    code, out, _ = audit("--ledger", str(BUNDLED), "--as-of", "2019-06-30", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["ledger"] == str(BUNDLED.resolve()) and report["as_of"] == "2019-06-30"
    assert [(r["id"], r["clause"]) for r in report["rules"]] == [(r.id, r.clause) for r in RULES]
    assert {r["status"] for r in report["rules"]} <= {"pass", "n/a"}
    assert report["summary"]["breaches"] == 0
    findings = [f for r in report["rules"] for f in r["findings"]]
    assert report["summary"]["warnings"] == len(findings) > 0
    for finding in findings:
        assert set(finding) >= {"severity", "date", "message", "file", "line"}
        assert finding["severity"] == "warning" and finding["date"] <= "2019-06-30"
        assert Path(finding["file"]).is_file() and finding["line"] > 0


def test_the_bundled_ledger_passes_the_audit_today_with_warnings_only() -> None:
    code, out, _ = audit("--ledger", str(BUNDLED), "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["summary"]["breaches"] == 0
    overdrawn = next(r for r in report["rules"] if r["id"] == "pool-solvency")["findings"]
    assert [(f["severity"], f["date"]) for f in overdrawn] == [("warning", "2019-03-31")]


def test_a_warning_alone_exits_zero(write_ledger) -> None:
    path = as_of_ledger(write_ledger, WARNINGS_ONLY)
    code, out, _ = audit("--ledger", str(path), "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["summary"]["breaches"] == 0 and report["summary"]["warnings"] > 0


def test_a_breach_exits_one(write_ledger) -> None:
    path = write_ledger(INQUORATE)
    code, out, _ = audit("--ledger", str(path), "--as-of", "2018-02-15")
    assert code == 1
    assert re.search(r"^cl\. 4\.1 +quorum +FAIL ", out, re.M)
    assert re.search(rf"^    breach   2018-01-18  \S*main\.beancount:{HEAD_LINES + 1}\n"
                     r" {13}the SMT meeting of 18 January 2018 was inquorate", out, re.M)


def test_as_of_leaves_out_everything_dated_after_it() -> None:
    code, out, _ = audit("--ledger", str(LAPSES), "--as-of", "2018-07-04", "--format", "json")
    report = json.loads(out)
    assert code == 0  # the inquorate meeting of 5 July 2018 is not yet judged
    dates = [f["date"] for r in report["rules"] for f in r["findings"]]
    assert all(date <= "2018-07-04" for date in dates)


def test_fy_restricts_the_findings_to_those_dated_in_that_fy() -> None:
    code, out, _ = audit("--ledger", str(LAPSES), "--fy", "2019/20", "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["fy"] == "2019/20"
    assert report["summary"] == {**report["summary"], "breaches": 0, "warnings": 2}
    assert next(r for r in report["rules"] if r["id"] == "quorum")["status"] == "pass"
    code, out, _ = audit("--ledger", str(LAPSES), "--fy", "2018-19", "--format", "json")
    assert code == 1 and json.loads(out)["summary"]["breaches"] == 7


def test_audit_text_lists_every_rule_and_the_summary() -> None:
    code, out, _ = audit("--ledger", str(LAPSES))
    assert code == 1
    for rule in RULES:
        assert re.search(rf"^\S.* {re.escape(rule.id)} +(pass|FAIL|n/a) ", out, re.M), rule.id
    assert out.rstrip().endswith("7 breaches, 2 warnings; rules: 9 pass, 7 fail, 3 n/a")


def test_audit_html_is_a_self_contained_page_an_auditor_can_file(tmp_path: Path) -> None:
    output = tmp_path / "audit.html"
    code, out, err = audit("--ledger", str(LAPSES), "--format", "html", "--output", str(output))
    assert code == 1 and out == "" and f"wrote {output}" in err
    page = output.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing fetched
    assert page.count('<tr id="rule-') == len(RULES)
    assert "7 breaches, 2 warnings" in page
    assert f"lapses.beancount:{line_of('2018-08-20 *')}</code>" in page and "2018-08-20" in page


@pytest.mark.parametrize(("name", "starts"), [("audit.html", "<!DOCTYPE html>"),
                                             ("audit.json", "{"), ("audit.txt", "MoU compliance")])
def test_audit_output_format_follows_the_files_ending(tmp_path: Path, name: str,
                                                      starts: str) -> None:
    output = tmp_path / name
    code, out, err = audit("--ledger", str(LAPSES), "--output", str(output))
    assert code == 1 and out == "" and f"wrote {output}" in err
    assert output.read_text(encoding="utf-8").startswith(starts)


def test_audit_to_a_pdf_points_to_the_auditors_pack(tmp_path: Path) -> None:
    code, out, err = audit("--ledger", str(LAPSES), "--output", str(tmp_path / "audit.pdf"))
    assert code == 2 and out == ""
    assert (f"kcst: --output: kcst audit writes text, json or html, not pdf; the auditor's pack "
            f"as PDF is kcst report audit --output {tmp_path / 'audit.pdf'}") in err
    assert list(tmp_path.iterdir()) == []


def test_audit_html_renders_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    output = tmp_path / "audit.html"
    audit("--ledger", str(LAPSES), "--format", "html", "--output", str(output))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(output.as_uri())
            assert page.locator("#summary").inner_text().startswith("7 breaches, 2 warnings")
            assert page.locator("tbody tr").count() == len(RULES)
            quorum = page.locator("#rule-quorum")
            assert quorum.locator(".status").inner_text().lower() == "fail"
            inquorate = line_of('2018-07-05 custom "kcst-meeting"')
            assert f"lapses.beancount:{inquorate}" in quorum.inner_text()
        finally:
            browser.close()


def test_an_invalid_ledger_exits_two_with_its_errors_and_no_judgement(write_ledger) -> None:
    path = write_ledger(INQUORATE + '2018-02-01 * "Unbalanced"\n'
                        "  Assets:KFRS:KCST-Pool  10.00 GBP\n  Income:Contributions:KP  -9.00 GBP\n")
    result = subprocess.run([BIN / "kcst", "audit", "--ledger", str(path)], capture_output=True,
                            text=True, cwd=path.parent)
    assert result.returncode == 2
    assert result.stdout == ""  # never a judgement on an invalid ledger
    assert f"main.beancount:{HEAD_LINES + 7}: Transaction does not balance" in result.stderr
    assert "nothing was judged" in result.stderr and "quorum" not in result.stderr


def test_a_malformed_governance_directive_is_an_error_of_the_ledger(write_ledger) -> None:
    path = write_ledger(meeting("2018-01-18", kp="late"))
    code, out, err = audit("--ledger", str(path))
    assert code == 2 and out == ""
    assert f"main.beancount:{HEAD_LINES + 1}: kcst-meeting: kp: attendance must be one of" in err


@pytest.mark.parametrize("args, named", [
    (["--as-of", "30/06/2019"], "--as-of"),
    (["--fy", "2018/20"], "--fy"),
    (["--format", "pdf"], "--format"),
    (["--ledger", "no/such.beancount"], "--ledger"),
])
def test_wrong_arguments_exit_two_naming_the_argument(args: list[str], named: str) -> None:
    code, out, err = audit("--ledger", str(LAPSES), *args)
    assert code == 2 and out == "" and f"kcst: {named}:" in err


def test_check_prints_one_line_per_problem_with_file_line_and_rule(write_ledger) -> None:
    body = WARNINGS_ONLY + INQUORATE.replace("2018-01-18", "2018-02-01")
    path = as_of_ledger(write_ledger, body)
    result = subprocess.run([BIN / "kcst", "check", "--ledger", str(path)], capture_output=True,
                            text=True, cwd=path.parent)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    quorum = (f"main.beancount:{line_in(body, '2018-02-01')}: [quorum cl. 4.1] the SMT meeting of "
              "1 February 2018 was inquorate: KP neither present nor represented by a nominated "
              "deputy (KP absent); a quorum needs representation from all three constituent "
              "partners")
    assert quorum in lines
    term = (f"main.beancount:{line_in(body, '2017-12-01')}: [term cl. 3.1] £10,000.00 moved "
            "into the pool on 1 December 2017, when no agreement was in force; MoU 2018-2020 "
            "is in force from 1 January 2018 until 31 March 2020")
    assert term in lines
    assert all(re.match(r"^main\.beancount:\d+: \[[a-z-]+( cl\. [0-9., ]+)?\] \S", line)
               for line in lines)
    assert "As of 2018-02-15: 1 breach, 3 warnings." in result.stderr


FINDING_LINE = re.compile(r"^(?P<file>\S+):(?P<line>\d+): \[(?P<rule>[a-z-]+)[^\]]*\] "
                          r"(?P<message>.+)$")


def findings_printed(text: str) -> list[tuple[str, int, str, str]]:
    """(file name, line, rule, message) of every ``file:line: [rule cl. X] message``."""
    found = []
    for line in text.splitlines():
        match = FINDING_LINE.match(line)
        if match:
            found.append((Path(match["file"]).name, int(match["line"]), match["rule"],
                          match["message"]))
    return found


def test_check_and_audit_agree_with_bean_check_on_the_lapses() -> None:
    """The three see the same books: ``kcst check`` prints every finding ``kcst audit``
    lists, and ``bean-check`` (the plugin) reports exactly the breaches among them."""
    check = subprocess.run([BIN / "kcst", "check", "--ledger", str(LAPSES)], capture_output=True,
                           text=True, cwd=ROOT)
    audit = subprocess.run([BIN / "kcst", "audit", "--ledger", str(LAPSES), "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT)
    bean_check = subprocess.run([BIN / "bean-check", str(LAPSES)], capture_output=True,
                                text=True, cwd=ROOT)
    assert (check.returncode, audit.returncode, bean_check.returncode) == (1, 1, 1)

    printed = findings_printed(check.stdout)
    assert len(printed) == len(check.stdout.splitlines()) == 9  # 7 breaches and 2 warnings
    report = json.loads(audit.stdout)
    listed = [(Path(f["file"]).name, f["line"], rule["id"], f["message"], f["severity"])
              for rule in report["rules"] for f in rule["findings"]]
    assert sorted(printed) == sorted(found[:4] for found in listed)
    breaches = sorted(found[:4] for found in listed if found[4] == "breach")
    assert len(breaches) == report["summary"]["breaches"] == 7
    assert sorted(findings_printed(bean_check.stdout + bean_check.stderr)) == breaches
