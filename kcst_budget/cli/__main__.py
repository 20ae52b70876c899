"""``python -m kcst_budget.cli``: the ``kcst`` command, for machines where the script is
not on PATH (and for tests that must run the tree they test)."""

from kcst_budget.cli import app

if __name__ == "__main__":
    app(prog_name="kcst")
