"""The as-of day itself (spec section 4): "Rules are judged as of a date; nothing dated
after it is judged, and an obligation is only breached once its deadline has passed."

For every rule that judges dated events: an event dated exactly on the as-of date is
judged, and the same books judged a day earlier (the event a day after the as-of date)
do not judge it. Where an obligation has a deadline, the deadline day itself is not yet
a breach and the day after is. Each test reads the ledger text through the real loader.
"""

from __future__ import annotations

from .conftest import contribution, d, head_line, meeting, spend

NOTICE_KP = ('2019-06-01 custom "kcst-withdrawal-notice" "KP" 2019-12-31\n'
             "  to-smt: TRUE\n  to-kcsp-chair: TRUE\n")
ADMIN_12_MONTHS = ('2018-04-01 custom "kcst-post" "KCST Administration Officer" '
                   "Expenses:Staff:Admin 24000.00 GBP\n  host: \"KCC\"\n  months: 12\n")
ADMIN_24_MONTHS = ADMIN_12_MONTHS.replace("months: 12", "months: 24")
COORDINATOR = ('2018-07-01 custom "kcst-post" "KCST Coordinator" '
               "Expenses:Staff:Coordinator 45000.00 GBP\n  host: \"KFRS\"\n  months: 24\n"
               "  reports-performance: TRUE\n")
#: Every partner's 2017/18 minimum (GBP 10,000 from 2017-04-01), paid in January 2018.
PAID_2017_18 = "".join(contribution("2018-01-15", p, "10000.00") for p in ("KCC", "KFRS", "KP"))
#: The meetings of a punctual SMT to May 2018 (every two months from the term's start).
PUNCTUAL_TO_MAY = meeting("2018-01-18") + meeting("2018-03-08") + meeting("2018-05-08")


def messages(judged_result) -> list[str]:
    return [f.message for f in judged_result.findings]


# ---- quorum, budget-review, decision-quorate (cl. 4.1, 8.1) ------------------------------

def test_an_inquorate_meeting_held_on_the_as_of_day_is_judged(judged) -> None:
    body = meeting("2018-07-05", kp="apologies")
    on_the_day = judged("quorum", body, "2018-07-05")
    assert on_the_day.status == "fail"
    assert on_the_day.cited() == [("breach", d("2018-07-05"), on_the_day.line_of("2018-07-05"))]
    day_before = judged("quorum", body, "2018-07-04")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def test_a_meeting_that_did_not_review_the_budget_on_the_as_of_day_is_judged(judged) -> None:
    body = meeting("2018-11-08", budget=False)
    on_the_day = judged("budget-review", body, "2018-11-08")
    assert on_the_day.status == "fail"
    assert messages(on_the_day) == [
        "the SMT meeting of 8 November 2018 did not review the budget: SMT will review the "
        "budget at each meeting"]
    day_before = judged("budget-review", body, "2018-11-07")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def test_a_decision_with_no_meeting_on_the_as_of_day_is_judged(judged) -> None:
    body = '2018-09-13 custom "kcst-decision" "D-2018-09-1" "Hot desks"\n'
    on_the_day = judged("decision-quorate", body, "2018-09-13")
    assert on_the_day.status == "fail"
    assert messages(on_the_day) == [
        "decision D-2018-09-1 was not taken at a quorate SMT meeting: no SMT meeting is "
        "recorded on 13 September 2018"]
    day_before = judged("decision-quorate", body, "2018-09-12")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def test_a_decision_at_a_quorate_meeting_held_on_the_as_of_day_is_quorate(judged) -> None:
    body = (meeting("2018-09-13") +
            '2018-09-13 custom "kcst-decision" "D-2018-09-1" "Hot desks"\n')
    on_the_day = judged("decision-quorate", body, "2018-09-13")
    assert (on_the_day.status, on_the_day.findings) == ("pass", ())


