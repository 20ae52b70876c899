"""Money: ``Decimal`` GBP, printed with two decimals."""

from __future__ import annotations

from decimal import Decimal

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
CURRENCY = "GBP"
#: The largest amount an entry may carry: far beyond any pool, and small enough that every
#: sum of the books stays exact in Decimal's 28 digits (a 29-digit amount cannot even be
#: rounded to the penny there).
LARGEST = Decimal("999999999999.99")


def gbp(amount: Decimal) -> str:
    """GBP with two decimals and thousands separators: ``£16,000.00``, ``-£1,234.50``."""
    quantized = amount.quantize(PENNY)
    sign = "-" if quantized < 0 else ""
    return f"{sign}£{abs(quantized):,.2f}"


def decimal_string(amount: Decimal) -> str:
    """A decimal string with two places, as the JSON outputs carry amounts."""
    return str(amount.quantize(PENNY))
