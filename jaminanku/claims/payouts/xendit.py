"""Paying through Xendit's Payouts API (POST /v2/payouts) with the maintained client, xendit-python. Each
disbursement is one payout whose `reference_id` and `idempotency-key` header are the disbursement's idempotency
key: Xendit answers a repeated key with the payout it already made, so a batch sent again pays nothing twice.
The outcome arrives later as a callback (claims/callbacks.py). Unavailable while XENDIT_SECRET_KEY is empty;
XENDIT_API_URL points the client at another host (Xendit's sandbox, or the tests' local server)."""

from __future__ import annotations

from collections.abc import Sequence

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _
from xendit import ApiClient, Configuration
from xendit.exceptions import OpenApiException
from xendit.payout import PayoutApi
from xendit.payout.model.create_payout_request import CreatePayoutRequest
from xendit.payout.model.digital_payout_channel_properties import DigitalPayoutChannelProperties

from jaminanku.claims.banks import BANKS
from jaminanku.claims.models import Disbursement, DisbursementBatch
from jaminanku.core.errors import DomainError

CHANNELS = {bank.code: bank.xendit_code for bank in BANKS}
TIMEOUT_SECONDS = 20


def _api() -> PayoutApi:
    configuration = Configuration(host=settings.XENDIT_API_URL.rstrip("/"), api_key=settings.XENDIT_SECRET_KEY)
    return PayoutApi(ApiClient(configuration))


def _request(disbursement: Disbursement, description: str) -> CreatePayoutRequest:
    channel = CHANNELS.get(disbursement.bank_code)
    if channel is None:
        raise DomainError(
            _("Bank %(code)s tidak dapat dibayar melalui Xendit.") % {"code": disbursement.bank_code},
            code="payout_channel",
        )
    return CreatePayoutRequest(
        reference_id=disbursement.idempotency_key,
        channel_code=channel,
        channel_properties=DigitalPayoutChannelProperties(
            account_number=disbursement.account_number, account_holder_name=disbursement.account_holder
        ),
        amount=float(disbursement.amount),
        currency="IDR",
        description=description,
    )


class XenditMethod:
    code: str = DisbursementBatch.Method.XENDIT.value

    def available(self) -> bool:
        return bool(settings.XENDIT_SECRET_KEY)

    def send(self, batch: DisbursementBatch, disbursements: Sequence[Disbursement]) -> dict[int, str]:
        api = _api()
        references = dict(batch.disbursements.values_list("pk", "claim__reference"))
        sent: dict[int, str] = {}
        for disbursement in disbursements:
            request = _request(disbursement, f"JHT {references.get(disbursement.pk, '')}")
            try:
                payout = api.create_payout(
                    idempotency_key=disbursement.idempotency_key,
                    create_payout_request=request,
                    _request_timeout=TIMEOUT_SECONDS,
                )
            except (OpenApiException, urllib3.exceptions.HTTPError, OSError) as exc:
                # what was sent stays sent: the keys make sending the batch again safe
                raise DomainError(
                    _("Xendit tidak dapat dihubungi (%(error)s); kirim ulang batch ini nanti.")
                    % {"error": type(exc).__name__},
                    code="payout_unavailable",
                    sent=sent,
                ) from exc
            sent[disbursement.pk] = str(payout["id"])
        return sent