# ---- meeting-cadence, performance-reports (cl. 4.1, 13.1) --------------------------------

def test_a_late_meeting_held_on_the_as_of_day_ends_the_gap(judged) -> None:
    body = PUNCTUAL_TO_MAY + meeting("2018-07-20")  # due by 8 July
    on_the_day = judged("meeting-cadence", body, "2018-07-20")
    assert messages(on_the_day) == [
        "no quorate SMT meeting from the meeting of 8 May 2018 until 20 July 2018: the next "
        "was due by 8 July 2018; the SMT will meet at least every two months"]
    day_before = judged("meeting-cadence", body, "2018-07-19")
    assert messages(day_before) == [
        "no quorate SMT meeting from the meeting of 8 May 2018 so far: the next was due by "
        "8 July 2018; the SMT will meet at least every two months"]


def test_the_next_meeting_is_overdue_only_the_day_after_it_was_due(judged) -> None:
    on_the_due_day = judged("meeting-cadence", PUNCTUAL_TO_MAY, "2018-07-08")
    assert (on_the_due_day.status, on_the_due_day.findings) == ("pass", ())
    day_after = judged("meeting-cadence", PUNCTUAL_TO_MAY, "2018-07-09")
    assert day_after.status == "fail"
    assert day_after.cited() == [("breach", d("2018-07-08"), day_after.line_of("2018-05-08"))]


def test_a_meeting_on_the_day_it_is_due_is_on_time(judged) -> None:
    result = judged("meeting-cadence", PUNCTUAL_TO_MAY + meeting("2018-07-08"), "2018-07-08")
    assert (result.status, result.findings) == ("pass", ())


def test_a_late_performance_report_on_the_as_of_day_ends_the_gap(judged) -> None:
    body = COORDINATOR + meeting("2018-09-10", report=True)  # due by 1 September
    on_the_day = judged("performance-reports", body, "2018-09-10")
    assert messages(on_the_day) == [
        "no performance report by the KCST Coordinator to the SMT from the start of the KCST "
        "Coordinator's post on 1 July 2018 until 10 September 2018: the next was due by "
        "1 September 2018; the coordinator reports performance every two months"]
    day_before = judged("performance-reports", body, "2018-09-09")
    assert messages(day_before) == [
        "no performance report by the KCST Coordinator to the SMT from the start of the KCST "
        "Coordinator's post on 1 July 2018 so far: the next was due by 1 September 2018; the "
        "coordinator reports performance every two months"]


def test_the_first_report_is_overdue_only_the_day_after_it_was_due(judged) -> None:
    on_the_due_day = judged("performance-reports", COORDINATOR, "2018-09-01")
    assert (on_the_due_day.status, on_the_due_day.findings) == ("pass", ())
    day_after = judged("performance-reports", COORDINATOR, "2018-09-02")
    assert day_after.cited() == [("breach", d("2018-09-01"), day_after.line_of("kcst-post"))]


def test_a_report_on_the_day_it_is_due_is_on_time(judged) -> None:
    body = COORDINATOR + meeting("2018-09-01", report=True)
    result = judged("performance-reports", body, "2018-11-01")
    assert (result.status, result.findings) == ("pass", ())


def test_the_coordinators_post_starting_on_the_as_of_day_is_judged(judged) -> None:
    assert judged("performance-reports", COORDINATOR, "2018-07-01").status == "pass"
    assert judged("performance-reports", COORDINATOR, "2018-06-30").status == "n/a"


# ---- deadlines, reviews (cl. 13.2, 11.1) -------------------------------------------------

DEADLINE = ('2018-01-01 custom "kcst-deadline" "formal-review-report" 2019-03-01\n'
            '  clause: "13.2"\n')


