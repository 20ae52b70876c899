"""Shared fixtures: ledgers are small text a person can read, loaded by the real loader.

The test run writes nothing into the tree: no bytecode (here or in any subprocess), no
``.hypothesis/`` (Hypothesis keeps no example database and its scratch space is a
temporary folder), and every ``kcst``, ``bean-check`` or ``python`` a test starts runs
the tree under test (``PYTHONPATH`` is the repo root). ``tree_untouched`` fails the run if
a file in ``ledger/`` or ``kcst_budget/`` changed all the same.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

sys.dont_write_bytecode = True  # before the package is imported: no __pycache__ in the tree

from kcst_budget.books import Books, load_books  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "ledger" / "main.beancount"

#: Under ``make mutate`` mutmut runs the tests in its copy of the tree, ``mutants/``, whose
#: mutated functions only mutmut's own process can run: there, subprocesses run the tree
#: itself (they kill no mutant), and every run draws the same examples.
UNDER_MUTATION = "MUTANT_UNDER_TEST" in os.environ or ROOT.name == "mutants"
SUBPROCESS_TREE = ROOT.parent if UNDER_MUTATION else ROOT

# Every subprocess (kcst, bean-check, python -m ...) inherits these: it runs this tree
# and writes no bytecode into it.
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(SUBPROCESS_TREE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
#: For a subprocess given an environment of its own: still this tree, still no bytecode.
TREE_ENV = {"PYTHONPATH": str(SUBPROCESS_TREE), "PYTHONDONTWRITEBYTECODE": "1"}

# Hypothesis: no example database, and its scratch space outside the tree.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="kcst-hypothesis-")
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
settings.register_profile("kcst", database=None)
settings.register_profile("mutation", database=None, derandomize=True)
settings.load_profile("mutation" if UNDER_MUTATION else "kcst")

if UNDER_MUTATION:
    @pytest.fixture(autouse=True)
    def _subprocesses_kill_no_mutant(monkeypatch: pytest.MonkeyPatch) -> None:
        """Under ``make mutate`` a test that starts a subprocess is skipped there: the
        subprocess would run the unmutated tree, so it could kill no mutant, only cost time."""

        def skip(*args: object, **kwargs: object) -> None:
            pytest.skip("starts a subprocess, which runs the unmutated tree")

        monkeypatch.setattr(subprocess, "run", skip)
        monkeypatch.setattr(subprocess, "Popen", skip)


#: What no test may change: the bundled books and the package (bytecode included).
GUARDED = ("ledger", "kcst_budget")


def tree_state(root: Path = ROOT) -> dict[str, str]:
    """Every file under the guarded folders (ignored ones too) -> a digest of its bytes."""
    state = {}
    for folder in GUARDED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                state[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


@pytest.fixture(scope="session", autouse=True)
def tree_untouched() -> Iterator[None]:
    """Fail the run if any test (or a subprocess it started) wrote into ``ledger/`` or
    ``kcst_budget/``: the bundled books and the package under test stay as they were."""
    if UNDER_MUTATION:  # mutmut's own copy of the tree is mutmut's business
        yield
        return
    before = tree_state()
    yield
    after = tree_state()
    changed = sorted(path for path in set(before) | set(after)
                     if before.get(path) != after.get(path))
    if changed:
        pytest.fail("the test run wrote into the tree: " + ", ".join(changed[:20]),
                    pytrace=False)

#: The head every fixture ledger shares: options, the plugin, the MoU's terms.
HEAD = """\
option "title" "KCST test"
option "operating_currency" "GBP"
plugin "kcst_budget.plugin"
2017-04-01 custom "fava-option" "fiscal-year-end" "03-31"
2017-04-01 open Assets:KFRS:KCST-Pool GBP
2017-04-01 open Income:Contributions:KCC GBP
2017-04-01 open Income:Contributions:KFRS GBP
2017-04-01 open Income:Contributions:KP GBP
2017-04-01 open Equity:Withdrawn:KCC GBP
2017-04-01 open Equity:Withdrawn:KFRS GBP
2017-04-01 open Equity:Withdrawn:KP GBP
2018-01-01 open Expenses:Staff:Admin GBP
2018-01-01 open Expenses:Staff:Coordinator GBP
2018-01-01 open Expenses:Staff:Analyst GBP
2018-01-01 open Expenses:Staff:Other GBP
2018-01-01 open Expenses:Accommodation:HotDesking GBP
  approval: "smt"
2018-01-01 custom "kcst-agreement" "MoU 2018-2020" 2020-03-31
  partners: "KCC KFRS KP"
  host: "KFRS"
  pool: Assets:KFRS:KCST-Pool
  meeting-interval-months: 2
  notice-months: 6
  reviews: "2019-01 2020-01"
2017-04-01 custom "kcst-contribution-minimum" 10000.00 GBP
2018-04-01 custom "kcst-contribution-minimum" 16000.00 GBP
"""

#: How many lines ``HEAD`` takes, so tests can name the line of what follows it.
HEAD_LINES = HEAD.count("\n")


@pytest.fixture
def write_ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write ``HEAD`` (unless ``head=False``) plus dedented ``body`` to a ledger file."""

    def write(body: str, *, head: bool = True, name: str = "main.beancount") -> Path:
        path = tmp_path / name
        path.write_text((HEAD if head else "") + textwrap.dedent(body), encoding="utf-8")
        return path

    return write


@pytest.fixture
def books_of_text(write_ledger: Callable[..., Path]) -> Callable[..., Books]:
    def load(body: str, *, head: bool = True) -> Books:
        return load_books(write_ledger(body, head=head))

    return load


@pytest.fixture(scope="module")
def dashboard_page() -> Callable[[Path, str | None], str]:
    """The KCST dashboard of a ledger as the real Fava app serves it (the app made once per
    ledger and module), as of a date or the default; HTTP 200 asserted."""
    from kcst_budget.dashboard.server import make_app

    made: dict[Path, object] = {}

    def page(ledger: Path, as_of: str | None) -> str:
        if ledger not in made:
            made[ledger] = make_app(ledger)
        fava = made[ledger]
        slug = next(iter(fava.config["LEDGERS"].ledgers_by_slug))
        query = f"?as_of={as_of}" if as_of else ""
        response = fava.test_client().get(f"/{slug}/extension/KCSTDashboard/{query}")
        assert response.status_code == 200
        return response.data.decode()

    return page


@pytest.fixture(scope="session")
def bundled() -> Books:
    return load_books(BUNDLED)


def year_end_line(path: Path, fy: str) -> int:
    """The line of the FY's ``kcst-year-end`` record in ``path`` (the books change)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if f'"kcst-year-end" "{fy}"' in line)
