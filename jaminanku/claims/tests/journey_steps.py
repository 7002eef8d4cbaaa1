"""Steps of the claim journeys, each through the pages a person uses (Django's test client, real HTTP requests):
the member's and the staff login with their second step read from the outbox, an online claim from the start page
to submitted with real JPEG uploads, a decision on the claim desk, and a batch paid by the bank file out and the
result file in. Nothing here calls a service; the tests read the database only to check what the pages did."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jaminanku.accounts.tests.helpers import code_sent_to
from jaminanku.claims.tests.online_helpers import jpeg_bytes

PAYMENTS = "/staf/pembayaran-klaim/"


def member_login(client: Client, email: str, password: str) -> None:
    """The member login of a browser new to it: the password, then the code sent by email."""
    first = client.post("/masuk/", {"username": email, "password": password})
    assert first.status_code == 302 and first["Location"] == "/masuk/kode/", first
    done = client.post("/masuk/kode/", {"code": code_sent_to(email)})
    assert done.status_code == 302 and "_auth_user_id" in client.session, done


def staff_login(client: Client, username: str, password: str) -> None:
    """The back-office login: the password at /admin/login/, then the code sent to the staff member's address."""
    first = client.post("/admin/login/", {"username": username, "password": password})
    assert first.status_code == 302 and first["Location"].startswith("/masuk/kode/"), first
    user = User.objects.get(username=username)
    done = client.post(first["Location"], {"code": code_sent_to(user.email)})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(user.pk), done


def claim_online(client: Client, kpj: str, *, holder: str, account_number: str = "0123456789012") -> str:
    """A logged-in member starts a full claim of `kpj`, uploads each document the draft asks for (a real JPEG),
    gives the BCA account, ticks the declaration and submits; the claim's reference."""
    start = client.get("/klaim-jht/ajukan/", {"kpj": kpj})
    assert start.status_code == 200, start
    created = client.post("/klaim-jht/ajukan/", {"kpj": kpj, "kind": "full"})
    assert created.status_code == 302, created.content.decode()[:3000]
    found = re.fullmatch(r"/klaim-jht/([A-Z0-9]+)/draf/", created["Location"])
    assert found, created["Location"]
    reference = found.group(1)
    draft = client.get(created["Location"]).content.decode()
    kinds = re.findall(r'data-document="([a-z_]+)"', draft)
    assert {"ktp", "kk"} <= set(kinds), kinds
    for kind in kinds:
        photo = SimpleUploadedFile(f"{kind}.jpg", jpeg_bytes((320, 200)), content_type="image/jpeg")
        sent = client.post(f"/klaim-jht/{reference}/dokumen/", {"kind": kind, "file": photo})
        assert sent.status_code == 302, sent.content.decode()[:3000]
    account = client.post(
        f"/klaim-jht/{reference}/rekening/",
        {"bank_code": "014", "account_number": account_number, "account_holder": holder},
    )
    assert account.status_code == 302, account.content.decode()[:3000]
    submitted = client.post(f"/klaim-jht/{reference}/kirim/", {"declaration": "on"})
    assert submitted.status_code == 302 and submitted["Location"] == f"/klaim-jht/{reference}/", submitted
    return reference


def desk_decides(client: Client, reference: str, action: str, **fields: str) -> str:
    """A staff member on the claim desk opens the claim and approves (action "setujui") or rejects ("tolak") it;
    the claim page shown after the decision."""
    assert client.get(f"/staf/klaim/{reference}/").status_code == 200
    decided = client.post(f"/staf/klaim/{reference}/{action}/", fields)
    assert decided.status_code == 302 and decided["Location"] == f"/staf/klaim/{reference}/", decided
    return client.get(decided["Location"]).content.decode()


@dataclass
class Batch:
    reference: str
    transfer: list[dict[str, str]]  # the transfer file's lines
    applied: str  # the batch page after the result file was uploaded


def transfer_line_of(batch: Batch, claim_reference: str) -> dict[str, str]:
    (line,) = [row for row in batch.transfer if row["description"] == f"JHT {claim_reference}"]
    return line


def pay_by_bank_file(client: Client, *, failed: dict[str, str] | None = None) -> Batch:
    """Payments staff create a bank-file batch of every approved claim, download its transfer file and the
    sample result file, and upload the result back - with the lines of the claims in `failed` (reference →
    the bank's reason) turned to GAGAL, as the batch page tells staff to do to try a failed payment."""
    failed = failed or {}
    index = client.get(PAYMENTS)
    assert index.status_code == 200, index
    created = client.post(PAYMENTS + "batch-baru/", {"method": "bank_file"})
    assert created.status_code == 302 and created["Location"] != PAYMENTS, created
    reference = created["Location"].rstrip("/").rsplit("/", 1)[1]
    assert client.get(created["Location"]).status_code == 200
    transfer = client.get(f"{PAYMENTS}{reference}/berkas-transfer/")
    assert transfer.status_code == 200 and "attachment" in transfer["Content-Disposition"]
    lines = list(csv.DictReader(io.StringIO(transfer.content.decode("utf-8"))))
    sample = client.get(f"{PAYMENTS}{reference}/contoh-hasil/")
    assert sample.status_code == 200
    rows = list(csv.DictReader(io.StringIO(sample.content.decode("utf-8"))))
    assert rows and all(row["status"] == "BERHASIL" for row in rows)
    for row in rows:
        claim_reference = row["description"].removeprefix("JHT ")
        if claim_reference in failed:
            row.update(status="GAGAL", reason=failed[claim_reference])
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    result = SimpleUploadedFile("hasil.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
    applied = client.post(f"{PAYMENTS}{reference}/hasil/", {"file": result}, follow=True)
    assert applied.status_code == 200
    return Batch(reference, lines, applied.content.decode())


def page_text(response: Any) -> str:
    """A page's text with the markup and runs of white space taken out, for phrases that cross tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