def test_a_late_delivery_on_the_as_of_day_is_judged(judged) -> None:
    body = DEADLINE + '2019-03-05 custom "kcst-delivered" "formal-review-report"\n'
    on_the_day = judged("deadlines", body, "2019-03-05")
    assert messages(on_the_day) == [
        "formal-review-report was due by 1 March 2019; delivered late on 5 March 2019"]
    day_before = judged("deadlines", body, "2019-03-04")
    assert messages(day_before) == ["formal-review-report was due by 1 March 2019 and not delivered"]


def test_a_deadline_is_missed_only_the_day_after_it(judged) -> None:
    on_the_day = judged("deadlines", DEADLINE, "2019-03-01")
    assert (on_the_day.status, on_the_day.findings) == ("pass", ())
    day_after = judged("deadlines", DEADLINE, "2019-03-02")
    assert day_after.cited() == [("breach", d("2019-03-01"), day_after.line_of("kcst-deadline"))]


def test_a_deadline_written_on_the_as_of_day_is_judged(judged) -> None:
    body = '2019-03-10 custom "kcst-deadline" "formal-review-report" 2019-03-01\n'
    on_the_day = judged("deadlines", body, "2019-03-10")
    assert messages(on_the_day) == ["formal-review-report was due by 1 March 2019 and not delivered"]
    day_before = judged("deadlines", body, "2019-03-09")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def test_a_review_month_is_missed_only_once_its_last_day_has_passed(judged) -> None:
    last_day = judged("reviews", "", "2019-01-31")
    assert (last_day.status, last_day.findings) == ("pass", ())
    day_after = judged("reviews", "", "2019-02-01")
    assert messages(day_after) == [
        "no review of MoU 2018-2020 in January 2019: the agreement will be reviewed in "
        "January 2019 and January 2020"]
    assert day_after.findings[0].date == d("2019-01-31")


# ---- withdrawal-notice, dissolution (cl. 12.1, 12.2) ---------------------------------------

def test_a_short_notice_given_on_the_as_of_day_is_judged(judged) -> None:
    body = NOTICE_KP.replace("2019-12-31", "2019-11-30")
    on_the_day = judged("withdrawal-notice", body, "2019-06-01")
    assert on_the_day.cited() == [("breach", d("2019-06-01"), on_the_day.line_of("2019-06-01"))]
    assert "less than six months later" in on_the_day.findings[0].message
    day_before = judged("withdrawal-notice", body, "2019-05-31")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def withdrawal(date: str, partner: str, amount: str) -> str:
    return (f'{date} * "KFRS" "{partner}\'s portion of the remaining funds"\n'
            f'  withdrawal: "{partner}"\n  Equity:Withdrawn:{partner}  {amount} GBP\n'
            f"  Assets:KFRS:KCST-Pool  -{amount} GBP\n")


def test_money_withdrawn_without_notice_on_the_as_of_day_is_judged(judged) -> None:
    body = PAID_2017_18 + withdrawal("2019-06-10", "KP", "100.00")
    on_the_day = judged("withdrawal-notice", body, "2019-06-10")
    assert messages(on_the_day) == [
        "£100.00 withdrawn by KP on 10 June 2019 with no valid notice of withdrawal from KP"]
    day_before = judged("withdrawal-notice", body, "2019-06-09")
    assert (day_before.status, day_before.findings) == ("n/a", ())


def test_money_withdrawn_on_the_day_the_notice_takes_effect_is_kept(judged) -> None:
    body = PAID_2017_18 + NOTICE_KP + withdrawal("2019-12-31", "KP", "100.00")
    result = judged("withdrawal-notice", body, "2020-01-31")
    assert (result.status, result.findings) == ("pass", ())


def test_money_moving_after_a_withdrawal_on_the_as_of_day_is_judged(judged) -> None:
    body = NOTICE_KP + contribution("2020-01-15", "KCC", "100.00")
    on_the_day = judged("dissolution", body, "2020-01-15")
    assert on_the_day.cited() == [("warning", d("2020-01-15"), on_the_day.line_of("2020-01-15"))]
    day_before = judged("dissolution", body, "2020-01-14")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_money_moving_on_the_day_the_withdrawal_takes_effect_is_not_after_it(judged) -> None:
    result = judged("dissolution", NOTICE_KP + contribution("2019-12-31", "KCC", "100.00"),
                    "2020-01-31")
    assert (result.status, result.findings) == ("pass", ())


