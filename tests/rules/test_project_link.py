"""project-link: cl. 10.3 ("agreed in advance by KCST SMT and funded from the pooled
budget") and the internal audit's recommendation of "clear links between funding and the
delivery of the CSA action plan objectives" (KCSP report, July 2022, 3.3): spend on
project work cites an approved project, which serves a CSA priority (spec section 8)."""

from __future__ import annotations

from .conftest import contribution, d, meeting, spend

SEMINARS = "Expenses:Projects:Seminars"
OPENS = (f"2018-01-01 open {SEMINARS} GBP\n"
         "2018-01-01 open Expenses:Projects GBP\n"
         "2018-01-01 open Expenses:Events GBP\n")
PRIORITY = '2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"\n'
FUNDS = contribution("2018-04-20", "KFRS", "16000.00")


def decision(date: str, decision_id: str = "D-2018-09-2") -> str:
    return f'{date} custom "kcst-decision" "{decision_id}" "DHR lessons-learnt seminars"\n'


def project(date: str = "2018-09-13", *, budget: str = "1500.00", priority: str = "domestic-abuse",
            decision_id: str = "D-2018-09-2", ends: str | None = None,
            project_id: str = "P-2018-01") -> str:
    text = (f'{date} custom "kcst-project" "{project_id}" "DHR lessons-learnt seminars" '
            f'{budget} GBP\n  priority: "{priority}"\n  decision: "{decision_id}"\n')
    return text + (f"  ends: {ends}\n" if ends else "")


def outcome(date: str, project_id: str = "P-2018-01") -> str:
    return f'{date} custom "kcst-outcome" "{project_id}" "Three seminars held, 410 attended"\n'


APPROVED = OPENS + PRIORITY + FUNDS + meeting("2018-09-13") + decision("2018-09-13") + project()


def test_spend_citing_a_project_approved_in_advance_keeps_the_rule(judged) -> None:
    body = APPROVED + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01")
    result = judged("project-link", body, "2019-03-31")
    assert result.status == "pass" and result.findings == ()


def test_a_decision_taken_the_same_day_as_the_spend_is_in_advance(judged) -> None:
    body = APPROVED + spend("2018-09-13", SEMINARS, "300.00", project="P-2018-01")
    assert judged("project-link", body, "2019-03-31").findings == ()


def test_project_spend_citing_no_project_is_a_breach(judged) -> None:
    body = APPROVED + spend("2018-11-20", SEMINARS, "1200.00")
    result = judged("project-link", body, "2019-03-31")
    assert result.status == "fail"
    assert result.cited() == [("breach", d("2018-11-20"), result.line_of("2018-11-20"))]
    assert result.findings[0].clause == "10.3; CSA audit recommendation"
    assert result.findings[0].message == (
        "£1,200.00 on Expenses:Projects:Seminars cites no project: project work funded from "
        "the pool names the project the SMT agreed, linking the money to a priority of the "
        "Community Safety Agreement")


def test_spend_on_the_projects_account_itself_is_judged_too(judged) -> None:
    body = APPROVED + spend("2018-11-20", "Expenses:Projects", "80.00")
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-11-20"), result.line_of("2018-11-20"))]


def test_spend_citing_a_project_not_in_the_ledger_is_a_breach(judged) -> None:
    body = APPROVED + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-07")
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-11-20"), result.line_of("2018-11-20"))]
    assert result.findings[0].message.endswith("cites project P-2018-07, which is not in the ledger")


