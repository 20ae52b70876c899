"""The synthetic books are valid Beancount, kept by construction, and reproducible."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from beancount.core import data

from kcst_budget.books import load_books
from kcst_budget.rules import RULES, judgement_of
from tools.synthetic import BY_RULE, INJECTIONS, MAIN, Shape, ShapeError, generate

from ..conftest import TREE_ENV

BIN = Path(sys.executable).parent

#: The rule ids of spec sections 4 and 8: each must have a breach the generator can inject.
SPEC_RULES = {"term", "quorum", "meeting-cadence", "decision-quorate", "budget-review",
              "contribution-minimum", "roll-forward", "core-posts-only", "post-term",
              "post-budget", "prior-approval", "reviews", "withdrawal-notice", "dissolution",
              "performance-reports", "deadlines", "period-lock", "pool-solvency",
              "project-link"}


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default shape: two years from April 2018, three partners, three posts."""
    return generate(Shape(transactions=1000, seed=7)).write(tmp_path_factory.mktemp("1k"))


def test_the_generated_books_pass_bean_check_with_the_plugin(thousand: Path) -> None:
    result = subprocess.run([str(BIN / "bean-check"), str(thousand)], capture_output=True,
                            text=True, env={"BEANCOUNT_DISABLE_LOAD_CACHE": "1", **TREE_ENV})
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_kcst_check_finds_neither_breach_nor_warning(thousand: Path) -> None:
    result = subprocess.run([str(BIN / "kcst"), "check", "--ledger", str(thousand)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().endswith(": 0 breaches, 0 warnings."), result.stderr


def test_the_books_hold_the_transactions_asked_for_each_with_a_unique_ref(thousand: Path) -> None:
    books = load_books(thousand)
    assert not books.errors
    transactions = [e for e in books.entries if isinstance(e, data.Transaction)]
    assert len(transactions) == 1000
    refs = Counter(t.meta.get("ref") for t in transactions)
    assert None not in refs and max(refs.values()) == 1
    hot_desking = [t for t in transactions
                   if any(p.account == "Expenses:Accommodation:HotDesking" for p in t.postings)]
    assert hot_desking and all(t.meta.get("decision") for t in hot_desking)
    assert all(m.pool_change for m in books.movements)  # every transaction moves the pool


def test_the_books_carry_the_contracts_vocabulary(thousand: Path) -> None:
    terms = load_books(thousand).terms
    assert [a.name for a in terms.agreements] == ["MoU 2018-2020"]
    assert terms.partners == ("KCC", "KFRS", "KP")
    assert [p.title for p in terms.posts] == ["KCST Coordinator", "KCST Administration Officer",
                                              "KCST Analyst"]
    assert terms.posts[0].reports_performance
    assert len(terms.meetings) == 24  # one a month
    assert {d.limit is not None for d in terms.decisions} == {True, False}
    assert [r.date.month for r in terms.reviews] == [1, 1]
    assert [str(y.fy) for y in terms.year_ends] == ["2018/19"]  # 2019/20 ends on the as-of day
    assert terms.year_ends[0].digest.startswith("sha256:")
    assert "as-of: 2020-03-31" in (thousand).read_text()


def test_the_same_seed_gives_the_same_books_byte_for_byte() -> None:
    shape = Shape(transactions=300, seed=3, inject=("quorum", "short-notice"))
    assert generate(shape).files == generate(shape).files
    assert generate(shape).files != generate(Shape(transactions=300, seed=4,
                                                   inject=shape.inject)).files


def test_every_registered_rule_is_the_specs_and_has_a_breach_to_inject() -> None:
    registered = {rule.id for rule in RULES}
    assert registered == SPEC_RULES  # none of spec section 4 missing, none unknown
    assert set(BY_RULE) == registered
    assert {injection.rule for injection in INJECTIONS.values()} == registered


def test_successive_agreements_and_a_mid_term_as_of_are_kept_too(tmp_path: Path) -> None:
    import datetime

    shape = Shape(transactions=400, years=3, agreements=2, start=datetime.date(2018, 1, 1),
                  partners=("KCC", "KFRS", "KP", "P4"), posts=5,
                  as_of=datetime.date(2020, 8, 15))
    books = load_books(generate(shape).write(tmp_path))
    assert not books.errors
    assert len(books.terms.agreements) == 2
    judgement = judgement_of(books)
    assert judgement.as_of == datetime.date(2020, 8, 15)
    assert judgement.findings == ()


def test_the_books_without_the_plugin_line_are_the_same_books_for_beancount(tmp_path: Path) -> None:
    ledger = generate(Shape(transactions=200))
    with_plugin = load_books(ledger.write(tmp_path / "with"))
    without = ledger.write(tmp_path / "without", plugin=False)
    assert "plugin" not in without.read_text()
    assert len(load_books(without).movements) == len(with_plugin.movements) == 200


# ---------------------------------------------------------------------------------------
# The command line


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tools.synthetic", *args],
                          capture_output=True, text=True)


def test_the_command_writes_the_books_and_names_each_injection(tmp_path: Path) -> None:
    result = run("--transactions", "150", "--inject", "quorum", "--out", str(tmp_path / "b"))
    assert result.returncode == 0, result.stderr
    assert f"{tmp_path / 'b' / MAIN}: 150 transactions, as of 2020-03-31" in result.stdout
    assert "injected inquorate-meeting [quorum]" in result.stdout
    books = load_books(tmp_path / "b" / MAIN)
    assert [f.rule for f in judgement_of(books).findings] == ["quorum"]


@pytest.mark.parametrize(("args", "argument"), [
    (["--inject", "no-such-breach"], "--inject"),
    (["--years", "0"], "--years"),
    (["--start", "2018-04-15"], "--start"),
    (["--start", "April"], "--start"),
    (["--as-of", "2030-01-01"], "--as-of"),
    (["--years", "1", "--start", "2018-01-01", "--inject", "missed-review"], "--inject"),
])
def test_bad_arguments_exit_2_naming_the_argument_and_write_nothing(tmp_path: Path, args: list[str],
                                                                    argument: str) -> None:
    result = run(*args, "--out", str(tmp_path / "b"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"tools.synthetic: {argument}:")
    assert not (tmp_path / "b").exists()


def test_existing_books_are_not_replaced_without_force(tmp_path: Path) -> None:
    assert run("--transactions", "10", "--out", str(tmp_path)).returncode == 0
    before = (tmp_path / MAIN).read_text()
    refused = run("--transactions", "20", "--seed", "1", "--out", str(tmp_path))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (tmp_path / MAIN).read_text() == before
    assert run("--transactions", "20", "--seed", "1", "--out", str(tmp_path), "--force").returncode == 0


def test_list_injections_names_each_with_its_rule() -> None:
    result = run("--list-injections")
    assert result.returncode == 0
    for injection in INJECTIONS.values():
        assert f"[{injection.rule}]" in result.stdout and injection.name in result.stdout


def test_shape_errors_name_the_argument() -> None:
    with pytest.raises(ShapeError, match=r"^--partners:"):
        generate(Shape(partners=()))
