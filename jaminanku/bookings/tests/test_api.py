"""The queue under /api/v1/bookings/: anonymous look-ups of services, provinces, branches, days and hours; a
member's own bookings with a bearer token; someone else's booking code is not found (no IDOR)."""

import json
from datetime import timedelta

import pytest
from icalendar import Calendar

from jaminanku.accounts.login.tokens import issue_api_token
from jaminanku.bookings.models import Booking, Slot
from jaminanku.bookings.tests.conftest import first_free_day
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _call(client, method, path, token=None, data=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    url = f"/api/v1/bookings{path}"
    if method == "get":
        return client.get(url, **headers)
    return client.post(url, json.dumps(data or {}), content_type="application/json", **headers)


def test_lookups_are_anonymous(client, branch, other_branch):
    assert {"code": "jht_claim", "label": "Klaim JHT"} in _call(client, "get", "/services").json()
    assert {"32", "73"} <= {p["code"] for p in _call(client, "get", "/provinces").json()}
    branches = _call(client, "get", "/provinces/32/branches").json()
    assert [b["code"] for b in branches] == ["KC3273"]
    days = _call(client, "get", "/branches/KC3273/days").json()
    assert days[0] == {"day": first_free_day(branch).isoformat(), "places_left": 3 * 7}
    Slot.objects.create(office=branch, day=first_free_day(branch), hour=8, capacity=3, booked=2)
    slots = _call(client, "get", f"/branches/KC3273/days/{days[0]['day']}/slots").json()
    assert slots[0] == {"hour": 8, "label": "08:00–09:00", "places_left": 1} and len(slots) == 7
    saturday = next(
        first_free_day(branch) + timedelta(n)
        for n in range(7)
        if (first_free_day(branch) + timedelta(n)).weekday() == 5
    )
    response = _call(client, "get", f"/branches/KC3273/days/{saturday.isoformat()}/slots")
    assert response.status_code == 404 and response.json()["code"] == "day_not_bookable"
    assert _call(client, "get", "/branches/NOPE/days").status_code == 404


def test_member_books_lists_reschedules_and_cancels(client, member, branch):
    token = issue_api_token(user=member.user, label="test")
    assert _call(client, "get", "/mine").status_code == 401
    day = first_free_day(branch)
    response = _call(
        client, "post", "/mine", token, {"service": "jht_claim", "office": "KC3273", "day": day.isoformat(), "hour": 9}
    )
    assert response.status_code == 201, response.content
    booked = response.json()
    assert booked["status"] == "booked" and booked["starts_at"].startswith(f"{day.isoformat()}T09:00:00+07:00")
    assert OutboundMessage.objects.filter(to__in=[member.email, member.phone]).count() == 2
    assert [b["code"] for b in _call(client, "get", "/mine", token).json()] == [booked["code"]]

    ics = _call(client, "get", f"/mine/{booked['code']}/ics", token)
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0].decoded("dtstart").hour == 9
    qr = _call(client, "get", f"/mine/{booked['code']}/qr.png", token)
    assert qr.content.startswith(b"\x89PNG")

    again = _call(
        client, "post", "/mine", token, {"service": "jht_claim", "office": "KC3273", "day": day.isoformat(), "hour": 10}
    )
    assert again.status_code == 400 and again.json()["code"] == "already_booked"

    moved = _call(client, "post", f"/mine/{booked['code']}/reschedule", token, {"day": day.isoformat(), "hour": 13})
    assert moved.status_code == 200 and moved.json()["hour"] == 13 and moved.json()["code"] != booked["code"]
    cancelled = _call(client, "post", f"/mine/{moved.json()['code']}/cancel", token)
    assert cancelled.json()["status"] == "cancelled"
    assert not Slot.objects.filter(booked__gt=0).exists()


def test_full_slot_answers_409_with_a_suggestion(client, member, branch):
    token = issue_api_token(user=member.user, label="test")
    day = first_free_day(branch)
    Slot.objects.create(office=branch, day=day, hour=8, capacity=3, booked=3)
    response = _call(client, "post", "/mine", token, {"office": "KC3273", "day": day.isoformat(), "hour": 8})
    assert response.status_code == 409
    assert response.json()["suggestion"] == {"day": day.isoformat(), "hour": 9}


def test_ineligible_member_gets_the_reason_and_the_date(client, waiting_member, branch):
    token = issue_api_token(user=waiting_member.user, label="test")
    response = _call(
        client, "post", "/mine", token, {"office": "KC3273", "day": first_free_day(branch).isoformat(), "hour": 9}
    )
    body = response.json()
    assert response.status_code == 400 and body["code"] == "not_eligible"
    assert body["eligible_from"] and any("Masa tunggu" in r for r in body["reasons"])


def test_members_never_see_or_touch_each_others_bookings(client, member, waiting_member, branch):
    mine = issue_api_token(user=member.user, label="test")
    theirs = issue_api_token(user=waiting_member.user, label="test")
    day = first_free_day(branch)
    code = _call(client, "post", "/mine", mine, {"office": "KC3273", "day": day.isoformat(), "hour": 9}).json()["code"]
    assert _call(client, "get", "/mine", theirs).json() == []
    for method, path, data in [
        ("get", f"/mine/{code}", None),
        ("get", f"/mine/{code}/ics", None),
        ("get", f"/mine/{code}/qr.png", None),
        ("post", f"/mine/{code}/cancel", None),
        ("post", f"/mine/{code}/reschedule", {"day": day.isoformat(), "hour": 10}),
    ]:
        response = _call(client, method, path, theirs, data)
        assert response.status_code == 404 and response.json()["code"] == "booking_not_found", path
    assert _call(client, "get", "/mine/ZZZZZZZZ", theirs).json()["code"] == "booking_not_found"  # same answer
    assert Booking.objects.get(code=code).status == "booked"


def test_staff_account_without_member_profile_is_refused(client, django_user_model, branch):
    staff = django_user_model.objects.create_user("petugas", "p@example.com", "a-long-password-1", is_staff=True)
    response = _call(client, "get", "/mine", issue_api_token(user=staff, label="test"))
    assert response.status_code == 403 and response.json()["code"] == "not_a_member"
