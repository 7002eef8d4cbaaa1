"""The claim page's form for an heir whose payment failed: shown only then and only for that heir, it records the
new account and approves the claim for payment again; a bad account number is told, not a 500."""

from __future__ import annotations

import pytest

from jaminanku.claims.models import DisbursementBatch, JhtClaim
from jaminanku.claims.payouts import create_batch, settle_disbursement
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.desk_helpers import supervisor
from jaminanku.claims.tests.payout_fixtures import death_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


def test_the_desk_corrects_the_failed_heirs_account_through_the_claim_page(client, finance):
    claim = death_claim()
    client.force_login(supervisor())
    url = f"/staf/klaim/{claim.reference}/"
    assert "rekening-ahli-waris" not in client.get(url).content.decode()  # nothing failed yet

    create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=finance)
    first, second = claim.heirs.order_by("pk")
    settle_disbursement(idempotency_key=f"{claim.reference}-heir-{first.pk}-1", succeeded=True)
    settle_disbursement(
        idempotency_key=f"{claim.reference}-heir-{second.pk}-1", succeeded=False, failure_reason="ACCOUNT_CLOSED"
    )
    page = client.get(url).content.decode()
    assert f"{url}rekening-ahli-waris/" in page
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page

    post = {"heir": second.pk, "bank_code": "014", "account_number": "12ab", "account_holder": "Ahli Waris 2"}
    answer = client.post(f"{url}rekening-ahli-waris/", post, follow=True)
    assert answer.status_code == 200
    claim.refresh_from_db()
    assert claim.state == JhtClaim.State.RETURNED

    post["account_number"] = "1234567890"
    answer = client.post(f"{url}rekening-ahli-waris/", post, follow=True)
    assert answer.status_code == 200 and "diperbaiki" in answer.content.decode()
    claim.refresh_from_db()
    second.refresh_from_db()
    assert claim.state == JhtClaim.State.APPROVED and second.account_number == "1234567890"

    post["heir"] = first.pk  # the claim is no longer returned: nobody to correct
    assert client.post(f"{url}rekening-ahli-waris/", post).status_code == 302
