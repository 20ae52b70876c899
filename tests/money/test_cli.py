"""``kcst forecast`` and ``kcst shares`` (spec section 6): text, JSON, exit 2 on bad input."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

from ..conftest import BUNDLED, HEAD_LINES

runner = CliRunner()
TWO_PLACES = re.compile(r"^-?\d+\.\d\d$")


def kcst(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_forecast_json_has_the_spec_keys_with_amounts_to_two_places() -> None:
    code, out, _ = kcst("forecast", "--ledger", str(BUNDLED), "--as-of", "2019-01-17",
                        "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert {"as_of", "term_end", "balance_as_of", "outstanding_contributions",
            "remaining_commitments", "balance_at_term_end", "shortfall", "top_up_per_partner",
            "exhaustion_month", "months", "assumptions"} <= set(report)
    assert (report["as_of"], report["term_end"]) == ("2019-01-17", "2020-03-31")
    assert report["balance_at_term_end"] == "-61250.00"
    # the posts' 129999.99 and the hot-desking decision's 360.00
    assert report["remaining_commitments"] == "130359.99"
    assert report["top_up_per_partner"] == {"KCC": "20416.67", "KFRS": "20416.67",
                                            "KP": "20416.66"}
    assert report["exhaustion_month"] == "2019-03"
    for key in ("balance_as_of", "outstanding_contributions", "shortfall"):
        assert TWO_PLACES.match(report[key]), key
    month = report["months"][0]
    assert set(month) == {"month", "actual", "contributions", "spend", "balance"}
    assert all(TWO_PLACES.match(m["balance"]) for m in report["months"])
    assert report["months"][-1]["month"] == "2020-03"


def test_forecast_text_is_a_table_naming_the_shortfall_and_the_assumptions() -> None:
    code, out, _ = kcst("forecast", "--ledger", str(BUNDLED), "--as-of", "2019-01-17")
    assert code == 0
    assert re.search(r"= balance at term end +-£61,250\.00", out)
    assert "SHORTFALL £61,250.00" in out
    assert re.search(r"KCST Coordinator +21 +£78,750\.00 +£22,500\.00 +£56,250\.00", out)
    assert "The pool runs out: March 2019" in out
    assert "Assumptions:" in out and max(len(line) for line in out.splitlines()) <= 90


def test_shares_json_is_the_portions_of_the_pool() -> None:
    code, out, _ = kcst("shares", "--ledger", str(BUNDLED), "--as-of", "2019-01-17",
                        "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert (report["as_of"], report["balance"]) == ("2019-01-17", "21109.99")
    # 21109.99 / 3 = 7036.663...: the penny left by rounding goes to the first partner
    assert report["partners"]["KCC"] == {"contributed": "26000.00", "share": "0.3333",
                                         "portion": "7036.67", "withdrawn": False}
    assert [p["portion"] for p in report["partners"].values()] == ["7036.67", "7036.66", "7036.66"]
    assert report["method"].startswith("pro rata to net contributions")


def test_shares_text_names_the_method() -> None:
    code, out, _ = kcst("shares", "--ledger", str(BUNDLED), "--as-of", "2019-01-17")
    assert code == 0
    assert re.search(r"KP +£26,000\.00 +33\.33% +£7,036\.66", out)
    assert "Method: pro rata to net contributions" in out


@pytest.mark.parametrize("command", ["forecast", "shares"])
def test_a_bad_as_of_exits_2_naming_the_argument(command: str) -> None:
    code, out, err = kcst(command, "--ledger", str(BUNDLED), "--as-of", "17/01/2019")
    assert (code, out) == (2, "")
    assert "--as-of: '17/01/2019' is not a date" in err


@pytest.mark.parametrize("command", ["forecast", "shares"])
def test_an_invalid_ledger_exits_2_with_its_errors_and_no_figures(command: str,
                                                                   write_ledger) -> None:
    path = write_ledger("""\
        2018-04-10 * "Kent Police" "Contribution 2018/19"
          Assets:KFRS:KCST-Pool         16000.00 GBP
          Income:Contributions:KP      -15000.00 GBP
    """)
    code, out, err = kcst(command, "--ledger", str(path))
    assert (code, out) == (2, "")
    assert f"main.beancount:{HEAD_LINES + 1}:" in err
    assert "nothing was judged" in err
