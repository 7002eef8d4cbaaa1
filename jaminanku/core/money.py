"""Whole-rupiah arithmetic and display.

Money is always an int of rupiah. Rates are stored as integer parts per million (ppm) so that
`round_half_up(base x rate)` is exact integer arithmetic, identical in Python and in SQL.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

PPM = 1_000_000


def apply_rate(base: int, rate_ppm: int) -> int:
    """round_half_up(base x rate) to the rupiah, for a rate in parts per million."""
    product = base * rate_ppm
    if product >= 0:
        return (product + PPM // 2) // PPM
    return -((-product + PPM // 2) // PPM)


def round_half_up_div(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, in integers."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def format_rupiah(amount: int | None) -> str:
    """`Rp 1.234.567`, with a minus sign before Rp for negative amounts (the agency's style)."""
    if amount is None:
        return "–"
    sign = "-" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp {digits}"


def percent_from_ppm(rate_ppm: int) -> str:
    """3.7 % shown as `3,7 %` style is left to templates; this returns `3.7` as a plain string."""
    whole, frac = divmod(rate_ppm, 10_000)
    if not frac:
        return str(whole)
    return f"{whole}.{frac:04d}".rstrip("0")


def format_percent(rate_ppm: int) -> str:
    """A rate in ppm as a percent in the active language's number format: 37000 → `3,7%` in Indonesian."""
    value = Decimal(int(rate_ppm)) / 10_000
    return f"{number_format(value.normalize() if value % 1 else value.quantize(Decimal(1)))}%"
