"""The agreement's terms and the SMT's records: typed values (``model``) parsed once
from the ledger's ``kcst-`` directives (``parse``)."""

from kcst_budget.terms.model import (ATTENDANCE, QUORATE_ATTENDANCE, SMT_APPROVAL, Agreement,
                                     ApprovalAccount, ContributionMinimum, Deadline, Decision,
                                     Delivery, Meeting, Partner, Post, Review, Terms, TermsError,
                                     WithdrawalNotice, YearEnd)
from kcst_budget.terms.parse import PREFIX, parse_terms

__all__ = ["ATTENDANCE", "PREFIX", "QUORATE_ATTENDANCE", "SMT_APPROVAL", "Agreement",
           "ApprovalAccount", "ContributionMinimum", "Deadline", "Decision", "Delivery",
           "Meeting", "Partner", "Post", "Review", "Terms", "TermsError", "WithdrawalNotice",
           "YearEnd", "parse_terms"]
