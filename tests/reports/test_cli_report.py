"""``kcst report``: where the files go, and what a bad argument or ledger does (exit 2,
nothing written)."""

from __future__ import annotations

import pytest

from ..conftest import BUNDLED
from .conftest import kcst


def test_without_output_the_reports_go_to_reports_named_by_kind_and_date(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert kcst("report", "smt", "--ledger", str(BUNDLED), "--as-of", "2019-06-30").exit_code == 0
    assert kcst("report", "audit", "--ledger", str(BUNDLED), "--as-of", "2020-03-31",
                "--fy", "2018-19", "--format", "xlsx").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == [
        "audit-2018-19-2020-03-31.xlsx", "smt-2019-06-30.html"]


@pytest.mark.parametrize(("kind", "name", "starts"), [
    ("smt", "paper.pdf", b"%PDF"), ("audit", "pack.xlsx", b"PK"), ("smt", "paper.HTML", b"<!DOCTYPE"),
])
def test_the_format_follows_the_output_files_ending(tmp_path, kind, name, starts) -> None:
    out = tmp_path / name
    result = kcst("report", kind, "--ledger", str(BUNDLED), "--as-of", "2019-06-30",
                  "--output", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(starts)


def test_the_audit_fy_defaults_to_that_of_the_last_entry(tmp_path, monkeypatch) -> None:
    """Judged as of 2021 (after the term), the pack is for 2019/20, the FY the books end in."""
    monkeypatch.chdir(tmp_path)
    result = kcst("report", "audit", "--ledger", str(BUNDLED), "--as-of", "2021-05-01")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "reports" / "audit-2019-20-2021-05-01.html").is_file()


@pytest.mark.parametrize(("args", "message"), [
    (("report", "smt", "--as-of", "yesterday"), "--as-of: 'yesterday' is not a date"),
    (("report", "audit", "--fy", "2019"), "--fy: financial year '2019' is not written like 2018/19"),
    (("report", "audit", "--as-of", "2019-06-30", "--fy", "2020/21"),
     "--fy: 2020/21 begins on 2020-04-01, after the as-of date 2019-06-30"),
    (("report", "audit", "--format", "xlsx", "--output", "pack.pdf"), "does not end in .xlsx"),
    (("report", "smt", "--format", "pdf", "--output", "paper"), "does not end in .pdf"),
    (("report", "smt", "--output", "paper.docx"),
     "--output: paper.docx does not end in .html or .pdf, so its format is unknown: name the "
     "file so, or give --format"),
    (("report", "audit", "--format", "pfd"),
     "--format: 'pfd' is not one of html, pdf, xlsx (did you mean pdf?)"),
    (("report", "smt", "--ledger", "no/such.beancount"), "--ledger: no ledger file at no/such.beancount"),
])
def test_bad_arguments_exit_2_and_write_nothing(tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    if "--ledger" not in args:
        args = (*args, "--ledger", str(BUNDLED))
    result = kcst(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_ledger_exits_2_naming_its_line_and_writes_nothing(tmp_path, monkeypatch,
                                                                     write_ledger) -> None:
    ledger = write_ledger('2018-05-01 * "KCC" "Contribution"\n'
                          "  Assets:KFRS:KCST-Pool  16000.00 GBP\n"
                          "  Income:Contributions:KCC  -15000.00 GBP\n")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    for kind in ("smt", "audit"):
        result = kcst("report", kind, "--ledger", str(ledger), "--as-of", "2018-06-30")
        assert result.exit_code == 2
        assert f"{ledger.name}:" in result.stderr
    assert list(out.iterdir()) == []


def test_an_existing_report_is_replaced_whole(tmp_path) -> None:
    out = tmp_path / "paper.html"
    out.write_text("an older paper", encoding="utf-8")
    assert kcst("report", "smt", "--ledger", str(BUNDLED), "--as-of", "2019-06-30",
                "--output", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["paper.html"]
