"""`{% page_url %}` (core/templatetags/links.py): the path Django's `{% url %}` gives for a page without arguments,
under the request's script prefix, reversed once and then served from the process's cache."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from jaminanku.core.templatetags import links


def _render(text: str) -> str:
    return Template(text).render(Context())


@pytest.mark.parametrize("name", ["member:home", "accounts:login", "bookings:mine", "backoffice:payouts:index"])
def test_page_url_is_the_path_url_gives(name):
    assert _render(f"{{% page_url '{name}' %}}") == _render(f"{{% url '{name}' %}}") == reverse(name)


def test_page_url_follows_the_script_prefix():
    try:
        set_script_prefix("/jaminanku/")
        assert _render("{% page_url 'member:home' %}") == "/jaminanku/"
        assert _render("{% page_url 'accounts:login' %}") == reverse("accounts:login")
    finally:
        set_script_prefix("/")
    assert _render("{% page_url 'member:home' %}") == "/"


def test_page_url_reverses_a_name_once():
    links._fixed_path.cache_clear()
    for _ in range(3):
        _render("{% page_url 'card:page' %}")
    info = links._fixed_path.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_an_unknown_page_fails_as_url_does():
    with pytest.raises(NoReverseMatch):
        _render("{% page_url 'member:no_such_page' %}")
