"""The back-office queue of account-reset requests: sorted by due date, overdue ones highlighted, approved or
rejected (with a reason) through the same services, which notify the member and audit."""

import secrets
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import AccountResetRequest
from jaminanku.accounts.tests.helpers import make_worker
from jaminanku.audit.models import AuditEvent
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
URL = "/admin/accounts/accountresetrequest/"


def _request(n: int, due_on: date, status: str = "received") -> AccountResetRequest:
    worker = make_worker(full_name=f"Peserta {n}", date_of_birth=date(1990, 1, n), sex="M", kpj=f"5000000000{n}")
    return AccountResetRequest.objects.create(
        tracking_number=f"RA-AAAA{n}-{secrets.token_hex(3).upper()[:5]}",
        person=worker.person,
        contact_email=f"peserta{n}@example.com",
        contact_phone=f"+628129000000{n}",
        received_at=timezone.now() - timedelta(days=8),
        due_on=due_on,
        status=status,
        decided_at=None if status == "received" else timezone.now(),
        reject_reason="x" if status == "rejected" else "",
    )


def test_queue_is_sorted_by_due_date_with_overdue_requests_highlighted(staff_client):
    today = timezone.localdate()
    later = _request(1, today + timedelta(days=3))
    overdue = _request(2, today - timedelta(days=1))
    due_today = _request(3, today)
    page = staff_client.get(URL).content.decode()
    positions = [page.index(r.tracking_number) for r in (overdue, due_today, later)]
    assert positions == sorted(positions)
    assert page.count("TERLAMBAT") == 1 and 'class="overdue"' in page
    assert "3201" in page and overdue.person.nik not in page  # NIK masked in the list
    only_overdue = staff_client.get(URL, {"terlambat": "ya"}).content.decode()
    assert overdue.tracking_number in only_overdue and later.tracking_number not in only_overdue


def test_approve_action_closes_notifies_and_audits(staff_client):
    reset = _request(1, timezone.localdate())
    response = staff_client.post(URL, {"action": "approve_requests", "_selected_action": [reset.pk]})
    assert response.status_code == 302
    reset.refresh_from_db()
    assert reset.status == "approved" and reset.decided_by.username == "supervisor"
    assert OutboundMessage.objects.filter(to=reset.contact_email).exists()
    assert OutboundMessage.objects.filter(to=reset.contact_phone).exists()
    event = AuditEvent.objects.get(action="accounts.reset_approved")
    assert event.actor_label == "supervisor" and event.after["status"] == "approved"


def test_reject_action_asks_for_a_reason_first(staff_client):
    reset = _request(1, timezone.localdate())
    form = staff_client.post(URL, {"action": "reject_requests", "_selected_action": [reset.pk]})
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    empty = staff_client.post(
        URL, {"action": "reject_requests", "_selected_action": [reset.pk], "apply": "1", "reason": ""}
    )
    assert empty.status_code == 200
    reset.refresh_from_db()
    assert reset.status == "received"
    done = staff_client.post(
        URL,
        {"action": "reject_requests", "_selected_action": [reset.pk], "apply": "1", "reason": "Data KTP berbeda."},
    )
    assert done.status_code == 302
    reset.refresh_from_db()
    assert reset.status == "rejected" and reset.reject_reason == "Data KTP berbeda."
    assert "Data KTP berbeda." in OutboundMessage.objects.get(to=reset.contact_email).body
    assert AuditEvent.objects.filter(action="accounts.reset_rejected", object_id=str(reset.pk)).exists()


def test_staff_cannot_add_or_delete_requests(staff_client):
    assert staff_client.get(URL + "add/").status_code == 403
    reset = _request(1, timezone.localdate())
    assert staff_client.get(f"{URL}{reset.pk}/delete/").status_code == 403
    assert staff_client.get(f"{URL}{reset.pk}/change/").status_code == 200


def test_an_officer_without_the_permission_cannot_decide(client, django_user_model):
    officer = django_user_model.objects.create_user("petugas", password="a-long-password-1", is_staff=True)
    client.force_login(officer)
    assert client.get(URL).status_code == 403
