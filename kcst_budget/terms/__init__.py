"""The agreement's terms and the SMT's records: typed values (``model``) parsed once
from the ledger's ``kcst-`` directives (``parse``)."""

from kcst_budget.terms.model import (ATTENDANCE, QUORATE_ATTENDANCE, SMT_APPROVAL, Agreement,
                                     ApprovalAccount, ContributionMinimum, Deadline, Decision,
                                     Delivery, Meeting, Outcome, Partner, Post, Priority,
                                     Project, PROJECT_ACCOUNTS, Review, Terms, TermsError,
                                     WithdrawalNotice, YearEnd, is_project_account)
from kcst_budget.terms.parse import PREFIX, parse_terms

__all__ = ["ATTENDANCE", "PREFIX", "PROJECT_ACCOUNTS", "QUORATE_ATTENDANCE", "SMT_APPROVAL",
           "Agreement", "ApprovalAccount", "ContributionMinimum", "Deadline", "Decision",
           "Delivery", "Meeting", "Outcome", "Partner", "Post", "Priority", "Project", "Review",
           "Terms", "TermsError", "WithdrawalNotice", "YearEnd", "is_project_account",
           "parse_terms"]
