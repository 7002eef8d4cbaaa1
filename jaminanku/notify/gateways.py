"""SMS gateways behind one small interface, chosen by `settings.SMS_BACKEND`: `outbox` for development (the
message stays in the outbox table, readable at /dev/outbox/) and `http` for a real provider."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class SmsDeliveryError(Exception):
    """The gateway did not accept the message; the worker will try again later."""


class SmsBackend(Protocol):
    def send(self, *, to: str, body: str, idempotency_key: str) -> None: ...


class OutboxSmsBackend:
    """Sends nothing: the row in the outbox is the message. Used by `make run` and the tests."""

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        if not settings.DEBUG:  # in DEBUG the outbox already printed every message when it was queued
            logger.info("SMS (outbox, not sent) to %s: %s", to, body)


class HttpSmsBackend:
    """POSTs `{"to", "message"}` as JSON with a bearer token to `SMS_HTTP_URL`.

    The `Idempotency-Key` header lets a gateway that supports it drop a repeat, should a worker die between the
    gateway's answer and the outbox update."""

    def __init__(self, url: str, token: str, timeout: float):
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_HTTP_URL must be an http(s) URL when SMS_BACKEND=http")
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, *, to: str, body: str, idempotency_key: str) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps({"to": to, "message": body}).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": idempotency_key,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsDeliveryError(f"gateway answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"gateway unreachable: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsDeliveryError(f"gateway answered HTTP {status}")


def get_sms_backend() -> SmsBackend:
    name = settings.SMS_BACKEND
    if name == "outbox":
        return OutboxSmsBackend()
    if name == "http":
        return HttpSmsBackend(settings.SMS_HTTP_URL, settings.SMS_HTTP_TOKEN, settings.SMS_HTTP_TIMEOUT)
    raise ImproperlyConfigured(f"Unknown SMS_BACKEND {name!r}; use 'outbox' or 'http'")
