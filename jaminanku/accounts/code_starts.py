"""The per-address limit on starting anything that sends a one-time code (sign-up email or phone, forgot password,
recovery SMS, change of email or phone). The services that send such a code count it first, so no web page or API
endpoint can forget it; the per-destination limits in `codes` stop flooding one inbox, this stops one address from
sending codes to many. Web pages and the API count in the same bucket, in the shared cache."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

from jaminanku.core.errors import RateLimited


def _address_key(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    # one IPv6 subscriber usually holds a whole /64, so count the /64 as one address
    return str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)


def refuse_too_many_code_starts(*, client_ip: str | None) -> None:
    """Counts one start of something that sends a code from this client address (as `web.client_ip` reads it),
    and raises RateLimited past ACCOUNTS_CODE_STARTS_PER_IP. Without an address (None: a caller in the same process,
    such as the tests or the benchmarks, or a request whose address cannot be read) nothing is counted, as with
    the identity limits in `limits`.

    django-ratelimit counts with the cache's add() and incr(); on the database cache incr() is not atomic, so
    simultaneous requests may lose a count (the limit loosens by a few); Redis counts exactly. Its get_usage reads
    the request only through the key (here the address, already read) and the method filter (none), so the
    services, which have no request, pass None."""
    if client_ip is None:
        return
    key = _address_key(client_ip)
    usage = get_usage(
        None,
        group="accounts.code-starts",
        key=lambda _group, _request: key,
        rate=settings.ACCOUNTS_CODE_STARTS_PER_IP,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(
            _("Terlalu banyak permintaan kode dari jaringan Anda. Coba lagi nanti."),
            code="code_starts_per_address",
            retry_after=max(1, int(usage["time_left"])),
        )
