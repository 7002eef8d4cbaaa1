"""`{% page_url "app:name" %}`: the path of a named page that takes no arguments, reversed once per process.

Why not Django's `{% url %}` for these: it reverses again on every render, about 20 µs each, and the layout
(base.html) has eight on every page, the member home page six more: a tenth of the home page's rendering (issue
27, its server time against the health check). Such a path depends only on the URLconf and the script prefix,
which key the cache. Paths with arguments keep `{% url %}`. Loaded as a builtin, like `money`.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=512)
def _fixed_path(urlconf: str, script_prefix: str, name: str) -> str:
    # reverse() reads the script prefix itself; it is in the key so that each prefix has its own entry
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def page_url(name: str) -> str:
    return _fixed_path(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), name)