def test_a_notice_given_on_the_as_of_day_brings_dissolution_into_play(judged) -> None:
    assert judged("dissolution", NOTICE_KP, "2019-06-01").status == "pass"
    assert judged("dissolution", NOTICE_KP, "2019-05-31").status == "n/a"


def test_a_backdated_notice_given_on_the_as_of_day_is_judged(judged) -> None:
    """A notice taking effect before it was given (a withdrawal-notice breach too): the
    money that moved after its effective date is judged once the notice is given."""
    body = (NOTICE_KP.replace("2019-12-31", "2019-05-01")
            + contribution("2019-05-15", "KCC", "100.00"))
    on_the_day = judged("dissolution", body, "2019-06-01")
    assert on_the_day.cited() == [("warning", d("2019-05-15"), on_the_day.line_of("2019-05-15"))]
    day_before = judged("dissolution", body, "2019-05-31")
    assert (day_before.status, day_before.findings) == ("n/a", ())


# ---- prior-approval (cl. 10.3) ------------------------------------------------------------

HOT_DESKING = "Expenses:Accommodation:HotDesking"


def test_unapproved_spend_on_the_as_of_day_is_judged(judged) -> None:
    body = spend("2018-06-20", HOT_DESKING, "400.00")
    on_the_day = judged("prior-approval", body, "2018-06-20")
    assert on_the_day.cited() == [("breach", d("2018-06-20"), on_the_day.line_of("2018-06-20"))]
    day_before = judged("prior-approval", body, "2018-06-19")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_spend_on_the_as_of_day_citing_a_decision_of_that_day_was_agreed_in_advance(
        judged) -> None:
    body = (meeting("2018-06-20") +
            '2018-06-20 custom "kcst-decision" "D-2018-06-1" "Hot desks"\n  limit: 500.00 GBP\n'
            + spend("2018-06-20", HOT_DESKING, "400.00", decision="D-2018-06-1"))
    result = judged("prior-approval", body, "2018-06-20")
    assert (result.status, result.findings) == ("pass", ())


# ---- post-term, post-budget, core-posts-only (cl. 8.3, 8.5, 8.6) -------------------------

def test_a_post_charged_on_the_as_of_day_after_its_term_is_judged(judged) -> None:
    body = ADMIN_12_MONTHS + spend("2019-04-01", "Expenses:Staff:Admin", "2000.00")
    on_the_day = judged("post-term", body, "2019-04-01")
    assert messages(on_the_day) == [
        "KCST Administration Officer (Expenses:Staff:Admin) charged £2,000.00 on 1 April 2019, "
        "after its fixed term of twelve months ended on 31 March 2019"]
    day_before = judged("post-term", body, "2019-03-31")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_a_post_charged_on_the_last_day_of_its_term_is_kept(judged) -> None:
    body = ADMIN_12_MONTHS + spend("2019-03-31", "Expenses:Staff:Admin", "2000.00")
    result = judged("post-term", body, "2019-06-30")
    assert (result.status, result.findings) == ("pass", ())


