"""The seven ways issue 13 changed a sealed year unseen, tried again as an insider would on a
copy of the bundled books (sealed to 31 March 2020). Each now ends in a ``period-lock``
breach (exit 1) or a refusal (exit 2, every file byte-identical). What no reading of the
books alone can show -- the last seal removed, or a year re-sealed over altered entries --
is shown by ``kcst audit --since`` the JSON of an audit made before.

Attack 6 (Fava's editor saving a sealed file) is in ``tests/dashboard/test_sealed_writes.py``
and attack 7 (``bean-check``'s cache) in ``tests/rules/test_stale_verdicts.py``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app
from kcst_budget.periods import long_date

from ..conftest import BUNDLED, year_end_line

FY_2018 = "2018-19.beancount"
FY_2019 = "2019-20.beancount"
COORDINATOR_JULY = ("  Expenses:Staff:Coordinator                 3750.00 GBP\n"
                    "  Assets:KFRS:KCST-Pool                     -3750.00 GBP\n")


class Books:
    """A copy of the bundled ledger, the attacker's edits and the auditor's commands."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.main = folder / "main.beancount"

    def kcst(self, *args: str) -> tuple[int, str]:
        result = CliRunner().invoke(app, [*args, "--ledger", str(self.main)])
        return result.exit_code, result.output

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.folder / name
        text = path.read_text()
        assert text.count(old) >= 1, old
        path.write_text(text.replace(old, new, 1))

    def drop_year_end(self, name: str) -> None:
        path = self.folder / name
        text = path.read_text()
        at = text.index('custom "kcst-year-end"') - len("2020-03-31 ")
        end = text.find("\n\n", at)
        path.write_text(text[:at] + ("" if end < 0 else text[end + 2:]))

    def digest(self) -> dict[str, str]:
        return {str(p.relative_to(self.folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(self.folder.rglob("*"))
                if p.is_file() and not p.name.startswith(".kcst.lock")}  # the lock: not the books

    def period_lock(self, *extra: str) -> tuple[int, list[dict]]:
        """``kcst audit --format json``: the exit status and period-lock's findings."""
        code, output = self.kcst("audit", "--format", "json", *extra)
        report = json.loads(output)
        rule = next(r for r in report["rules"] if r["id"] == "period-lock")
        return code, rule["findings"]


@pytest.fixture
def books(tmp_path: Path) -> Books:
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return Books(folder)


@pytest.fixture
def previous(books: Books, tmp_path: Path) -> Path:
    """The auditor's JSON of the audit made before the attack, kept outside the books."""
    path = tmp_path / "audit-before.json"
    code, output = books.kcst("audit", "--format", "json", "--output", str(path))
    assert code == 0, output
    assert [s["fy"] for s in json.loads(path.read_text())["seals"]] == [
        "2017/18", "2018/19", "2019/20"]
    return path


def test_1_entries_marked_kcst_generated_are_still_sealed(books: Books) -> None:
    extra = "".join(f'\n{day} * "Kent Police" "Contribution"\n  kcst-generated: TRUE\n'
                    "  Assets:KFRS:KCST-Pool   16000.00 GBP\n"
                    "  Income:Contributions:KP  -16000.00 GBP\n"
                    for day in ("2019-06-10", "2019-06-11"))
    (books.folder / FY_2019).write_text((books.folder / FY_2019).read_text() + extra)
    code, output = books.kcst("check")
    assert code == 1
    last = year_end_line(books.folder / FY_2019, "2019/20")
    assert f"{books.folder / FY_2019}:{last}: [period-lock] the 2019/20 year-end record no longer " \
           "matches the entries dated on or before 31 March 2020" in output


def test_1_kcst_record_refuses_the_same_entry(books: Books) -> None:
    before = books.digest()
    code, output = books.kcst("record", "contribution", "--partner", "KP", "--amount",
                              "16000.00", "--date", "2019-06-10")
    assert code == 2 and "2019/20, which is closed" in output
    assert books.digest() == before


def test_2_a_digest_struck_out_then_a_sealed_payment_reallocated(books: Books) -> None:
    books.edit(FY_2018, '  digest: "sha256:', '  ; digest: "sha256:')
    code, findings = books.period_lock()
    assert code == 1
    assert [f["line"] for f in findings if "carries no digest" in f["message"]] == [
        year_end_line(books.folder / FY_2018, "2018/19")]
    books.edit(FY_2018, COORDINATOR_JULY, COORDINATOR_JULY.replace("Coordinator", "Analyst     "))
    code, findings = books.period_lock()
    assert code == 1
    assert {"carries no digest", "no longer matches"} <= {
        key for f in findings for key in ("carries no digest", "no longer matches")
        if key in f["message"]}


def test_2_the_last_digest_struck_out_is_shown_by_the_previous_audit(books: Books,
                                                                     previous: Path) -> None:
    books.edit(FY_2019, '  digest: "sha256:', '  ; digest: "sha256:')
    books.edit(FY_2019, COORDINATOR_JULY, COORDINATOR_JULY.replace("Coordinator", "Analyst     "))
    code, findings = books.period_lock("--since", str(previous))
    assert code == 1
    last = year_end_line(books.folder / FY_2019, "2019/20")
    assert [(f["line"], "now no digest" in f["message"]) for f in findings] == [(last, True)]


def test_3_the_last_year_end_deleted(books: Books, previous: Path) -> None:
    was = year_end_line(books.folder / FY_2019, "2019/20")
    books.drop_year_end(FY_2019)
    code, output = books.kcst("record", "contribution", "--partner", "KP", "--amount",
                              "16000.00", "--date", "2019-06-01")
    assert code in (0, 1), output  # nothing in the books says 2019/20 was ever closed
    code, findings = books.period_lock("--since", str(previous))
    assert code == 1
    assert len(findings) == 1 and findings[0]["message"].startswith(
        f"2019/20 was sealed in the audit as of {_previous_date(previous)} ({previous}) "
        "(sha256:")
    assert "the books no longer hold its year-end record" in findings[0]["message"]
    assert findings[0]["file"].endswith(FY_2019) and findings[0]["line"] == was


def test_4_deleted_edited_and_sealed_again(books: Books, previous: Path) -> None:
    books.drop_year_end(FY_2019)
    books.edit(FY_2019, COORDINATOR_JULY, COORDINATOR_JULY.replace("Coordinator", "Analyst     "))
    code, output = books.kcst("close-year", "2019/20")
    assert code == 0, output
    assert books.period_lock() == (0, [])  # a fresh seal over the altered year holds...
    code, findings = books.period_lock("--since", str(previous))
    assert code == 1  # ...but not against the audit made before
    assert len(findings) == 1 and findings[0]["message"].startswith(
        f"the 2019/20 year-end record differs from the audit as of {_previous_date(previous)} "
        f"({previous}): then sha256:")
    assert "the closed year has been re-sealed or its seal changed" in findings[0]["message"]


def test_5_the_include_of_the_last_year_removed(books: Books, previous: Path) -> None:
    books.edit("main.beancount", 'include "2019-20.beancount"\n', "")
    code, findings = books.period_lock("--since", str(previous))
    assert code == 1
    assert [(f["date"], "no longer hold its year-end record" in f["message"])
            for f in findings] == [("2020-03-31", True)]


def test_5_the_include_of_a_middle_year_removed(books: Books) -> None:
    books.edit("main.beancount", 'include "2018-19.beancount"\n', "")
    code, output = books.kcst("check")
    assert code == 1
    last = year_end_line(books.folder / FY_2019, "2019/20")
    assert (f"{books.folder / FY_2019}:{last}: [period-lock] 2018/19 ended before the sealed "
            "2019/20 year-end but has no kcst-year-end record: the chain of seals has a hole"
            in output)


def test_the_audit_since_itself_passes_on_untouched_books(books: Books, previous: Path) -> None:
    code, findings = books.period_lock("--since", str(previous))
    assert (code, findings) == (0, [])


@pytest.mark.parametrize(("content", "said"), [
    (None, "cannot read it: No such file or directory"),
    ("{not json", "is not JSON: Expecting property name enclosed in double quotes at line 1"),
    ('{"as_of": "2020-06-30"}', 'has no "seals" list'),
    ('{"as_of": "June 2020", "seals": []}', "\"as_of\": 'June 2020' is not a date"),
    ('{"as_of": "2020-06-30", "seals": [{"fy": "2019", "date": "2020-03-31", '
     '"carried_forward": "1.00", "digest": null, "file": "x", "line": 1}]}',
     "seal 1: financial year '2019' is not written like 2018/19"),
    ('{"as_of": "2020-06-30", "seals": [{"fy": "2019/20", "date": "2020-03-31", '
     '"carried_forward": "1.00", "digest": "md5:0", "file": "x", "line": 1}]}',
     'seal 1: "digest" must be "sha256:<hex>" or null'),
])
def test_an_unreadable_previous_audit_is_refused_naming_the_file(
        books: Books, tmp_path: Path, content: str | None, said: str) -> None:
    path = tmp_path / "previous.json"
    if content is not None:
        path.write_text(content)
    code, output = books.kcst("audit", "--since", str(path))
    assert code == 2
    assert output.startswith(f"kcst: --since: {path}: {said}")
    assert output.rstrip().endswith("nothing was judged")


def _previous_date(previous: Path) -> str:
    return long_date(datetime.date.fromisoformat(json.loads(previous.read_text())["as_of"]))
