"""Template filters for rupiah amounts and rates; loaded as a builtin so every template has `|rupiah` and
`|percent`."""

from django import template

from jaminanku.core.money import format_percent, format_rupiah

register = template.Library()


@register.filter
def rupiah(value: object) -> str:
    if value in (None, ""):
        return format_rupiah(None)
    try:
        return format_rupiah(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)


@register.filter
def percent(rate_ppm: object) -> str:
    """A rate in parts per million as a percent: `{{ 37000|percent }}` is `3,7%` in Indonesian, `3.7%` in English."""
    try:
        return format_percent(int(rate_ppm))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(rate_ppm)
