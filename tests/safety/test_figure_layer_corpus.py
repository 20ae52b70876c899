"""Dates at the edge of the calendar, in the figure layer: refused with a message or shown
as an error, never a traceback or an HTTP 500 (issue 14's corpus, the cases the figure
layer answers)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kcst_budget.cli import app

from ..conftest import BUNDLED

runner = CliRunner()


@pytest.mark.parametrize(("args", "message"), [
    (("audit", "--as-of", "9999-12-31"), "--as-of: 9999-12-31 is outside the dates"),
    (("audit", "--as-of", "0001-01-01"), "--as-of: 0001-01-01 is outside the dates"),
    (("report", "smt", "--as-of", "9999-12-31"), "--as-of: 9999-12-31 is outside the dates"),
    (("report", "audit", "--as-of", "0001-01-01"), "--as-of: 0001-01-01 is outside the dates"),
    (("forecast", "--as-of", "10000-01-01"), "is not a date like 2019-06-30"),
    (("calendar", "--as-of", "9999-12-31"), "--as-of: 9999-12-31 is outside the dates"),
])
def test_an_as_of_beyond_the_calendar_is_refused_naming_it(args, message, tmp_path) -> None:
    result = runner.invoke(app, [*args, "--ledger", str(BUNDLED)])
    assert result.exit_code == 2 and message in result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(
        result.exception, SystemExit)


def test_a_notice_effective_at_the_end_of_time_is_judged_not_crashed(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(BUNDLED.parent, ledger, ignore=shutil.ignore_patterns(".*"))
    year = ledger / "2019-20.beancount"
    year.write_text(year.read_text(encoding="utf-8") + '\n2020-03-01 custom '
                    '"kcst-withdrawal-notice" "KP" 9999-12-31\n  to-smt: TRUE\n'
                    '  to-kcsp-chair: TRUE\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--ledger", str(ledger / "main.beancount")])
    assert result.exit_code == 1  # the sealed 2019/20 changed: a period-lock breach
    assert "[period-lock]" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("query", ["?as_of=9999-12-31", "?as_of=0001-01-01", "?time=FY1",
                                   "?time=9999", "?time=garbage"])
def test_the_dashboard_shows_a_date_beyond_the_calendar_as_an_error(query) -> None:
    from kcst_budget.dashboard.server import make_app

    fava = make_app(BUNDLED)
    slug = fava.config["LEDGERS"].first_slug()
    response = fava.test_client().get(f"/{slug}/extension/KCSTDashboard/{query}")
    assert response.status_code == 200
    assert b"data-error" in response.data
