"""Xendit's payout callback (POST, JSON): the outcome of one payout, authenticated by the x-callback-token header
compared in constant time with XENDIT_CALLBACK_TOKEN (401 otherwise, and always while no token is set). The
payout's reference_id is our idempotency key; settle_disbursement records the outcome, so a replayed callback
pays nothing twice. A plain Django view rather than an endpoint of the member API: Xendit is not a member, its
body is Xendit's shape, and the member API's OpenAPI document, authentication and fuzzing are no place for it."""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jaminanku.claims.payouts import settle_disbursement
from jaminanku.core.errors import DomainError

SUCCEEDED = {"SUCCEEDED", "COMPLETED"}
FAILED = {"FAILED", "REVERSED", "CANCELLED", "EXPIRED"}
MAX_BYTES = 64 * 1024


def _authentic(request: HttpRequest) -> bool:
    expected = settings.XENDIT_CALLBACK_TOKEN
    given = request.headers.get("x-callback-token", "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _payout(request: HttpRequest) -> dict[str, Any] | None:
    if len(request.body) > MAX_BYTES:
        return None
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    data = body.get("data", body)  # payouts v2 wrap the payout in "data"
    return data if isinstance(data, dict) else None


@csrf_exempt
@require_POST
def xendit_payout_callback(request: HttpRequest) -> JsonResponse:
    if not _authentic(request):
        return JsonResponse({"code": "unauthenticated"}, status=401)
    payout = _payout(request)
    if payout is None or not isinstance(payout.get("reference_id"), str) or not isinstance(payout.get("status"), str):
        return JsonResponse({"code": "invalid_input"}, status=400)
    status = payout["status"].upper()
    if status not in SUCCEEDED | FAILED:
        return JsonResponse({"code": "ignored", "status": status})  # ACCEPTED, REQUESTED…: not an outcome yet
    try:
        settle_disbursement(
            idempotency_key=payout["reference_id"][:64],
            succeeded=status in SUCCEEDED,
            provider_reference=str(payout.get("id") or "")[:64],
            failure_reason=str(payout.get("failure_code") or ""),
        )
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": str(exc.message)}, status=exc.status)
    return JsonResponse({"code": "ok"})
