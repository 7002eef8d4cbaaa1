"""Whole-rupiah arithmetic: round half up, exact integers."""

import pytest

from jaminanku.core.money import apply_rate, format_rupiah, round_half_up_div


@pytest.mark.parametrize(
    ("base", "ppm", "expected"),
    [
        (5_000_000, 37_000, 185_000),  # 3.7 % of 5,000,000
        (1_250, 2_400, 3),  # 0.24 % of 1,250 = 3.0
        (1_875, 2_400, 5),  # 4.5 rounds half up to 5
        (1_874, 2_400, 4),  # 4.4976 rounds down
        (0, 37_000, 0),
        (-1_875, 2_400, -5),  # reversals round symmetrically
    ],
)
def test_apply_rate_rounds_half_up(base, ppm, expected):
    assert apply_rate(base, ppm) == expected


def test_round_half_up_div():
    assert round_half_up_div(5, 2) == 3
    assert round_half_up_div(7, 3) == 2
    assert round_half_up_div(-5, 2) == -3


def test_format_rupiah():
    assert format_rupiah(1234567) == "Rp 1.234.567"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(-5000) == "-Rp 5.000"
