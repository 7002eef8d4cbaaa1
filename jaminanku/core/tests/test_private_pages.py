"""Nothing a member, a staff officer or a visitor in the middle of a sign-up sees is kept by a browser or a
shared cache (ASVS 14.3.2): every answer to them says `Cache-Control: private, no-store`, pages, files and
downloads alike, while public pages for a visitor without a session keep what their view chose."""

from __future__ import annotations

import pytest
from django.test import Client

from jaminanku.bookings.services import book_slot
from jaminanku.bookings.tests.conftest import first_free_day, make_member
from jaminanku.offices.models import Office

pytestmark = pytest.mark.django_db
PRIVATE = "private, no-store"


@pytest.fixture
def claimant():
    """A member who resigned three months ago (so may claim JHT) with a queue booking at a branch."""
    member = make_member(email="dewi.lestari@example.com", phone="+6281211110001", ended_days_ago=90)
    branch = Office.objects.create(
        code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32", time_zone="Asia/Jakarta"
    )
    booking = book_slot(person=member.person, office=branch, day=first_free_day(branch), hour=9)
    return member, booking


def test_every_page_and_file_of_a_member_is_private_and_not_stored(client, claimant):
    member, booking = claimant
    kpj = member.person.memberships.get().kpj
    client.force_login(member.user)
    urls = [
        "/",
        "/kartu/",
        f"/kartu/{kpj}.png",
        f"/kartu/{kpj}.pdf",
        f"/saldo/{kpj}/",
        f"/saldo/{kpj}/rincian-saldo.pdf",
        f"/klaim/{kpj}/",
        "/antrian/",
        "/antrian/baru/",
        f"/antrian/{booking.code}/",
        f"/antrian/{booking.code}/qr.png",
        f"/antrian/{booking.code}/kalender.ics",
        f"/antrian/{booking.code}/ubah/",
        "/akun/",
        "/akun/email/",
        "/akun/nomor-hp/",
        "/akun/kata-sandi/",
        "/akun/autentikator/",
        "/akun/perangkat/",
        "/akun/data-saya.json",
        # pages anyone may see still carry the member's name in the header when they are logged in
        "/kantor/",
        "/program/",
        "/kalkulator/",
        "/berita/",
    ]
    answers = {url: client.get(url) for url in urls}
    assert {url: r.status_code for url, r in answers.items() if r.status_code != 200} == {}
    assert {url: r.get("Cache-Control") for url, r in answers.items() if r.get("Cache-Control") != PRIVATE} == {}
    # the same public pages for a visitor without a session keep what their view chose
    visitor = Client()
    for url in ("/kantor/", "/program/", "/berita/"):
        assert "no-store" not in visitor.get(url).get("Cache-Control", ""), url
    assert visitor.get("/kartu/kunci-publik.pem")["Cache-Control"] == "max-age=3600, public"


def test_staff_pages_are_private_and_not_stored(admin_client):
    for url in ("/staf/", "/staf/antrian/", "/admin/", "/admin/registry/person/", "/admin/accounts/memberprofile/"):
        response = admin_client.get(url)
        assert (url, response.status_code, response.get("Cache-Control")) == (url, 200, PRIVATE)


def test_a_signup_in_progress_is_private_and_not_stored(client):
    started = client.post("/daftar/", {"email": "siti.rahayu@example.com"})
    assert started.status_code == 302
    for url in ("/daftar/kode-email/", "/daftar/"):
        response = client.get(url, follow=True)
        assert (url, response.get("Cache-Control")) == (url, PRIVATE)
