"""The package runs where its users are: a fire service's finance office runs Windows, so
no module of the package imports what only POSIX has, and an entry is recorded with
``fcntl`` (and the other POSIX-only modules) unavailable."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

from kcst_budget.books import load_books
from tests.conftest import ROOT
from tests.safety.conftest import tree_env

#: Modules of the standard library that exist only on POSIX systems.
POSIX_ONLY = ("fcntl", "pwd", "grp", "resource", "termios", "tty", "pty", "posix", "syslog",
              "crypt", "spwd", "nis", "_posixsubprocess", "posix_ipc")
#: Those made unavailable to a run: all but the ones Python's own library needs on POSIX
#: (``posix`` under ``os``, ``_posixsubprocess`` under ``subprocess``; Windows has its own).
SHIMMED = tuple(name for name in POSIX_ONLY if name not in ("posix", "_posixsubprocess"))
PACKAGE = ROOT / "kcst_budget"


def imported_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_of_the_package_imports_a_posix_only_module() -> None:
    found = {str(path.relative_to(ROOT)): sorted(imported_names(path) & set(POSIX_ONLY))
             for path in sorted(PACKAGE.rglob("*.py"))}
    assert len(found) > 50
    assert {path: names for path, names in found.items() if names} == {}


WITHOUT_POSIX = textwrap.dedent("""
    import importlib, pkgutil, runpy, sys, warnings
    for name in {names!r}:
        sys.modules[name] = None  # "import fcntl" now fails, as on Windows
    warnings.simplefilter("ignore")  # filelock says it falls back to its portable lock
    import kcst_budget
    for module in pkgutil.walk_packages(kcst_budget.__path__, "kcst_budget."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    sys.argv = ["kcst", *sys.argv[1:]]
    runpy.run_module("kcst_budget.cli", run_name="__main__")
""")


def test_every_module_imports_and_an_entry_is_recorded_without_fcntl(small_ledger: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", WITHOUT_POSIX.format(names=SHIMMED), "record",
         "contribution", "--partner", "KCC", "--amount", "16000.00", "--date", "2019-04-20",
         "--ref", "NO-FCNTL", "--ledger", str(small_ledger)],
        capture_output=True, text=True, timeout=300, env=tree_env())
    assert run.returncode == 0, run.stderr
    assert "wrote" in run.stdout
    books = load_books(small_ledger)
    assert books.errors == () and "NO-FCNTL" in [m.ref for m in books.movements]
