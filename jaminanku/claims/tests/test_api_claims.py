"""The member's claims through /api/v1/claims/ with a bearer token: options with gross/tax/net, payout account,
start, multipart documents, submit, the automatic decision, the document's file; another member's claim and
documents answer 404."""

from __future__ import annotations

import json

import pytest

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.claims.tests.online_helpers import claim_files, claimant, jpeg_bytes, pdf_bytes  # noqa: F401
from jaminanku.notify.models import OutboundMessage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("claim_files")]
BASE = "/api/v1/claims"


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _json(client, method, path, token, data=None):
    if method == "get":
        return client.get(f"{BASE}{path}", **_auth(token))
    call = getattr(client, method)
    return call(f"{BASE}{path}", json.dumps(data or {}), content_type="application/json", **_auth(token))


def _upload(client, token, reference, kind, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"{BASE}/mine/{reference}/documents",
        {"kind": kind, "file": SimpleUploadedFile(name, content, content_type="image/jpeg")},
        **_auth(token),
    )


def _ready_claim(client, who, token, *, holder=None):
    account = {"bank_code": "014", "account_number": "1234 5678 90", "account_holder": holder or who.person.full_name}
    put = _json(client, "put", "/payout-account", token, account)
    assert put.status_code == 200, put.content
    started = _json(client, "post", "/mine", token, {"kpj": who.membership.kpj, "kind": "full"})
    assert started.status_code == 201, started.content
    body = started.json()
    for item in body["checklist"]:
        assert _upload(client, token, body["reference"], item["kind"], "scan.jpg", jpeg_bytes()).status_code == 201
    return body["reference"]


def test_member_claims_online_and_is_approved_by_the_system(client):
    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    assert client.get(f"{BASE}/eligibility").status_code == 401
    options = client.get(f"{BASE}/eligibility", **_auth(token)).json()
    full = options[0]["options"][0]
    assert options[0]["kpj"] == who.membership.kpj and options[0]["can_claim"]
    assert (full["kind"], full["ground"], full["gross"], full["tax"], full["net"], full["online"]) == (
        "full",
        "resignation",
        1_710_000,
        0,
        1_710_000,
        True,
    )
    assert full["documents"] == ["ktp", "kk", "resignation"]
    assert {"code": "002", "name": "Bank Rakyat Indonesia (BRI)"} in client.get(f"{BASE}/banks").json()

    reference = _ready_claim(client, who, token)
    claim = client.get(f"{BASE}/mine/{reference}", **_auth(token)).json()
    assert claim["state"] == "draft" and all(item["present"] for item in claim["checklist"])
    assert _json(client, "post", f"/mine/{reference}/submit", token, {"declaration": False}).status_code == 400
    submitted = _json(client, "post", f"/mine/{reference}/submit", token, {"declaration": True})
    assert submitted.status_code == 200, submitted.content
    claim = submitted.json()
    assert claim["state"] == "approved" and claim["review_reasons"] == []
    assert (claim["bank_code"], claim["account_number"]) == ("014", "1234567890")
    assert [s["state"] for s in claim["timeline"]] == ["draft", "submitted", "approved"]
    assert [c["reference"] for c in client.get(f"{BASE}/mine", **_auth(token)).json()] == [reference]
    assert OutboundMessage.objects.filter(to=who.phone, body__contains=reference).count() == 2

    document = claim["documents"][0]
    file = client.get(document["url"], **_auth(token))
    assert file.status_code == 200 and file["Content-Type"] == "image/jpeg"
    assert file.content.startswith(b"\xff\xd8") and file["Cache-Control"] == "private, no-store"
    second = _json(client, "post", "/mine", token, {"kpj": who.membership.kpj, "kind": "full"})
    assert second.status_code == 409 and second.json()["code"] == "open_claim_exists"


