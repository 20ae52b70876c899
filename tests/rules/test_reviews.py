"""cl. 11.1: "The agreement will be reviewed twice over the two year period of its term; in
January 2019 and January 2020."""

from __future__ import annotations

from .conftest import d, head_line

AGREEMENT = head_line('custom "kcst-agreement"')
REVIEW_2019 = '2019-01-17 custom "kcst-review" "January 2019 review of the MoU"\n'


def test_a_review_in_january_2019_keeps_the_clause(judged) -> None:
    result = judged("reviews", REVIEW_2019, "2019-12-31")
    assert result.status == "pass" and result.findings == ()


def test_no_review_in_january_2019_is_a_breach_once_january_has_passed(judged) -> None:
    assert judged("reviews", "", "2019-01-31").findings == ()  # January has not yet passed
    result = judged("reviews", "", "2019-02-01")
    assert result.cited() == [("breach", d("2019-01-31"), AGREEMENT)]
    assert result.findings[0].message == (
        "no review of MoU 2018-2020 in January 2019: the agreement will be reviewed in "
        "January 2019 and January 2020")


def test_a_review_in_february_does_not_make_up_for_january(judged) -> None:
    late = '2019-02-07 custom "kcst-review" "Review of the MoU, a month late"\n'
    assert judged("reviews", late, "2019-06-30").status == "fail"


def test_each_review_month_is_judged(judged) -> None:
    result = judged("reviews", REVIEW_2019, "2020-06-30")
    assert [f.date for f in result.findings] == [d("2020-01-31")]


def test_an_agreement_with_no_review_months_is_not_applicable(judged) -> None:
    from ..conftest import HEAD

    no_reviews = HEAD.replace('  reviews: "2019-01 2020-01"\n', '  note: "none"\n')
    assert judged("reviews", "", "2020-06-30", head=no_reviews).status == "n/a"
