"""kcst-budget: the books and the rules of the Kent Community Safety Team pooled budget.

The package reads like the Memorandum of Understanding (MoU, 2018-2020):

- ``terms``    -- the agreement's terms and the SMT's records, parsed once from ``kcst-`` directives;
- ``books``    -- the loaded ledger: entries, terms and the pool's movements, indexed once;
- ``rules``    -- one module per checkable clause (cl. 3.1 ... 13.2);
- ``money``    -- the money views: forecast to term end, partners' portions, year-end;
- ``plugin``   -- the Beancount plugin (``plugin "kcst_budget.plugin"``);
- ``cli``      -- the ``kcst`` command, a presenter of what the modules above compute.
"""

__version__ = "0.1.0"
