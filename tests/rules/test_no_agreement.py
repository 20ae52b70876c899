"""No agreement, no pass (spec section 6): books with no ``kcst-agreement`` -- an empty main
file among them -- are refused by ``kcst check``, ``audit``, ``forecast``, ``shares`` and
``report`` (exit 2, "no kcst-agreement in the books", nothing written), never passed with
"0 breaches"; ``bean-check`` stays quiet about them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

BIN = Path(sys.executable).parent

#: Books that look kept -- the plugin, the pool, money in and out -- but govern nothing.
NO_AGREEMENT = """\
option "title" "KCST without terms"
option "operating_currency" "GBP"
plugin "kcst_budget.plugin"
2018-01-01 open Assets:KFRS:KCST-Pool GBP
2018-01-01 open Income:Contributions:KP GBP
2018-04-18 * "Kent Police" "Contribution"
  Assets:KFRS:KCST-Pool      16000.00 GBP
  Income:Contributions:KP   -16000.00 GBP
"""

COMMANDS = [("check",), ("audit",), ("audit", "--format", "json"), ("forecast",), ("shares",),
            ("report", "smt", "--format", "html"), ("report", "audit", "--format", "html")]


@pytest.mark.parametrize("text", ["", NO_AGREEMENT], ids=["empty", "no-agreement"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_books_without_an_agreement_are_refused(tmp_path: Path, text: str,
                                                command: tuple[str, ...]) -> None:
    main = tmp_path / "main.beancount"
    main.write_text(text)
    output = tmp_path / "out" / "report.html"
    extra = ("--output", str(output)) if command[0] in ("report", "audit") else ()
    result = CliRunner().invoke(app, [*command, *extra, "--ledger", str(main)])
    assert result.exit_code == 2, result.output
    assert result.output == (f"kcst: no kcst-agreement in the books ({main}): write the "
                             "agreement's terms first (docs/ledger-format.md, section 2); "
                             "nothing was judged\n")
    assert "0 breaches" not in result.output
    assert main.read_text() == text and not output.exists()


@pytest.mark.parametrize("text", ["", NO_AGREEMENT], ids=["empty", "no-agreement"])
def test_bean_check_stays_quiet_about_books_without_an_agreement(tmp_path: Path,
                                                                 text: str) -> None:
    main = tmp_path / "main.beancount"
    main.write_text(text)
    result = subprocess.run([str(BIN / "bean-check"), "-C", str(main)], capture_output=True,
                            text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