def test_holder_name_mismatch_goes_to_review_with_the_reason(client):
    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    reference = _ready_claim(client, who, token, holder="Siti Rahmawati")
    claim = _json(client, "post", f"/mine/{reference}/submit", token, {"declaration": True}).json()
    assert claim["state"] == "in_review"
    assert claim["review_reasons"] == ["Nama pemilik rekening berbeda dengan data peserta: diperiksa petugas."]
    stored = JhtClaim.objects.get(reference=reference).auto_decision
    assert stored["approved"] is False and [r["code"] for r in stored["reasons"]] == ["holder_name_mismatch"]
    english = client.get(f"/api/v1/claims/mine/{reference}", HTTP_ACCEPT_LANGUAGE="en", **_auth(token)).json()
    assert english["review_reasons"] and "officer" in english["review_reasons"][0]


def test_content_decides_what_a_file_is(client):
    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    reference = _json(client, "post", "/mine", token, {"kpj": who.membership.kpj, "kind": "full"}).json()["reference"]
    html = b"<!doctype html><html><script>alert(1)</script></html>"
    exe = b"MZ\x90\x00" + b"\x00" * 60 + b"PE\x00\x00" + b"\x00" * 200
    for name, content in (("ktp.pdf", html), ("ktp.pdf", exe), ("ktp.jpg", b"just text"), ("ktp.png", b"")):
        refused = _upload(client, token, reference, "ktp", name, content)
        assert refused.status_code == 400 and refused.json()["code"] == "document_type", (name, refused.content)
    # a PDF named .jpg is a PDF: stored as one, under a name of our own
    stored = _upload(client, token, reference, "ktp", "foto-ktp.jpg", pdf_bytes())
    assert stored.status_code == 201 and stored.json()["content_type"] == "application/pdf"
    document = ClaimDocument.objects.get(token=stored.json()["token"])
    assert document.file.name.endswith(".pdf") and "foto" not in document.file.name
    assert document.original_name == "foto-ktp.jpg"


def test_too_large_a_file_is_refused(client, settings):
    settings.CLAIMS_DOCUMENT_MAX_BYTES = 2000
    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    reference = _json(client, "post", "/mine", token, {"kpj": who.membership.kpj, "kind": "full"}).json()["reference"]
    refused = _upload(client, token, reference, "kk", "kk.pdf", pdf_bytes("x" * 3000) + b" " * 3000)
    assert refused.status_code == 400 and refused.json()["code"] == "document_too_large"
    assert not ClaimDocument.objects.exists()


def test_another_members_claim_and_documents_answer_404(client):
    owner, other = claimant(), claimant()
    owner_token = issue_api_token(user=owner.user, label="test")
    other_token = issue_api_token(user=other.user, label="test")
    reference = _ready_claim(client, owner, owner_token)
    token = JhtClaim.objects.get(reference=reference).documents.first().token
    for method, path, data in (
        ("get", f"/mine/{reference}", None),
        ("get", f"/mine/{reference}/documents/{token}", None),
        ("delete", f"/mine/{reference}/documents/{token}", None),
        ("post", f"/mine/{reference}/submit", {"declaration": True}),
        ("post", f"/mine/{reference}/withdraw", None),
        (
            "post",
            f"/mine/{reference}/correct-account",
            {"bank_code": "002", "account_number": "12345", "account_holder": "X"},
        ),
    ):
        answer = _json(client, method, path, other_token, data)
        assert answer.status_code == 404, (method, path, answer.content)
        assert answer.json()["code"] == "claim_not_found"
    upload = _upload(client, other_token, reference, "kk", "kk.jpg", jpeg_bytes())
    assert upload.status_code == 404 and upload.json()["code"] == "claim_not_found"
    unknown = client.get(f"{BASE}/mine/{reference}/documents/{'0' * 32}", **_auth(owner_token))
    assert unknown.status_code == 404 and unknown.json()["code"] == "document_not_found"
    assert client.get(f"{BASE}/mine/{reference}", **_auth(owner_token)).status_code == 200
    assert client.get(f"{BASE}/mine", **_auth(other_token)).json() == []


