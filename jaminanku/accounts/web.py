"""Small helpers the accounts pages and API endpoints share: mapping a DomainError onto a form, and the client's
address (which the services that send a code count against `code_starts`' limit)."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django import forms
from django.http import HttpRequest

from jaminanku.core.errors import DomainError

# accounts made or recovered in the sign-up are logged in without a password check by axes' backend
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def show_error(form: forms.Form, exc: DomainError) -> None:
    """Puts the service's message on the field it names (or on the whole form), keeping what was typed."""
    field = exc.field if exc.field in form.fields else None
    messages = exc.extra.get("errors") or [str(exc.message)]
    for message in messages:
        form.add_error(field, str(message))


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as axes sees it (so the proxy settings are configured in one place)."""
    return get_client_ip_address(request)
