"""What the "Perangkat & sesi" page says about a browser or app: a short device name read from its User-Agent and
its network address with the host part hidden (`203.0.113.x`). Only these summaries are stored, never the full
address: enough for a member to recognise a device, little to leak."""

from __future__ import annotations

import ipaddress
import re

from django.http import HttpRequest

from jaminanku.accounts.web import client_ip

# order matters: Edge and Samsung Internet also say "Chrome", Chrome also says "Safari"
_BROWSERS = [
    ("Edg/", "Edge"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """`Chrome di Android`, or the first word of an app's User-Agent (`JaminanKu-Android/2.1`)."""
    agent = (user_agent or "").strip()
    if agent.startswith("Mozilla/"):  # every browser says so; apps name themselves first
        browser = next((name for marker, name in _BROWSERS if marker in agent), "")
        system = next((name for marker, name in _SYSTEMS if marker in agent), "")
        if browser or system:
            return " · ".join(filter(None, [browser, system]))
    first = re.split(r"[\s(]", agent, maxsplit=1)[0] if agent else ""
    return "".join(ch for ch in first if ch.isprintable())[:60]


def masked_place(address: str | None) -> str:
    """`203.0.113.7` → `203.0.113.x`; an IPv6 address keeps its first 48 bits (`2001:db8:85a3::x`)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return ""
    if ip.version == 4:
        return ".".join(str(ip).split(".")[:3]) + ".x"
    network = ipaddress.ip_network(f"{ip}/48", strict=False).network_address
    return f"{str(network).rstrip(':')}::x"


def describe(request: HttpRequest) -> tuple[str, str]:
    """(device name, masked address) of the client making `request`."""
    return device_name(request.META.get("HTTP_USER_AGENT", "")), masked_place(client_ip(request))