def test_spend_taking_a_post_over_budget_on_the_as_of_day_is_judged(judged) -> None:
    body = (ADMIN_24_MONTHS + spend("2018-05-25", "Expenses:Staff:Admin", "20000.00")
            + spend("2018-06-25", "Expenses:Staff:Admin", "4000.01"))
    on_the_day = judged("post-budget", body, "2018-06-25")
    assert on_the_day.cited() == [("warning", d("2018-06-25"), on_the_day.line_of("2018-06-25"))]
    assert "£24,000.01 spent in 2018/19, over its budget of £24,000.00" in messages(on_the_day)[0]
    day_before = judged("post-budget", body, "2018-06-24")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_spend_of_exactly_the_posts_budget_is_within_it_and_a_penny_more_is_over(
        judged) -> None:
    body = (ADMIN_24_MONTHS + spend("2018-05-25", "Expenses:Staff:Admin", "20000.00")
            + spend("2018-06-25", "Expenses:Staff:Admin", "4000.00")
            + spend("2018-07-25", "Expenses:Staff:Admin", "0.01"))
    exactly = judged("post-budget", body, "2018-07-24")
    assert (exactly.status, exactly.findings) == ("pass", ())
    over = judged("post-budget", body, "2018-07-25")
    assert over.cited() == [("warning", d("2018-07-25"), over.line_of("2018-07-25"))]


def test_staff_spend_on_no_post_on_the_as_of_day_is_judged(judged) -> None:
    body = spend("2018-06-25", "Expenses:Staff:Other", "500.00")
    on_the_day = judged("core-posts-only", body, "2018-06-25")
    assert on_the_day.cited() == [("breach", d("2018-06-25"), on_the_day.line_of("2018-06-25"))]
    day_before = judged("core-posts-only", body, "2018-06-24")
    assert (day_before.status, day_before.findings) == ("n/a", ())


# ---- contribution-minimum, roll-forward (cl. 8.2, 8.6) -----------------------------------

CLOSED_2017_18 = '2018-03-31 custom "kcst-year-end" "2017/18" 30000.00 GBP\n'
PAID_2018_19_BUT_KP = "".join(contribution("2018-05-01", p, "16000.00") for p in ("KCC", "KFRS"))


