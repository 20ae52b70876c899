"""The documents: the SMT's budget-monitoring paper and the auditor's pack.

Both lay out figures computed by ``kcst_budget.money`` and ``kcst_budget.rules``; a
report computes nothing of its own, so the paper, the pack, the CLI and the dashboard
always agree.
"""
