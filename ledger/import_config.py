"""Fava's import configuration for the KCST books (Fava option ``import-config``).

Add to the main ledger file to use Fava's import page with the host's CSV export::

    2020-04-01 custom "fava-option" "import-config" "import_config.py"
    2020-04-01 custom "fava-option" "import-dirs" "import"
"""

from pathlib import Path

from kcst_budget.importer import KfrsLedgerImporter

CONFIG = [KfrsLedgerImporter(Path(__file__).resolve().parent / "import-map.csv")]