def test_a_contribution_paid_on_the_as_of_day_counts(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19_BUT_KP + contribution("2018-06-01", "KP", "16000.00")
    on_the_day = judged("contribution-minimum", body, "2018-06-01")
    assert (on_the_day.status, on_the_day.findings) == ("pass", ())
    day_before = judged("contribution-minimum", body, "2018-05-31")
    assert messages(day_before) == [
        "KP has contributed £0.00 so far in 2018/19 of the minimum sum of £16,000.00 per "
        "financial year: £16,000.00 is due by 31 March 2019"]


def test_a_minimum_is_short_only_once_its_financial_year_has_ended(judged) -> None:
    body = PAID_2017_18 + PAID_2018_19_BUT_KP
    last_day = judged("contribution-minimum", body, "2019-03-31")
    minimum = head_line('2018-04-01 custom "kcst-contribution-minimum"')
    assert last_day.cited() == [("warning", d("2019-03-31"), minimum)]
    day_after = judged("contribution-minimum", body, "2019-04-01")
    short = [f for f in day_after.findings if "2018/19" in f.message]
    assert [(f.severity, f.date, f.message) for f in short] == [
        ("breach", d("2019-03-31"), "KP contributed £0.00 in 2018/19, £16,000.00 short of the "
                                    "minimum sum of £16,000.00 per financial year")]


def test_a_financial_year_beginning_on_the_as_of_day_is_judged(judged) -> None:
    first_day = judged("contribution-minimum", PAID_2017_18, "2018-04-01")
    assert [m.split(" has contributed")[0] for m in messages(first_day)
            if "so far in 2018/19" in m] == ["KCC", "KFRS", "KP"]
    day_before = judged("contribution-minimum", PAID_2017_18, "2018-03-31")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_a_refund_to_a_partner_on_the_as_of_day_is_judged(judged) -> None:
    body = (PAID_2017_18 + CLOSED_2017_18 +
            '2018-11-02 * "Kent Police" "Refund of overpayment"\n'
            "  Income:Contributions:KP    500.00 GBP\n  Assets:KFRS:KCST-Pool  -500.00 GBP\n")
    on_the_day = judged("roll-forward", body, "2018-11-02")
    assert on_the_day.cited() == [("breach", d("2018-11-02"), on_the_day.line_of("2018-11-02"))]
    assert messages(on_the_day)[0].startswith("£500.00 left the pool to KP on 2 November 2018 "
                                              "other than as a withdrawal by KP")
    day_before = judged("roll-forward", body, "2018-11-01")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_a_year_end_record_dated_the_as_of_day_is_judged(judged) -> None:
    body = PAID_2017_18 + CLOSED_2017_18 + '2019-03-31 custom "kcst-year-end" "2018/19" 1.00 GBP\n'
    on_the_day = judged("roll-forward", body, "2019-03-31")
    assert messages(on_the_day) == [
        "the 2018/19 year-end record carries forward £1.00 but the pool balance on "
        "31 March 2019 is £30,000.00"]
    day_before = judged("roll-forward", body, "2019-03-30")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_a_year_end_is_missing_only_once_the_financial_year_has_ended(judged) -> None:
    body = PAID_2017_18 + CLOSED_2017_18
    last_day = judged("roll-forward", body, "2019-03-31")
    assert (last_day.status, last_day.findings) == ("pass", ())
    day_after = judged("roll-forward", body, "2019-04-01")
    agreement = head_line('custom "kcst-agreement"')  # no movement in 2018/19 to cite
    assert day_after.cited() == [("warning", d("2019-03-31"), agreement)]
    assert messages(day_after)[0].startswith("2018/19 has ended with no kcst-year-end record")


# ---- pool-solvency, term, period-lock -----------------------------------------------------

def test_a_pool_overdrawn_at_a_month_end_that_is_the_as_of_day_is_judged(judged) -> None:
    body = contribution("2018-01-15", "KCC", "100.00") + spend("2018-01-31", HOT_DESKING, "150.00")
    on_the_day = judged("pool-solvency", body, "2018-01-31")
    assert on_the_day.cited() == [("warning", d("2018-01-31"), on_the_day.line_of("2018-01-31"))]
    assert messages(on_the_day) == [
        "the pool was overdrawn by £50.00 at the end of January 2018: KFRS, as host, is "
        "carrying the deficit"]
    day_before = judged("pool-solvency", body, "2018-01-30")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_money_moving_on_the_as_of_day_after_the_term_is_judged(judged) -> None:
    body = contribution("2020-04-01", "KCC", "100.00")
    on_the_day = judged("term", body, "2020-04-01")
    assert on_the_day.cited() == [("warning", d("2020-04-01"), on_the_day.line_of("2020-04-01"))]
    day_before = judged("term", body, "2020-03-31")
    assert (day_before.status, day_before.findings) == ("pass", ())


def test_money_on_the_first_and_last_days_of_the_term_is_inside_it(judged) -> None:
    body = (contribution("2018-01-01", "KCC", "100.00")
            + contribution("2020-03-31", "KCC", "100.00"))
    result = judged("term", body, "2020-06-30")
    assert (result.status, result.findings) == ("pass", ())
    before = judged("term", contribution("2017-12-31", "KCC", "100.00"), "2017-12-31")
    assert [f.date for f in before.findings] == [d("2017-12-31")]


def test_a_sealed_year_end_dated_the_as_of_day_is_judged(judged) -> None:
    body = '2019-03-31 custom "kcst-year-end" "2018/19" 0.00 GBP\n  digest: "sha256:0000"\n'
    on_the_day = judged("period-lock", body, "2019-03-31")
    # the digest no longer matches, and 2017/18 (in the term) has no year-end: a hole
    assert on_the_day.cited() == [("breach", d("2019-03-31"), on_the_day.line_of("kcst-year-end"))] * 2
    assert sum("no longer matches" in f.message for f in on_the_day.findings) == 1
    day_before = judged("period-lock", body, "2019-03-30")
    assert (day_before.status, day_before.findings) == ("n/a", ())
