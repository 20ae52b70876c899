"""cl. 3.1: "This agreement will be in force from the 1 January 2018 until the 31 March 2020."""

from __future__ import annotations

from .conftest import contribution, d, spend

AFTER_THE_TERM = spend("2020-04-25", "Expenses:Staff:Coordinator", "3750.00")


def test_money_moving_inside_the_term_is_covered_by_the_agreement(judged) -> None:
    result = judged("term", contribution("2018-04-20", "KFRS", "16000.00"), "2019-01-01")
    assert result.status == "pass" and result.findings == ()


def test_money_moving_after_the_term_with_no_successor_is_a_warning(judged) -> None:
    result = judged("term", AFTER_THE_TERM, "2020-06-30")
    assert result.cited() == [("warning", d("2020-04-25"), result.line_of("2020-04-25"))]
    assert result.status == "pass"  # a warning is not a breach
    assert result.findings[0].message == (
        "£3,750.00 moved out of the pool on 25 April 2020, when no agreement was in force; "
        "MoU 2018-2020 is in force from 1 January 2018 until 31 March 2020")


def test_money_moving_before_the_term_starts_is_a_warning(judged) -> None:
    result = judged("term", contribution("2017-12-01", "KCC", "10000.00"), "2018-06-30")
    assert result.cited() == [("warning", d("2017-12-01"), result.line_of("2017-12-01"))]


def test_a_successor_agreement_covers_money_after_the_first_term(judged) -> None:
    successor = (
        '2020-04-01 custom "kcst-agreement" "MoU 2020-2023" 2023-03-31\n'
        '  partners: "KCC KFRS KP"\n  host: "KFRS"\n  pool: Assets:KFRS:KCST-Pool\n')
    result = judged("term", successor + AFTER_THE_TERM, "2020-06-30")
    assert result.findings == ()


def test_money_moved_after_the_as_of_date_is_not_judged(judged) -> None:
    result = judged("term", AFTER_THE_TERM, "2020-04-24")
    assert result.findings == ()
