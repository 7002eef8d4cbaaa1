"""Every time staff open a page of a member's personal data in the back office (person, membership, account,
account-reset request), the audit log records who looked at which record (UU 27/2022)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from jaminanku.accounts.models import AccountResetRequest, MemberProfile
from jaminanku.accounts.services import create_account_for_demo
from jaminanku.audit.models import AuditEvent
from jaminanku.registry.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    membership = MembershipFactory()
    person = membership.person
    create_account_for_demo(person=person, email="siti@contoh.id", phone="+6281234567890", password="Kopi-Tubruk-2024!")
    reset = AccountResetRequest.objects.create(
        tracking_number="RST20250000001",
        person=person,
        contact_email="baru@contoh.id",
        contact_phone="+6281300000001",
        received_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=14),
    )
    return {
        "registry/person": person,
        "registry/membership": membership,
        "accounts/memberprofile": MemberProfile.objects.get(person=person),
        "accounts/accountresetrequest": reset,
    }


def test_opening_a_members_record_is_logged_with_the_staff_user_and_the_record(staff_client, records):
    supervisor = User.objects.get(username="supervisor")
    for path, record in records.items():
        page = staff_client.get(f"/admin/{path}/{record.pk}/change/")
        assert page.status_code == 200, path
        [event] = AuditEvent.objects.filter(action="view", object_type=record._meta.label)
        assert (event.actor, event.actor_label, event.object_id) == (supervisor, "supervisor", str(record.pk))
        assert event.ip_address == "127.0.0.1"
    assert AuditEvent.objects.filter(action="view").count() == len(records)


def test_lists_and_pages_that_show_no_record_are_not_logged_as_views(staff_client, records):
    for path in records:
        assert staff_client.get(f"/admin/{path}/").status_code == 200
    person = records["registry/person"]
    assert staff_client.get(f"/admin/registry/person/{person.pk + 1000}/change/").status_code == 302  # no such one
    assert not AuditEvent.objects.filter(action="view").exists()


def test_every_list_and_search_of_members_records_is_logged_with_what_was_shown(staff_client, records):
    supervisor = User.objects.get(username="supervisor")
    for path, record in records.items():
        assert staff_client.get(f"/admin/{path}/").status_code == 200
        event = AuditEvent.objects.filter(action="view_list", object_type=record._meta.label).latest("id")
        assert event.actor == supervisor and event.after["ids"] == [str(record.pk)]
    person = records["registry/person"]
    assert staff_client.get("/admin/registry/person/", {"q": person.nik}).status_code == 200
    event = AuditEvent.objects.filter(action="view_list").latest("id")
    assert event.after["criteria"]["search"] == person.nik and event.after["ids"] == [str(person.pk)]
    assert staff_client.get("/admin/registry/person/", {"q": "tidak ada orang ini"}).status_code == 200
    assert AuditEvent.objects.filter(action="view_list").latest("id") == event  # an empty result shows no one


def test_the_staff_dashboard_logs_the_reset_requests_it_names(staff_client, records):
    assert staff_client.get("/staf/").status_code == 200
    event = AuditEvent.objects.get(action="view_list", object_type="accounts.AccountResetRequest")
    assert event.after["ids"] == [str(records["accounts/accountresetrequest"].pk)]


def test_saving_a_change_is_logged_as_a_change_not_as_a_view(staff_client, records):
    person = records["registry/person"]
    page = staff_client.get(f"/admin/registry/person/{person.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data |= {"address": "Jl. Merdeka 2", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1"}
    membership = records["registry/membership"]
    data |= {
        "memberships-0-id": membership.pk,
        "memberships-0-person": person.pk,
        "memberships-0-kpj": membership.kpj,
        "memberships-0-segment": membership.segment,
        "memberships-0-registered_on": membership.registered_on.isoformat(),
        "memberships-0-jht_opted": "on" if membership.jht_opted else "",
    }
    saved = staff_client.post(f"/admin/registry/person/{person.pk}/change/", data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    by_staff = AuditEvent.objects.filter(actor__username="supervisor").order_by("id")
    assert list(by_staff.values_list("action", "object_type")) == [
        ("view", "registry.Person"),
        ("change", "registry.Person"),
    ]
