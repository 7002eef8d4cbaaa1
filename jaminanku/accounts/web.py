"""Small helpers the accounts pages and API endpoints share: mapping a DomainError onto a form, the client's
address, and the per-address limit on starting anything that sends a one-time code."""

from __future__ import annotations

import ipaddress

from axes.helpers import get_client_ip_address
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from jaminanku.core.errors import DomainError, RateLimited

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


def _address_key(group: str, request: HttpRequest) -> str:
    address = client_ip(request) or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    # one IPv6 subscriber usually holds a whole /64, so count the /64 as one address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def refuse_too_many_code_starts(request: HttpRequest) -> None:
    """Counts one start of something that sends a code (sign-up email or phone, forgot password, recovery SMS,
    change of email or phone) from this client address, and raises RateLimited past
    ACCOUNTS_CODE_STARTS_PER_IP. The per-destination limits in `codes` stop flooding one inbox; this stops one
    address from sending codes to many. Web pages and the API count in the same bucket, in the shared cache.

    django-ratelimit counts with the cache's add() and incr(); on the database cache incr() is not atomic, so
    simultaneous requests may lose a count (the limit loosens by a few); Redis counts exactly."""
    usage = get_usage(
        request,
        group="accounts.code-starts",
        key=_address_key,
        rate=settings.ACCOUNTS_CODE_STARTS_PER_IP,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(
            _("Terlalu banyak permintaan kode dari jaringan Anda. Coba lagi nanti."),
            code="code_starts_per_address",
            retry_after=max(1, int(usage["time_left"])),
        )
