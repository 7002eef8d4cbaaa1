"""The branch queue leads a checked-in JHT-claim booking to the claim desk: "Buka klaim" opens the counter claim for
that booking, for staff who may file claims; a booking not checked in, another service, or staff who may only see
the queue get no link."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from jaminanku.bookings.models import Booking, Service
from jaminanku.claims.tests.desk_helpers import branch, checked_in, staff
from jaminanku.registry.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_checked_in_claim_booking_links_to_the_counter_claim(client):
    office = branch()
    member = MembershipFactory()
    booking = checked_in(member.person, office, member)
    for code, service, status in (
        ("BDG2345B", Service.JHT_CLAIM, Booking.Status.BOOKED),
        ("BDG2345C", next(s for s in Service.values if s != Service.JHT_CLAIM), Booking.Status.CHECKED_IN),
    ):
        Booking.objects.create(
            code=code, person=MembershipFactory().person, service=service, slot=booking.slot, status=status
        )
    officer = staff("loket_bdg", office=office)
    client.force_login(officer)

    page = client.get("/staf/antrian/", {"kantor": office.code}).content.decode()
    link = f'href="/staf/klaim/antrean/{booking.code}/"'
    assert link in page and "Buka klaim" in page
    assert "/staf/klaim/antrean/BDG2345B/" not in page and "/staf/klaim/antrean/BDG2345C/" not in page
    assert client.get(f"/staf/klaim/antrean/{booking.code}/").status_code == 200  # the link leads somewhere

    officer.groups.clear()  # queue staff without the right to file claims
    officer.user_permissions.add(*Permission.objects.filter(codename__in=["view_booking", "change_booking"]))
    page = client.get("/staf/antrian/", {"kantor": office.code}).content.decode()
    assert booking.code in page and link not in page
