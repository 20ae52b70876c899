"""The guard of the test run (``tree_untouched`` in ``conftest.py``) sees what a stray
test or subprocess would leave in the tree: a changed ledger, new bytecode."""

from __future__ import annotations

from pathlib import Path

from .conftest import tree_state


def test_the_guard_sees_a_changed_ledger_and_new_bytecode_in_the_package(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    (tmp_path / "kcst_budget").mkdir()
    (tmp_path / "ledger" / "main.beancount").write_text("; the books\n")
    before = tree_state(tmp_path)
    assert tree_state(tmp_path) == before
    (tmp_path / "ledger" / "main.beancount").write_text("; the books, edited\n")
    assert tree_state(tmp_path) != before
    edited = tree_state(tmp_path)
    (tmp_path / "kcst_budget" / "__pycache__").mkdir()
    (tmp_path / "kcst_budget" / "__pycache__" / "books.cpython-311.pyc").write_bytes(b"\0")
    assert set(tree_state(tmp_path)) - set(edited) == {"kcst_budget/__pycache__/books.cpython-311.pyc"}


def test_no_test_writes_bytecode_or_hypothesis_data_into_the_tree() -> None:
    import os
    import sys

    assert sys.dont_write_bytecode and os.environ["PYTHONDONTWRITEBYTECODE"] == "1"
    from hypothesis import settings

    assert settings().database is None
