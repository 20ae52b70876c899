"""The canonical form writes numbers by value; its shortcut for plain numbers agrees."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kcst_budget.seal import _canon, _number

EDGES = ["0", "-0", "0.00", "100", "16000.00", "0.50", "-290.03", "1E+2", "1E-7", "7",
         "-7.10", "12345678901234567890123456.7", "1234567890123456789012345678.9",
         "0.000000000000000000000000000001"]


@given(st.one_of(st.sampled_from(EDGES).map(Decimal),
                 st.decimals(allow_nan=False, allow_infinity=False),
                 st.decimals(allow_nan=False, allow_infinity=False, places=2)))
def test_a_plain_number_is_written_as_the_generic_form_writes_it(number: Decimal) -> None:
    assert _number(number) == _canon(number)
    assert _number(number) == format(number.normalize(), "f")
