"""Template filters for rupiah amounts; loaded as a builtin so every template has `|rupiah`."""

from django import template

from jaminanku.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(value: object) -> str:
    if value in (None, ""):
        return format_rupiah(None)
    try:
        return format_rupiah(int(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return str(value)
