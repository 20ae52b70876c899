"""Each kcst- directive parses into its dataclass; each malformed one is an error at its line."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kcst_budget.books import Books
from kcst_budget.mou import in_force, minimum_for, post_months, quorate, standing
from kcst_budget.periods import FinancialYear
from kcst_budget.terms import parse_terms

from ..conftest import HEAD_LINES

D = datetime.date


def test_agreement_in_force_is_the_latest_started_on_or_before_the_date(books_of_text) -> None:
    books: Books = books_of_text("""\
        2020-04-01 custom "kcst-agreement" "MoU 2020-2023" 2023-03-31
          partners: "KCC KFRS KP"
          host: "KFRS"
          pool: Assets:KFRS:KCST-Pool
          meeting-interval-months: 3
    """)
    terms = books.terms
    assert books.errors == ()
    assert in_force(terms, D(2017, 12, 31)) is None
    assert in_force(terms, D(2018, 1, 1)).name == "MoU 2018-2020"
    assert in_force(terms, D(2020, 3, 31)).name == "MoU 2018-2020"
    successor = in_force(terms, D(2020, 4, 1))
    assert successor.name == "MoU 2020-2023"
    assert successor.meeting_interval_months == 3
    assert successor.notice_months == 6  # the MoU's six months when not stated (cl. 12.1)
    assert in_force(terms, D(2023, 4, 1)) is None
    assert standing(terms, D(2023, 4, 1)).ended.name == "MoU 2020-2023"


def test_contribution_minimum_applies_from_its_fy_onward(bundled: Books) -> None:
    def minimum(fy: FinancialYear) -> Decimal | None:
        return minimum_for(bundled.terms, fy, "KP")

    assert minimum(FinancialYear(2016)) is None
    assert minimum(FinancialYear(2017)) == Decimal("10000.00")
    assert minimum(FinancialYear(2018)) == Decimal("16000.00")
    assert minimum(FinancialYear(2025)) == Decimal("16000.00")


def test_a_partners_own_minimum_takes_precedence_from_its_fy(books_of_text) -> None:
    books = books_of_text("""\
        2020-04-01 custom "kcst-agreement" "MoU 2020-2023" 2023-03-31
          partners: "KCC KFRS KP NHS"
          host: "KFRS"
          pool: Assets:KFRS:KCST-Pool
        2020-04-01 custom "kcst-contribution-minimum" 8000.00 GBP
          partner: "NHS"
        2021-04-01 custom "kcst-contribution-minimum" 17000.00 GBP
    """)
    assert books.errors == ()
    terms = books.terms
    assert minimum_for(terms, FinancialYear(2020), "NHS") == Decimal("8000.00")
    assert minimum_for(terms, FinancialYear(2020), "KP") == Decimal("16000.00")
    # a later minimum for every partner replaces an earlier one of one partner
    assert minimum_for(terms, FinancialYear(2021), "NHS") == Decimal("17000.00")


def test_post_runs_from_its_start_to_the_day_before_start_plus_months(books_of_text) -> None:
    books = books_of_text("""\
        2018-10-01 custom "kcst-post" "KCST Analyst" Expenses:Staff:Analyst 35000.00 GBP
          host: "KCC"
          months: 18
    """)
    (post,) = books.terms.posts
    assert (post.start, post.end, post.last_day) == (D(2018, 10, 1), D(2020, 4, 1), D(2020, 3, 31))
    assert post.annual_cost == Decimal("35000.00") and post.host == "KCC"
    assert not post.reports_performance
    assert post_months(post, FinancialYear(2018).start, FinancialYear(2018).end) == 6
    assert post_months(post, FinancialYear(2019).start, FinancialYear(2019).end) == 12


def test_meeting_records_each_partners_attendance_and_deputies_count(books_of_text) -> None:
    books = books_of_text("""\
        2018-05-10 custom "kcst-meeting" "SMT"
          kcc: "present"
          kfrs: "apologies"
          kp: "deputy"
          budget-reviewed: TRUE
          venue: "Loose Road"
    """)
    (meeting,) = books.terms.meetings
    assert books.errors == ()
    assert meeting.attendance_of("KP") == "deputy"
    assert meeting.represented("KP") and meeting.represented("KCC")
    assert meeting.missing(("KCC", "KFRS", "KP")) == ("KFRS",)
    assert not quorate(meeting, books.terms)
    assert meeting.budget_reviewed and not meeting.performance_report


def test_partner_with_no_key_is_absent(books_of_text) -> None:
    books = books_of_text("""\
        2018-05-10 custom "kcst-meeting" "SMT"
          kcc: "present"
          kfrs: "present"
    """)
    (meeting,) = books.terms.meetings
    assert meeting.attendance_of("KP") == "absent"


def test_governance_records_parse(books_of_text) -> None:
    books = books_of_text("""\
        2018-05-10 custom "kcst-decision" "D-2018-05-1" "Hot-desking works at Loose Road"
          limit: 8000.00 GBP
        2018-05-10 custom "kcst-decision" "D-2018-05-2" "Thank the analyst"
        2019-06-01 custom "kcst-withdrawal-notice" "KP" 2019-12-31
          to-smt: TRUE
          to-kcsp-chair: TRUE
        2019-01-17 custom "kcst-review" "January 2019 review of the MoU"
        2018-01-01 custom "kcst-deadline" "formal-review-report" 2019-03-01
          clause: "13.2"
        2019-02-25 custom "kcst-delivered" "formal-review-report"
        2019-03-31 custom "kcst-year-end" "2018/19" -4890.00 GBP
          digest: "sha256:00"
    """)
    terms = books.terms
    assert books.errors == ()
    assert terms.decision("D-2018-05-1").limit == Decimal("8000.00")
    assert terms.decision("D-2018-05-2").limit is None
    (notice,) = terms.notices
    assert (notice.partner, notice.effective, notice.to_smt, notice.to_kcsp_chair) == (
        "KP", D(2019, 12, 31), True, True)
    assert terms.reviews[0].date == D(2019, 1, 17)
    assert (terms.deadlines[0].due, terms.deadlines[0].clause) == (D(2019, 3, 1), "13.2")
    assert terms.deliveries[0].name == "formal-review-report"
    year_end = terms.year_end(FinancialYear(2018))
    assert (year_end.amount, year_end.digest) == (Decimal("-4890.00"), "sha256:00")
    assert [a.account for a in terms.approval_accounts] == ["Expenses:Accommodation:HotDesking"]


PROJECT = ('2019-01-17 custom "kcst-project" "P-2019-01" "DHR lessons-learnt seminars" '
           '1200.00 GBP\n  priority: "domestic-abuse"\n  decision: "D-2019-01-2"\n'
           '  ends: 2019-10-31\n')


def test_priorities_projects_and_outcomes_parse(books_of_text) -> None:
    books = books_of_text('''\
        2017-04-01 custom "kcst-priority" "domestic-abuse" "Domestic Abuse"
        2017-04-01 custom "kcst-priority" "early-intervention" "Early intervention"
          theme: TRUE
        2019-01-17 custom "kcst-project" "P-2019-01" "DHR lessons-learnt seminars" 1200.00 GBP
          priority: "domestic-abuse"
          decision: "D-2019-01-2"
          ends: 2019-10-31
        2019-05-09 custom "kcst-project" "P-2019-03" "Online safety course" 600.00 GBP
          priority: "early-intervention"
          decision: "D-2019-05-1"
        2019-12-19 custom "kcst-outcome" "P-2019-01" "Two seminars held"
    ''')
    terms = books.terms
    assert books.errors == ()
    assert [(p.id, p.title, p.theme) for p in terms.priorities] == [
        ("domestic-abuse", "Domestic Abuse", False),
        ("early-intervention", "Early intervention", True)]
    seminars = terms.project("P-2019-01")
    assert (seminars.date, seminars.budget, seminars.priority, seminars.decision,
            seminars.ends) == (D(2019, 1, 17), Decimal("1200.00"), "domestic-abuse",
                               "D-2019-01-2", D(2019, 10, 31))
    assert terms.project("P-2019-03").ends is None
    assert [(o.project, o.date, o.text) for o in terms.outcomes] == [
        ("P-2019-01", D(2019, 12, 19), "Two seminars held")]
    assert terms.priority("domestic-abuse").source.lineno == HEAD_LINES + 1


MALFORMED = [
    ("unknown directive", '2018-05-10 custom "kcst-meting" "SMT"\n', "unknown directive 'kcst-meting'"),
    ("unknown partner code", '2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "present"\n'
     '  kfrs: "present"\n  pol: "present"\n', "unknown partner code 'pol'"),
    ("unknown attendance", '2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: "here"\n',
     "attendance must be one of present, deputy, apologies, absent"),
    ("attendance not a string", '2018-05-10 custom "kcst-meeting" "SMT"\n  kcc: TRUE\n',
     "attendance must be one of"),
    ("flag not boolean", '2018-05-10 custom "kcst-meeting" "SMT"\n  budget-reviewed: "yes"\n',
     "budget-reviewed: must be TRUE or FALSE"),
    ("post without months", '2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin '
     '24000.00 GBP\n  host: "KCC"\n', "missing months:"),
    ("post months not whole", '2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin '
     '24000.00 GBP\n  host: "KCC"\n  months: 1.5\n', "whole number of months"),
    ("post cost not an amount", '2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin '
     '"lots"\n  host: "KCC"\n  months: 24\n', "annual cost must be an amount"),
    ("post host unknown", '2018-04-01 custom "kcst-post" "Admin" Expenses:Staff:Admin '
     '24000.00 GBP\n  host: "NHS"\n  months: 24\n', "host 'NHS' is no partner"),
    ("post on a non-expense account", '2018-04-01 custom "kcst-post" "Admin" Assets:KFRS:KCST-Pool '
     '24000.00 GBP\n  host: "KCC"\n  months: 24\n', "must be an Expenses: account"),
    ("minimum in another currency", '2019-04-01 custom "kcst-contribution-minimum" 16000.00 EUR\n',
     "minimum must be in GBP"),
    ("minimum missing", '2019-04-01 custom "kcst-contribution-minimum"\n', "missing minimum"),
    ("decision without text", '2018-05-10 custom "kcst-decision" "D-1"\n', "missing text"),
    ("decision limit negative", '2018-05-10 custom "kcst-decision" "D-1" "Desks"\n'
     '  limit: -5.00 GBP\n', "limit: must be above zero"),
    ("duplicate decision id", '2018-05-10 custom "kcst-decision" "D-1" "Desks"\n'
     '2018-05-11 custom "kcst-decision" "D-1" "Chairs"\n', "the same id is already used"),
    ("notice from no partner", '2019-06-01 custom "kcst-withdrawal-notice" "NHS" 2019-12-31\n',
     "partner 'NHS' is no partner"),
    ("notice effective not a date", '2019-06-01 custom "kcst-withdrawal-notice" "KP" "soon"\n',
     "effective date must be a date"),
    ("deadline without due date", '2018-01-01 custom "kcst-deadline" "report"\n', "missing due date"),
    ("delivery of no deadline", '2019-02-25 custom "kcst-delivered" "annual-report"\n',
     "no kcst-deadline of that name"),
    ("year-end not on the FY end", '2019-03-30 custom "kcst-year-end" "2018/19" 1.00 GBP\n',
     "must be dated its last day, 2019-03-31"),
    ("year-end FY malformed", '2019-03-31 custom "kcst-year-end" "2018" 1.00 GBP\n',
     "is not written like 2018/19"),
    ("year-end without balance", '2019-03-31 custom "kcst-year-end" "2018/19"\n',
     "missing balance carried forward"),
    ("approval other than smt", '2018-01-01 open Expenses:Accommodation:Other GBP\n'
     '  approval: "kfrs"\n', 'approval must be "smt"'),
    ("priority without title", '2017-04-01 custom "kcst-priority" "road-safety"\n',
     "kcst-priority: missing title"),
    ("priority theme not boolean", '2017-04-01 custom "kcst-priority" "rr" "Reoffending"\n'
     '  theme: "yes"\n', "theme: must be TRUE or FALSE"),
    ("duplicate priority id", '2017-04-01 custom "kcst-priority" "road-safety" "Road Safety"\n'
     '2018-04-01 custom "kcst-priority" "road-safety" "Roads"\n',
     "kcst-priority 'road-safety': the same id is already used"),
    ("project budget zero", PROJECT.replace("1200.00 GBP", "0.00 GBP"),
     "budget must be above zero"),
    ("project budget in euros", PROJECT.replace("1200.00 GBP", "1200.00 EUR"),
     "budget must be in GBP"),
    ("project budget not an amount", PROJECT.replace("1200.00 GBP", '"1200"'),
     "budget must be an amount like"),
    ("project without a budget", PROJECT.replace(" 1200.00 GBP", ""), "missing budget"),
    ("project without priority", PROJECT.replace('  priority: "domestic-abuse"\n', ""),
     "kcst-project: missing priority:"),
    ("project without decision", PROJECT.replace('  decision: "D-2019-01-2"\n', ""),
     "kcst-project: missing decision:"),
    ("project priority not a string", PROJECT.replace('"domestic-abuse"', "TRUE"),
     "priority: must be a non-empty string"),
    ("project end not a date", PROJECT.replace("ends: 2019-10-31", 'ends: "October"'),
     "ends: must be a date"),
    ("project ending before it starts", PROJECT.replace("ends: 2019-10-31", "ends: 2018-10-31"),
     "ends: 2018-10-31 is before the project starts (2019-01-17)"),
    ("duplicate project id", PROJECT + PROJECT.replace("2019-01-17", "2019-02-14"),
     "kcst-project 'P-2019-01': the same id is already used"),
    ("outcome of an unknown project", '2019-12-19 custom "kcst-outcome" "P-2019-09" "Done"\n',
     "kcst-outcome 'P-2019-09': no kcst-project of that id"),
    ("outcome before its project", PROJECT + '2018-12-19 custom "kcst-outcome" "P-2019-01" '
     '"Done"\n', "dated 2018-12-19, before the project (2019-01-17)"),
    ("outcome without text", PROJECT + '2019-12-19 custom "kcst-outcome" "P-2019-01"\n',
     "kcst-outcome: missing outcome"),
]


@pytest.mark.parametrize(("body", "message"), [(b, m) for _, b, m in MALFORMED],
                         ids=[name for name, _, _ in MALFORMED])
def test_malformed_directive_is_an_error_at_its_line(books_of_text, body: str, message: str) -> None:
    books = books_of_text(body)
    matching = [e for e in books.errors if message in e.message]
    assert matching, [e.message for e in books.errors]
    # the directive (or, for a duplicate, its second use) stands on the lines after HEAD
    assert HEAD_LINES + 1 <= matching[0].source["lineno"] <= HEAD_LINES + body.count("\n")


def test_agreement_without_partners_is_an_error() -> None:
    from beancount import loader

    entries, _, _ = loader.load_string(
        '2018-01-01 custom "kcst-agreement" "MoU" 2020-03-31\n  host: "KFRS"\n'
        '  pool: Assets:KFRS:KCST-Pool\n')
    _, errors = parse_terms(entries)
    assert [e.message for e in errors] == ["kcst-agreement: missing partners:"]


def test_agreement_ending_before_it_starts_is_an_error() -> None:
    from beancount import loader

    entries, _, _ = loader.load_string(
        '2018-01-01 custom "kcst-agreement" "MoU" 2017-03-31\n  partners: "KCC KP"\n'
        '  host: "KCC"\n  pool: Assets:KFRS:KCST-Pool\n')
    _, errors = parse_terms(entries)
    assert "the term ends (2017-03-31) before it starts (2018-01-01)" in errors[0].message


def test_books_without_any_agreement_are_not_kcst_books_and_read_quietly() -> None:
    from beancount import loader

    entries, _, _ = loader.load_string('2018-05-10 custom "kcst-review" "A review"\n')
    terms, errors = parse_terms(entries)
    assert errors == [] and terms.agreements == () and terms.reviews == ()


def test_contribution_from_no_partner_is_an_error(books_of_text) -> None:
    books = books_of_text("""\
        2018-01-01 open Income:Contributions:NHS GBP
        2018-05-01 * "NHS" "Contribution"
          Assets:KFRS:KCST-Pool      100.00 GBP
          Income:Contributions:NHS  -100.00 GBP
    """)
    assert [e.message for e in books.errors] == [
        "Income:Contributions:NHS: 'NHS' is no partner of the agreement"]
    assert books.errors[0].source["lineno"] == HEAD_LINES + 2
