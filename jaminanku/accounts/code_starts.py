"""The per-address limit on starting anything that sends a one-time code (sign-up email or phone, forgot password,
recovery SMS, change of email or phone). The services that send such a code count it first, so no web page or API
endpoint can forget it; the per-destination limits in `codes` stop flooding one inbox, this stops one address from
sending codes to many.

Counted like the failure limits in `limits`: a database row locked while it is checked and counted, so starts sent
at the same moment queue on it and every app process shares it (django-ratelimit's count in the database cache is
a read and a write, which simultaneous requests slipped past)."""

from __future__ import annotations

import ipaddress
import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jaminanku.accounts.limits import FailureLimit
from jaminanku.core.errors import RateLimited

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    # one IPv6 subscriber usually holds a whole /64, so count the /64 as one address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def code_starts_per_address() -> FailureLimit:
    """ACCOUNTS_CODE_STARTS_PER_IP in django-ratelimit's notation, which the setting has always used: "20/h",
    "50/12h", "5/m"."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", str(settings.ACCOUNTS_CODE_STARTS_PER_IP))
    if match is None:
        raise ValueError(
            f"ACCOUNTS_CODE_STARTS_PER_IP must read like 20/h, not {settings.ACCOUNTS_CODE_STARTS_PER_IP!r}"
        )
    count, multiple, unit = match.groups()
    return FailureLimit("code-starts-ip", int(count), int(multiple or 1) * _UNIT_SECONDS[unit])


def refuse_too_many_code_starts(*, client_ip: str | None) -> None:
    """Counts one start of something that sends a code from this client address (as `web.client_ip` reads it),
    and raises RateLimited once ACCOUNTS_CODE_STARTS_PER_IP is reached; a refused start is not counted. Without an
    address (None: a caller in the same process, such as the tests or the benchmarks) nothing is counted, as with
    the identity limits in `limits`."""
    if client_ip is None:
        return
    with transaction.atomic():
        counter = code_starts_per_address().counter(_address_key(client_ip))
        if counter.reached:
            assert counter.row is not None
            raise RateLimited(
                _("Terlalu banyak permintaan kode dari jaringan Anda. Coba lagi nanti."),
                code="code_starts_per_address",
                retry_after=max(1, int((counter.row.window_ends_at - counter.now).total_seconds())),
            )
        counter.count_failure()


def lift_code_starts_limit(*, client_ip: str) -> None:
    """Forgets the code starts counted for this client address (its IPv6 /64 for an IPv6 one)."""
    code_starts_per_address().lift(_address_key(client_ip))
