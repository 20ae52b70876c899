"""The auditor's pack: the compliance table is ``kcst audit`` with the evidence of every
finding (the FY's counts beside), and each schedule is the package's own figures for the FY."""

from __future__ import annotations

import datetime
import re
import shutil
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest

from kcst_budget.books import load_books
from kcst_budget.money.registers import decision_register, trial_balance
from kcst_budget.money.statement import fy_statement
from kcst_budget.money.yearend import roll_forward
from kcst_budget.periods import parse_fy
from kcst_budget.source import Source

from ..conftest import BUNDLED
from .conftest import LAPSES, kcst, kcst_json, marked


def pack(ledger: Path, as_of: str, fy: str, tmp_path: Path) -> str:
    out = tmp_path / f"audit-{fy.replace('/', '-')}.html"
    result = kcst("report", "audit", "--ledger", str(ledger), "--as-of", as_of, "--fy", fy,
                  "--output", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def assert_pack_agrees(html: str, ledger: Path, as_of: str, fy_text: str) -> None:
    shown = marked(html)
    # every finding as of the date (as kcst audit counts them), those of the FY beside
    audit = kcst_json("audit", "--ledger", str(ledger), "--as-of", as_of)
    in_fy = kcst_json("audit", "--ledger", str(ledger), "--as-of", as_of, "--fy", fy_text)
    statuses = dict(re.findall(r'<tr data-rule="([\w-]+)" data-status="([^"]+)"', html))
    assert statuses == {r["id"]: r["status"] for r in audit["rules"]}
    assert f'data-breaches="{audit["summary"]["breaches"]}"' in html
    assert f'data-warnings="{audit["summary"]["warnings"]}"' in html
    assert f'data-fy-breaches="{in_fy["summary"]["breaches"]}"' in html
    assert f'data-fy-warnings="{in_fy["summary"]["warnings"]}"' in html

    books = load_books(ledger)
    date, fy = datetime.date.fromisoformat(as_of), parse_fy(fy_text)
    trial = trial_balance(books, fy, date).as_json()
    for line in trial["accounts"]:
        for column in ("opening", "movement", "closing"):
            assert shown[(line["account"], column)] == line[column], (line["account"], column)
    assert shown[(None, "debits")] == trial["debits"]
    assert shown[(None, "credits")] == trial["credits"]

    statement = fy_statement(books, fy, date).as_json()
    for line in statement["contributions"]:
        for column in ("due", "received", "outstanding"):
            assert shown[(line["partner"], column)] == line[column]
    for line in statement["spend"]:
        for column in ("budget", "actual", "variance"):
            assert shown[(line["line"], column)] == line[column]

    for line in roll_forward(books, date):
        row = line.as_json()
        for column in ("opening", "contributions", "spend", "withdrawals", "closing"):
            assert shown[(row["fy"], column)] == row[column], (row["fy"], column)
    for decision in decision_register(books, date):
        assert Decimal(shown[(decision.decision.id, "spent")]) == decision.spent


@pytest.mark.parametrize(("ledger", "as_of", "fy"), [
    (BUNDLED, "2020-06-30", "2018/19"), (BUNDLED, "2020-06-30", "2019/20"),
    (LAPSES, "2019-04-30", "2018/19"),
])
def test_the_pack_shows_the_audit_and_the_schedules_of_the_fy(tmp_path, ledger, as_of, fy) -> None:
    assert_pack_agrees(pack(ledger, as_of, fy, tmp_path), ledger, as_of, fy)


def test_the_pack_for_a_fixture_ledger_agrees_too(tmp_path, fixture_ledger) -> None:
    ledger, as_of = fixture_ledger
    assert_pack_agrees(pack(ledger, as_of, "2018/19", tmp_path), ledger, as_of, "2018/19")


def test_every_finding_cites_its_file_and_line_with_the_entry_text(tmp_path) -> None:
    html = pack(LAPSES, "2019-04-30", "2018/19", tmp_path)
    audit = kcst_json("audit", "--ledger", str(LAPSES), "--as-of", "2019-04-30", "--fy", "2018/19")
    lines = LAPSES.read_text(encoding="utf-8").splitlines()
    findings = [f for rule in audit["rules"] for f in rule["findings"]]
    assert findings
    evidence = [unescape(e) for e in re.findall(r'<pre class="evidence">(.*?)</pre>', html, re.S)]
    for finding in findings:
        where = Source(finding["file"], finding["line"]).display()
        assert f'data-where="{where}"' in html
        entry_line = lines[finding["line"] - 1]
        assert any(text.splitlines()[0] == entry_line for text in evidence), where


def test_the_trial_balance_is_beancounts_closing_of_the_year(tmp_path) -> None:
    """Income and expenses of earlier years are closed into equity; the pool is brought
    forward; the closing debits and credits agree and the pool closes at its balance."""
    html = pack(BUNDLED, "2020-06-30", "2018/19", tmp_path)
    shown = marked(html)
    books = load_books(BUNDLED)
    fy = parse_fy("2018/19")
    assert Decimal(shown[("Assets:KFRS:KCST-Pool", "opening")]) == books.balance_on(
        fy.start - datetime.timedelta(days=1))
    assert Decimal(shown[("Assets:KFRS:KCST-Pool", "closing")]) == books.balance_on(fy.end)
    for partner in ("KCC", "KFRS", "KP"):
        assert shown[(f"Income:Contributions:{partner}", "opening")] == "0.00"
        received = books.net_contributions(partner, fy.start, fy.end)
        assert Decimal(shown[(f"Income:Contributions:{partner}", "closing")]) == -received
    assert Decimal(shown[(None, "debits")]) + Decimal(shown[(None, "credits")]) == 0
    assert "the debits and credits agree" in html


def test_a_changed_entry_in_a_sealed_year_shows_its_digest_no_longer_holds(tmp_path) -> None:
    """The lapses example is sealed by ``kcst close-year``; change the payee of KCC's 2017/18
    contribution and the pack says the 2017/18 seal no longer holds."""
    ledger = tmp_path / "lapses.beancount"
    shutil.copy(LAPSES, ledger)
    before = pack(ledger, "2019-04-30", "2018/19", tmp_path)
    sealed = dict(re.findall(r'<tr data-fy="([\d/]+)" data-holds="(\w+)"', before))
    assert sealed and set(sealed.values()) == {"True"}
    first = min(sealed)
    text = ledger.read_text(encoding="utf-8")
    changed = re.sub(r'(2018-02-15 \* )"Kent County Council"', r'\1"KCC finance"', text,
                     count=1)
    assert changed != text
    ledger.write_text(changed, encoding="utf-8")
    after = pack(ledger, "2019-04-30", "2018/19", tmp_path)
    assert f'<tr data-fy="{first}" data-holds="False">' in after
    assert "NO: an entry of the sealed period was changed" in after
