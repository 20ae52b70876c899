"""The host carries any deficit (cl. 8.1: "This budget will be hosted by Kent Fire and
Rescue Service"): a pool overdrawn at a month's end is a warning."""

from __future__ import annotations

from .conftest import contribution, d, spend

POST = ('2018-04-01 custom "kcst-post" "KCST Administration Officer" Expenses:Staff:Admin '
        '24000.00 GBP\n  host: "KCC"\n  months: 24\n')


def test_a_pool_in_credit_at_every_month_end_keeps_the_rule(judged) -> None:
    body = POST + contribution("2018-04-20", "KFRS", "16000.00") + spend(
        "2018-04-25", "Expenses:Staff:Admin", "2000.00")
    result = judged("pool-solvency", body, "2018-06-30")
    assert result.status == "pass" and result.findings == ()


def test_a_pool_overdrawn_at_the_end_of_a_month_is_a_warning(judged) -> None:
    body = POST + spend("2018-04-25", "Expenses:Staff:Admin", "2000.00") + contribution(
        "2018-05-03", "KCC", "16000.00")
    result = judged("pool-solvency", body, "2018-06-30")
    assert result.status == "pass"
    # cites the month's last movement of the pool
    assert result.cited() == [("warning", d("2018-04-30"), result.line_of("2018-04-25"))]
    assert result.findings[0].message == (
        "the pool was overdrawn by £2,000.00 at the end of April 2018: KFRS, as host, is "
        "carrying the deficit")


def test_overdrawn_within_a_month_but_not_at_its_end_is_not_warned(judged) -> None:
    body = POST + spend("2018-04-05", "Expenses:Staff:Admin", "2000.00") + contribution(
        "2018-04-20", "KCC", "16000.00")
    assert judged("pool-solvency", body, "2018-06-30").findings == ()


def test_the_month_in_progress_is_not_judged(judged) -> None:
    body = POST + spend("2018-04-25", "Expenses:Staff:Admin", "2000.00")
    assert judged("pool-solvency", body, "2018-04-29").findings == ()
    assert [f.date for f in judged("pool-solvency", body, "2018-05-31").findings] == [
        d("2018-04-30"), d("2018-05-31")]