def test_a_project_whose_decision_is_not_in_the_ledger_was_not_agreed(judged) -> None:
    body = (OPENS + PRIORITY + FUNDS + meeting("2018-09-13") + project()
            + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01"))
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-11-20"), result.line_of("2018-11-20"))]
    assert result.findings[0].message.endswith(
        "cites project P-2018-01 (DHR lessons-learnt seminars), whose decision D-2018-09-2 is "
        "not in the ledger: it was not agreed by KCST SMT")


def test_spend_before_the_projects_decision_is_a_breach(judged) -> None:
    body = APPROVED + spend("2018-09-12", SEMINARS, "250.00", project="P-2018-01")
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-09-12"), result.line_of("2018-09-12"))]
    assert result.findings[0].message.endswith(
        "approved by decision D-2018-09-2 of 13 September 2018, taken after the spend: it was "
        "not agreed in advance by KCST SMT")


def test_a_decision_taken_at_an_inquorate_meeting_is_no_approval(judged) -> None:
    body = (OPENS + PRIORITY + FUNDS + meeting("2018-09-13", kp="apologies")
            + decision("2018-09-13") + project()
            + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01"))
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-11-20"), result.line_of("2018-11-20"))]
    assert result.findings[0].message.endswith(
        "approved by decision D-2018-09-2 of 13 September 2018, which was not taken at a "
        "quorate SMT meeting")


def test_a_decision_on_a_day_with_no_meeting_is_no_approval_but_a_deputy_counts(judged) -> None:
    no_meeting = (OPENS + PRIORITY + FUNDS + decision("2018-09-13") + project()
                  + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01"))
    assert [f.severity for f in judged("project-link", no_meeting, "2019-03-31").findings] == [
        "breach"]
    deputised = (OPENS + PRIORITY + FUNDS + meeting("2018-09-13", kcc="deputy")
                 + decision("2018-09-13") + project()
                 + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01"))
    assert judged("project-link", deputised, "2019-03-31").findings == ()


def test_a_project_naming_no_priority_of_the_csa_is_a_breach_at_the_project(judged) -> None:
    body = (OPENS + PRIORITY + FUNDS + meeting("2018-09-13") + decision("2018-09-13")
            + project(priority="cyber-crime"))
    result = judged("project-link", body, "2019-03-31")
    assert result.cited() == [("breach", d("2018-09-13"), result.line_of('"kcst-project"'))]
    assert result.findings[0].message == (
        "project P-2018-01 (DHR lessons-learnt seminars) names priority 'cyber-crime', which is "
        "no kcst-priority in the ledger: its funding is linked to no priority of the Community "
        "Safety Agreement")


def test_spend_beyond_the_budget_is_a_warning_at_each_payment_over_it(judged) -> None:
    body = (APPROVED
            + spend("2018-10-11", SEMINARS, "1000.00", project="P-2018-01")
            + spend("2018-11-20", SEMINARS, "500.00", project="P-2018-01")  # 1,500.00: on budget
            + spend("2019-02-14", SEMINARS, "40.00", project="P-2018-01")
            + spend("2019-03-14", SEMINARS, "60.00", project="P-2018-01"))
    result = judged("project-link", body, "2019-03-31")
    assert result.status == "pass"  # a warning, not a breach
    assert result.cited() == [("warning", d("2019-02-14"), result.line_of("2019-02-14")),
                              ("warning", d("2019-03-14"), result.line_of("2019-03-14"))]
    assert result.findings[0].message == (
        "£40.00 citing project P-2018-01 (DHR lessons-learnt seminars) takes its spend to "
        "£1,540.00, over its budget of £1,500.00")


def test_an_ended_project_owes_its_outcome_three_months_after_its_end(judged) -> None:
    body = APPROVED.replace(project(), project(ends="2019-03-31"))
    line = judged("project-link", body, "2019-06-30").line_of('"kcst-project"')
    # due by 30 June 2019: not yet late on that day, late the day after
    assert judged("project-link", body, "2019-06-30").findings == ()
    late = judged("project-link", body, "2019-07-01")
    assert late.status == "pass"
    assert late.cited() == [("warning", d("2019-06-30"), line)]
    assert late.findings[0].message == (
        "project P-2018-01 (DHR lessons-learnt seminars) ended on 31 March 2019 and no "
        "kcst-outcome was recorded within three months, by 30 June 2019")


def test_an_outcome_recorded_by_the_due_day_keeps_the_rule_and_a_late_one_is_noted(judged) -> None:
    base = APPROVED.replace(project(), project(ends="2019-03-31"))
    on_time = judged("project-link", base + outcome("2019-06-30"), "2019-12-31")
    assert on_time.findings == ()
    late = judged("project-link", base + outcome("2019-07-01"), "2019-12-31")
    assert late.findings[0].message.endswith(
        "by 30 June 2019; recorded late, on 1 July 2019")


def test_a_project_without_an_end_owes_no_outcome(judged) -> None:
    assert judged("project-link", APPROVED, "2025-12-31").findings == ()


def test_spend_on_the_as_of_day_is_judged_and_the_day_after_is_not(judged) -> None:
    body = APPROVED + spend("2019-01-10", SEMINARS, "90.00")
    assert judged("project-link", body, "2019-01-09").findings == ()
    on_the_day = judged("project-link", body, "2019-01-10")
    assert on_the_day.cited() == [("breach", d("2019-01-10"), on_the_day.line_of("2019-01-10"))]


def test_an_outcome_on_the_as_of_day_counts_and_a_project_recorded_later_is_not_yet_known(
        judged) -> None:
    ended = APPROVED.replace(project(), project(ends="2019-03-31"))
    assert judged("project-link", ended + outcome("2019-07-15"), "2019-07-15").findings[0] \
        .message.endswith("recorded late, on 15 July 2019")
    # the spend is judged on 20 November 2018; the project it cites is written in December
    later = (OPENS + PRIORITY + FUNDS + meeting("2018-09-13") + decision("2018-09-13")
             + spend("2018-11-20", SEMINARS, "1200.00", project="P-2018-01")
             + project(date="2018-12-03"))
    before = judged("project-link", later, "2018-11-30")
    assert before.findings[0].message.endswith(
        "cites project P-2018-01, which is not recorded until 3 December 2018")
    assert judged("project-link", later, "2018-12-03").findings == ()


def test_spend_on_other_accounts_is_not_judged_and_no_projects_is_not_applicable(judged) -> None:
    other = FUNDS + OPENS + PRIORITY + spend("2018-11-20", "Expenses:Events", "50.00")
    result = judged("project-link", other, "2019-03-31")
    assert result.status == "n/a" and result.findings == ()
    # an unlinked payment on a projects account makes the rule apply even with no project
    assert judged("project-link", other + spend("2018-12-01", SEMINARS, "5.00"),
                  "2019-03-31").status == "fail"
