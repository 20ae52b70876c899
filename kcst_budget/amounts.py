"""Money: ``Decimal`` GBP, printed with two decimals, split between partners exactly.

Spec section 5, rounding: "a total split between partners (portions, top-ups) is split
exactly, each part rounded down to the penny, and the pennies left over go one each to
the partners with the largest remainders, ties in the agreement's order of
``partners:``; the parts always add up to the total."
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

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


def to_penny(value: Fraction | Decimal) -> Decimal:
    """An exact amount rounded to the penny once, halves away from zero."""
    if isinstance(value, Decimal):
        return value.quantize(PENNY, rounding=ROUND_HALF_UP)
    pennies = abs(value) * 100
    whole = int(pennies)  # floor of a non-negative number
    if pennies - whole >= Fraction(1, 2):
        whole += 1
    return (Decimal(whole if value >= 0 else -whole) / 100).quantize(PENNY)


def split_exactly(total: Decimal, weights: Mapping[str, Decimal | Fraction]) -> dict[str, Decimal]:
    """``total`` split in proportion to ``weights`` (in the order given: the agreement's),
    each part rounded down to the penny and the pennies left over given one each to the
    largest remainders, ties in order. The parts add up to ``total`` exactly.

    Weights that are all zero split the total equally. An empty mapping splits nothing.
    """
    codes = list(weights)
    if not codes:
        return {}
    whole = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if whole == 0:
        weights = dict.fromkeys(codes, Fraction(1))
        whole = Fraction(len(codes))
    pennies = Fraction(total.quantize(PENNY)) * 100
    exact = {code: pennies * Fraction(weights[code]) / whole for code in codes}
    floors = {code: exact[code].numerator // exact[code].denominator for code in codes}
    left = int(pennies) - sum(floors.values())  # total is whole pennies: 0 <= left < parts
    by_remainder = sorted(codes, key=lambda code: (-(exact[code] - floors[code]),
                                                   codes.index(code)))
    for code in by_remainder[:left]:
        floors[code] += 1
    return {code: (Decimal(floors[code]) / 100).quantize(PENNY) for code in codes}
