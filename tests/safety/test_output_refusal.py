"""``--output`` never overwrites the books: an included file, a symlink to one, or a file
of the ledger's folder is refused (exit 2, every file byte-identical); a report may still
be written anywhere else, or replace an earlier report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.entry.conftest import BUNDLED_FOLDER, folder_digest


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "ledger"
    shutil.copytree(BUNDLED_FOLDER, folder, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return folder / "main.beancount"


AUDIT = ("audit", "--as-of", "2020-06-30", "--format", "json")
PACK = ("report", "audit", "--as-of", "2020-06-30", "--fy", "2018/19", "--format", "html")


@pytest.mark.parametrize(("command", "output", "link"), [
    (AUDIT, "ledger/2019-20.beancount", None),
    (AUDIT, "ledger/../ledger/main.beancount", None),
    (AUDIT, "ledger/import-map.csv", None),
    (AUDIT, "sealed.json", "ledger/2018-19.beancount"),
    (AUDIT, "elsewhere/terms.json", "ledger/terms.beancount"),
    (PACK, "pack.html", "ledger/2019-20.beancount"),
    (("report", "smt", "--as-of", "2019-06-30"), "paper.html", "ledger/main.beancount"),
])
def test_an_output_that_is_a_file_of_the_ledger_is_refused(
        books: Path, tmp_path: Path, kcst_in, monkeypatch: pytest.MonkeyPatch,
        command: tuple[str, ...], output: str, link: str | None) -> None:
    monkeypatch.chdir(tmp_path)
    if link is not None:
        (tmp_path / output).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / output).symlink_to(tmp_path / link)
    before = folder_digest(tmp_path)
    run = kcst_in(*command, "--ledger", books, "--output", output)
    assert run.exception is None
    assert run.exit_code == 2, run.output
    assert f"kcst: --output: {output}" in run.stderr
    assert "a report never overwrites the books" in run.stderr
    assert folder_digest(tmp_path) == before
    if link is not None:
        assert (tmp_path / output).is_symlink()


def test_a_report_is_written_elsewhere_and_may_replace_an_earlier_one(
        books: Path, tmp_path: Path, kcst_in, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = folder_digest(books.parent)
    for output in ("ledger/audit.json", "ledger/audit.json", "out/audit.json"):
        run = kcst_in(*AUDIT, "--ledger", books, "--output", output)
        assert run.exit_code in (0, 1), run.output
        assert (tmp_path / output).read_text().startswith("{")
    after = folder_digest(books.parent)
    assert after.pop("audit.json") and after == before