def test_member_removes_a_document_and_withdraws(client, django_capture_on_commit_callbacks):
    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    reference = _ready_claim(client, who, token)
    document = ClaimDocument.objects.filter(claim__reference=reference).first()
    name, storage = document.file.name, document.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.delete(f"{BASE}/mine/{reference}/documents/{document.token}", **_auth(token))
    assert removed.status_code == 204 and not storage.exists(name)
    refused = _json(client, "post", f"/mine/{reference}/submit", token, {"declaration": True})
    assert refused.status_code == 400 and refused.json()["code"] == "documents_missing"
    withdrawn = _json(client, "post", f"/mine/{reference}/withdraw", token)
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"


def test_payout_account_and_a_corrected_account_after_a_failed_payment(client):
    from jaminanku.claims.transitions import move

    who = claimant()
    token = issue_api_token(user=who.user, label="test")
    missing = client.get(f"{BASE}/payout-account", **_auth(token))
    assert missing.status_code == 404 and missing.json()["code"] == "payout_account_missing"
    bad = _json(
        client, "put", "/payout-account", token, {"bank_code": "002", "account_number": "12ab", "account_holder": "X"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "account_number"
    reference = _ready_claim(client, who, token)
    account = client.get(f"{BASE}/payout-account", **_auth(token)).json()
    assert account["bank_name"] == "Bank Central Asia (BCA)" and account["holder_name_matches"] is True
    submitted = _json(client, "post", f"/mine/{reference}/submit", token, {"declaration": True})
    assert submitted.json()["state"] == "approved"
    new_account = {"bank_code": "008", "account_number": "1300012345678", "account_holder": who.person.full_name}
    early = _json(client, "post", f"/mine/{reference}/correct-account", token, new_account)
    assert early.status_code == 400 and early.json()["code"] == "claim_state"
    claim = JhtClaim.objects.get(reference=reference)
    move(claim, JhtClaim.State.PAYING)
    move(claim, JhtClaim.State.RETURNED, note="Rekening tidak aktif.")
    corrected = _json(client, "post", f"/mine/{reference}/correct-account", token, new_account)
    assert corrected.status_code == 200, corrected.content
    assert (corrected.json()["state"], corrected.json()["bank_code"]) == ("approved", "008")
    assert OutboundMessage.objects.filter(to=who.phone, body__contains="****5678").exists()  # the change is told


def test_withholding_slip_only_for_the_owner_and_once_paid(client):
    from django.utils import timezone

    from jaminanku.claims.services import pay_jht_claim

    who, other = claimant(), claimant()
    token = issue_api_token(user=who.user, label="test")
    other_token = issue_api_token(user=other.user, label="test")
    draft = _json(client, "post", "/mine", token, {"kpj": who.membership.kpj, "kind": "full"}).json()["reference"]
    unpaid = client.get(f"{BASE}/mine/{draft}/slip.pdf", **_auth(token))
    assert unpaid.status_code == 409 and unpaid.json()["code"] == "claim_not_paid"
    _json(client, "post", f"/mine/{draft}/withdraw", token)
    paid = pay_jht_claim(membership=who.membership, kind="full", paid_on=timezone.localdate())
    assert paid.tax_slip_number.startswith("BP21F-")  # the pay-at-once path numbers the slip as a batch does
    answer = client.get(f"{BASE}/mine/{paid.reference}/slip.pdf", **_auth(token))
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    assert answer["Content-Type"] == "application/pdf"
    JhtClaim.objects.filter(pk=paid.pk).update(tax_slip_number="")  # a paid claim without a number: told, no 500
    missing = client.get(f"{BASE}/mine/{paid.reference}/slip.pdf", **_auth(token))
    assert missing.status_code == 409 and missing.json()["code"] == "slip_missing"
    foreign = client.get(f"{BASE}/mine/{paid.reference}/slip.pdf", **_auth(other_token))
    assert foreign.status_code == 404 and foreign.json()["code"] == "claim_not_found"
