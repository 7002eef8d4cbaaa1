"""Paying through Xendit's Payouts API with the xendit-python client against a local server speaking that API:
the payout is made with the idempotency key, the authenticated callback pays the claim, a replayed callback pays
nothing twice, a callback without the right token is refused, and a batch sent again makes no second payout."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jaminanku.claims.models import Disbursement, DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import create_batch, send_batch
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim, death_claim
from jaminanku.claims.tests.xendit_service import CALLBACK_TOKEN, SECRET_KEY, PayoutService
from jaminanku.contributions.models import Account, JhtEntry
from jaminanku.core.errors import DomainError

pytestmark = [pytest.mark.django_db]
finance = payout_fixtures.finance
XENDIT = DisbursementBatch.Method.XENDIT
CALLBACK = "/staf/pembayaran-klaim/xendit-callback/"


@pytest.fixture
def xendit(settings):
    service = PayoutService()
    settings.XENDIT_SECRET_KEY = SECRET_KEY
    settings.XENDIT_CALLBACK_TOKEN = CALLBACK_TOKEN
    settings.XENDIT_API_URL = service.url
    yield service
    service.close()


def _post(client, body, token=CALLBACK_TOKEN):
    headers = {"HTTP_X_CALLBACK_TOKEN": token} if token is not None else {}
    return client.post(CALLBACK, json.dumps(body), content_type="application/json", **headers)


def test_a_payout_is_paid_by_its_callback_and_a_replay_pays_nothing_twice(xendit, finance):
    client = Client(enforce_csrf_checks=True)  # Xendit has no CSRF token: the view is exempt, the token guards it
    claim = approved_claim()
    batch = create_batch(method=XENDIT, actor=finance)
    key = f"{claim.reference}-member-1"
    payout = xendit.payouts[key]
    assert payout["reference_id"] == key and payout["channel_code"] == "ID_BCA" and payout["amount"] == claim.net
    assert payout["channel_properties"]["account_number"] == claim.account_number
    disbursement = Disbursement.objects.get(idempotency_key=key)
    assert disbursement.status == Disbursement.Status.SENT and disbursement.provider_reference == payout["id"]
    assert batch.state == DisbursementBatch.State.SENT

    response = _post(client, xendit.callback(key))
    assert response.status_code == 200 and response.json()["code"] == "ok"
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry.amount == -claim.gross
    assert Account.objects.get(membership=claim.membership).balance == 0

    for _ in range(3):  # Xendit retries callbacks
        assert _post(client, xendit.callback(key)).status_code == 200
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
    assert claim.events.filter(state_to="paid").count() == 1
    batch.refresh_from_db()
    assert batch.state == DisbursementBatch.State.SETTLED


def test_a_callback_without_or_with_a_wrong_token_is_refused(client, xendit, finance, settings):
    claim = approved_claim()
    create_batch(method=XENDIT, actor=finance)
    body = xendit.callback(f"{claim.reference}-member-1")
    assert _post(client, body, token=None).status_code == 401
    assert _post(client, body, token="token-callback-uji-124").status_code == 401
    settings.XENDIT_CALLBACK_TOKEN = ""
    assert _post(client, body, token="").status_code == 401  # no token set: nobody gets in
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAYING


def test_odd_callbacks_answer_without_an_error(client, xendit, finance):
    claim = approved_claim()
    create_batch(method=XENDIT, actor=finance)
    key = f"{claim.reference}-member-1"
    assert _post(client, "not a payout").status_code == 400
    assert (
        client.post(CALLBACK, b"{", content_type="application/json", HTTP_X_CALLBACK_TOKEN=CALLBACK_TOKEN).status_code
        == 400
    )
    assert _post(client, xendit.callback(key, status="ACCEPTED")).json()["code"] == "ignored"
    unknown = xendit.callback(key)
    unknown["data"]["reference_id"] = "ZZZZZZZZ-member-1"
    assert _post(client, unknown).status_code == 404
    assert client.get(CALLBACK).status_code == 405


def test_a_failed_payout_returns_the_claim_in_the_members_words(client, xendit, finance):
    claim = approved_claim()
    create_batch(method=XENDIT, actor=finance)
    key = f"{claim.reference}-member-1"
    assert _post(client, xendit.callback(key, "FAILED", "INVALID_DESTINATION")).status_code == 200
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.RETURNED and claim.entry is None
    assert "nomor rekening salah" in claim.events.get(state_to="returned").note
    # a success arriving after the failure does not pay: the outcome of a payment is final
    assert _post(client, xendit.callback(key)).status_code == 400
    assert not JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).exists()


def test_sending_a_batch_again_uses_the_same_keys_and_makes_no_second_payout(client, xendit, finance):
    first, second = approved_claim(), approved_claim()
    xendit.available = False
    with pytest.raises(DomainError) as err:
        create_batch(method=XENDIT, actor=finance)
    assert err.value.code == "payout_unavailable"
    batch = DisbursementBatch.objects.get()
    assert set(batch.disbursements.values_list("status", flat=True)) == {"pending"}
    xendit.available = True
    send_batch(batch, actor=finance)
    send_batch(batch, actor=finance)  # a nervous second click
    assert len(xendit.payouts) == 2 and xendit.requests == 5
    assert set(batch.disbursements.values_list("status", flat=True)) == {"sent"}
    for claim in (first, second):
        assert _post(client, xendit.callback(f"{claim.reference}-member-1")).status_code == 200
        claim.refresh_from_db()
        assert claim.state == JhtClaim.State.PAID
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 2


def test_a_death_claim_pays_each_heir_and_is_posted_once_when_both_are_paid(client, xendit, finance):
    claim = death_claim(shares=("33.33", "66.67"))
    create_batch(method=XENDIT, actor=finance)
    heirs = list(claim.heirs.order_by("pk"))
    keys = [f"{claim.reference}-heir-{heir.pk}-1" for heir in heirs]
    amounts = [xendit.payouts[key]["amount"] for key in keys]
    assert sum(amounts) == claim.net and amounts[0] == claim.net * 3333 // 10000
    assert [xendit.payouts[k]["channel_code"] for k in keys] == ["ID_MANDIRI", "ID_MANDIRI"]

    _post(client, xendit.callback(keys[0]))
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAYING and claim.entry is None
    _post(client, xendit.callback(keys[1]))
    _post(client, xendit.callback(keys[1]))
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.PAID and claim.entry.amount == -claim.gross
    assert JhtEntry.objects.filter(kind=JhtEntry.Kind.CLAIM).count() == 1
