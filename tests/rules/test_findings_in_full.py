"""Findings read in full: each names its rule and clause, says which way the money moved,
counts the notice the agreement asks for, and cites the earliest withdrawal."""

from __future__ import annotations

import pytest

from kcst_budget.books import load_books
from kcst_budget.rules import judge, rule
from kcst_budget.rules._common import plural

from ..conftest import HEAD, ROOT
from .conftest import contribution, d, spend

NOTICE_KP = ('2019-06-01 custom "kcst-withdrawal-notice" "KP" 2019-12-31\n'
             "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n")
PAID = "".join(contribution("2018-05-01", p, "16000.00") for p in ("KCC", "KFRS", "KP"))


def withdrawal(date: str, partner: str, amount: str) -> str:
    return (f'{date} * "KFRS" "{partner}\'s portion"\n  withdrawal: "{partner}"\n'
            f"  Equity:Withdrawn:{partner}  {amount} GBP\n  Assets:KFRS:KCST-Pool  -{amount} GBP\n")


def test_every_finding_names_its_rule_and_clause(judged) -> None:
    books = load_books(ROOT / "ledger" / "examples" / "lapses.beancount")
    body = (PAID + NOTICE_KP.replace("2019-12-31", "2019-11-30").replace("TRUE\n", "FALSE\n", 1)
            + withdrawal("2019-06-10", "KP", "100.00") + contribution("2019-12-15", "KCC", "1.00")
            + '2018-07-01 custom "kcst-post" "KCST Coordinator" Expenses:Staff:Coordinator '
              '45000.00 GBP\n  host: "KFRS"\n  months: 24\n  reports-performance: TRUE\n')
    results = list(judge(books, d("2019-04-30")).results)
    for rule_id in ("withdrawal-notice", "dissolution", "performance-reports"):
        results.append(judged(rule_id, body, "2020-01-31").result)
    seen = set()
    for result in results:
        for finding in result.findings:
            assert (finding.rule, finding.clause) == (result.rule.id, result.rule.clause)
            seen.add(finding.rule)
    assert {"withdrawal-notice", "dissolution", "performance-reports", "quorum"} <= seen


def test_dissolution_says_which_way_the_money_moved_after_the_withdrawal(judged) -> None:
    body = (NOTICE_KP + withdrawal("2020-01-05", "KP", "10.00")
            + contribution("2020-01-15", "KCC", "0.50")
            + spend("2020-01-20", "Expenses:Accommodation:HotDesking", "0.50"))
    result = judged("dissolution", body, "2020-01-31")
    assert [f.message for f in result.findings] == [
        "£0.50 came into the pool on 15 January 2020, after KP's withdrawal took effect on "
        "31 December 2019: a withdrawal results in the dissolution of this agreement",
        "£0.50 left the pool on 20 January 2020, after KP's withdrawal took effect on "
        "31 December 2019: a withdrawal results in the dissolution of this agreement"]


def test_dissolution_runs_from_the_earliest_effective_date_of_any_notice(judged) -> None:
    body = (NOTICE_KP + '2019-06-15 custom "kcst-withdrawal-notice" "KCC" 2019-12-20\n'
            "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n" + contribution("2019-12-25", "KFRS", "5.00"))
    result = judged("dissolution", body, "2020-01-31")
    assert [f.message for f in result.findings] == [
        "£5.00 came into the pool on 25 December 2019, after KCC's withdrawal took effect on "
        "20 December 2019: a withdrawal results in the dissolution of this agreement"]


def test_the_notice_counted_is_the_agreements_notice_months(judged) -> None:
    three_months = HEAD.replace("notice-months: 6", "notice-months: 3")
    notice = NOTICE_KP.replace("2019-12-31", "2019-09-01")
    kept = judged("withdrawal-notice", notice, "2019-06-30", head=three_months)
    assert kept.findings == ()
    short = judged("withdrawal-notice", notice.replace("2019-09-01", "2019-08-31"), "2019-06-30",
                   head=three_months)
    assert [f.message for f in short.findings] == [
        "KP's notice of withdrawal given on 1 June 2019 takes effect on 31 August 2019, less "
        "than three months later (not before 1 September 2019): a minimum of three months' "
        "notice must be given before withdrawal can take place"]


def test_money_withdrawn_on_the_day_notice_is_given_is_before_it_takes_effect(judged) -> None:
    result = judged("withdrawal-notice", PAID + NOTICE_KP + withdrawal("2019-06-01", "KP", "10.00"),
                    "2019-06-30")
    assert [f.message for f in result.findings] == [
        "£10.00 withdrawn by KP on 1 June 2019 before KP's notice takes effect on "
        "31 December 2019"]


def test_a_notice_given_after_the_as_of_date_does_not_stop_withdrawals_being_judged(
        judged) -> None:
    body = PAID + withdrawal("2019-06-10", "KP", "100.00") + NOTICE_KP.replace("2019-06-01",
                                                                               "2019-07-01")
    result = judged("withdrawal-notice", body, "2019-06-30")
    assert [f.message for f in result.findings] == [
        "£100.00 withdrawn by KP on 10 June 2019 with no valid notice of withdrawal from KP"]


def test_the_period_lock_cites_both_digests_by_their_first_twelve_hex_digits(judged) -> None:
    body = '2019-03-31 custom "kcst-year-end" "2018/19" 0.00 GBP\n  digest: "sha256:0000"\n'
    (finding,) = [f for f in judged("period-lock", body, "2019-06-30").findings
                  if "no longer matches" in f.message]
    sealed, now = finding.message.rsplit("(sealed ", 1)[1].rstrip(")").split(", now ")
    assert sealed == "sha256:0000"
    assert now.startswith("sha256:") and len(now) == len("sha256:") + 12


def test_a_rule_is_found_by_its_id_and_an_unknown_id_is_named() -> None:
    assert rule("quorum").clause == "4.1"
    with pytest.raises(KeyError, match="no-such-rule"):
        rule("no-such-rule")


@pytest.mark.parametrize(("count", "word", "many", "said"), [
    (1, "breach", None, "1 breach"), (2, "breach", None, "2 breaches"),
    (0, "warning", None, "0 warnings"), (2, "wish", None, "2 wishes"),
    (3, "status", None, "3 statuses"), (2, "person", "people", "2 people"),
])
def test_counts_are_said_in_words(count, word, many, said) -> None:
    assert plural(count, word, many) == said


def test_a_pool_at_exactly_nothing_at_a_month_end_is_not_overdrawn(judged) -> None:
    body = (contribution("2018-01-15", "KCC", "100.00")
            + spend("2018-01-20", "Expenses:Accommodation:HotDesking", "100.00"))
    result = judged("pool-solvency", body, "2018-02-28")
    assert (result.status, result.findings) == ("pass", ())
