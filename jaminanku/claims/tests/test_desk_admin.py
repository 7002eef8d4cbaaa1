"""The claim admin: read-only, a look at a claim audited, heirs and timeline inline, a branch officer limited to
their own branch's claims."""

from __future__ import annotations

import pytest

from jaminanku.audit.models import AuditEvent
from jaminanku.claims.tests.desk_helpers import branch, staff, supervisor, waiting_claim

pytestmark = pytest.mark.django_db


def test_claim_admin_shows_the_timeline_read_only_and_audits_the_look(client):
    bandung = branch()
    claim = waiting_claim(bandung)
    client.force_login(supervisor())
    page = client.get(f"/admin/claims/jhtclaim/{claim.pk}/change/").content.decode()
    assert claim.reference in page and "riwayat klaim" in page.lower() and 'name="_save"' not in page
    assert AuditEvent.objects.filter(action="view", object_type="claims.JhtClaim", object_id=str(claim.pk)).exists()
    assert client.get("/admin/claims/jhtclaim/add/").status_code == 403


def test_branch_officer_sees_only_their_branch_in_the_claim_admin(client):
    bandung, surabaya = branch(), branch("KC3578", "Kantor Cabang Surabaya")
    mine, theirs = waiting_claim(bandung), waiting_claim(surabaya)
    client.force_login(staff("petugas_bdg", office=bandung))
    page = client.get("/admin/claims/jhtclaim/").content.decode()
    assert mine.reference in page and theirs.reference not in page
