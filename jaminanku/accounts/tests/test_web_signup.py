"""The sign-up pages: one question per screen, SELANJUTNYA / VERIFIKASI / Kembali, errors shown at once with what
was typed kept, state on the server (reload, resume link from the email, 30-minute expiry)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from jaminanku.accounts.models import SignupFlow
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
EMAIL = "siti.rahayu@example.com"


def _post(client, path, data, follow=False):
    return client.post(path, data, follow=follow)


def _walk_web(client, worker, *, until: str | None = None, start: str = "/daftar/"):
    """Walks the pages as a member would, checking that each answer leads to the next screen."""
    steps = [
        ("/daftar/", lambda: {"email": EMAIL}),
        ("/daftar/kode-email/", lambda: {"code": code_sent_to(EMAIL)}),
        ("/daftar/kepesertaan/", lambda: {"segment": "PU"}),
        ("/daftar/nama/", lambda: {"full_name": worker.person.full_name}),
        ("/daftar/tanggal-lahir/", lambda: {"date_of_birth": worker.person.date_of_birth.isoformat()}),
        ("/daftar/nik/", lambda: {"nik": worker.person.nik}),
        ("/daftar/kpj/", lambda: {"kpj": worker.membership.kpj}),
        ("/daftar/nomor-hp/", lambda: {"phone": "081298765432"}),
        ("/daftar/kode-sms/", lambda: {"code": code_sent_to("+6281298765432")}),
        ("/daftar/kata-sandi/", lambda: {"password": GOOD_PASSWORD}),
    ]
    paths = [path for path, _data in steps]
    response = None
    for index, (path, data) in enumerate(steps[paths.index(start) :], start=paths.index(start)):
        if path == until:
            break
        response = client.post(path, data())
        assert response.status_code == 302, (path, response.content.decode()[:3000])
        expected = paths[index + 1] if index + 1 < len(paths) else "/"
        if response["Location"] != "/daftar/sudah-terdaftar/":
            assert response["Location"] == expected
    return response


def test_walks_every_screen_in_order_and_ends_logged_in_on_the_home_page(client, worker):
    page = client.get("/daftar/").content.decode()
    assert "SELANJUTNYA" in page and 'type="email"' in page and "Langkah 1 dari 9" in page
    _walk_web(client, worker, until="/daftar/kode-email/")
    page = client.get("/daftar/kode-email/").content.decode()
    assert "VERIFIKASI" in page and EMAIL in page and "Kembali" in page and "Kirim ulang kode" in page
    _walk_web(client, worker, start="/daftar/kode-email/", until="/daftar/kepesertaan/")
    page = client.get("/daftar/kepesertaan/").content.decode()
    assert "Pilih Kepesertaan" in page and 'value="PU"' in page and 'value="JAKON"' not in page
    response = _walk_web(client, worker, start="/daftar/kepesertaan/")
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.wsgi_request.user.is_authenticated
    assert home.wsgi_request.user.member_profile.person == worker.person
    assert "Selamat datang" in home.content.decode()


def test_the_password_screen_hints_at_strength_as_one_types(client, worker):
    _walk_web(client, worker, until="/daftar/kata-sandi/")
    page = client.get("/daftar/kata-sandi/").content.decode()
    assert 'data-strength="1"' in page and 'class="strength hint"' in page and "accounts/password.js" in page
    weak = client.post("/daftar/kata-sandi/", {"password": "password"}).content.decode()
    assert "Kata sandi ini terlalu umum" in weak or "too common" in weak


def test_a_wrong_answer_is_shown_on_its_field_and_what_was_typed_stays(client, worker):
    _walk_web(client, worker, until="/daftar/nik/")
    response = client.post("/daftar/nik/", {"nik": "3201abc"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "NIK harus terdiri dari tepat 16 angka." in page and 'value="3201abc"' in page


def test_identity_mismatch_shows_the_one_message(client, worker):
    _walk_web(client, worker, until="/daftar/kpj/")
    page = client.post("/daftar/kpj/", {"kpj": "99999999999"}).content.decode()
    assert "Data tidak sesuai dengan data kepesertaan" in page and 'value="99999999999"' in page


def test_a_bad_date_is_refused_by_the_form(client, worker):
    _walk_web(client, worker, until="/daftar/tanggal-lahir/")
    page = client.post("/daftar/tanggal-lahir/", {"date_of_birth": "31/02/1992"}).content.decode()
    assert "Masukkan tanggal lahir yang valid" in page


def test_kembali_goes_back_with_the_answer_filled_in(client, worker):
    _walk_web(client, worker, until="/daftar/nik/")
    response = client.post("/daftar/nik/", {"back": "1"})
    assert response["Location"] == "/daftar/tanggal-lahir/"
    page = client.get("/daftar/tanggal-lahir/").content.decode()
    assert f'value="{worker.person.date_of_birth.isoformat()}"' in page


def test_reload_or_an_old_step_url_lands_on_the_current_step(client, worker):
    _walk_web(client, worker, until="/daftar/nik/")
    assert client.get("/daftar/nik/").status_code == 200
    assert client.get("/daftar/nama/")["Location"] == "/daftar/nik/"
    assert client.get("/daftar/kata-sandi/")["Location"] == "/daftar/nik/"
    assert client.get("/daftar/tidak-ada/").status_code == 404


def test_the_link_in_the_code_email_resumes_the_flow_on_another_device(client, worker, django_app_client):
    _walk_web(client, worker, until="/daftar/nama/")
    body = OutboundMessage.objects.get(to=EMAIL).body
    link = re.search(r"http://testserver(/daftar/lanjut/[^/\s]+/)", body).group(1)
    other = django_app_client()
    assert other.get(link)["Location"] == "/daftar/nama/"
    assert other.get("/daftar/nama/").status_code == 200


def test_after_thirty_idle_minutes_the_member_starts_again_with_a_message(client, worker):
    _walk_web(client, worker, until="/daftar/nama/")
    SignupFlow.objects.update(last_activity_at=timezone.now() - timedelta(minutes=31))
    response = client.get("/daftar/nama/", follow=True)
    assert response.redirect_chain[-1][0] == "/daftar/"
    assert "30 menit" in response.content.decode()


def test_resend_too_soon_is_explained(client, worker):
    _walk_web(client, worker, until="/daftar/kode-email/")
    response = client.post("/daftar/kode-email/", {"resend": "1"}, follow=True)
    assert "detik sebelum meminta kode baru" in response.content.decode()


def test_registered_screen_offers_three_ways_out(client, registered):
    _walk_web(client, registered.worker, until="/daftar/nomor-hp/")
    assert client.get("/daftar/nomor-hp/")["Location"] == "/daftar/sudah-terdaftar/"
    page = client.get("/daftar/sudah-terdaftar/").content.decode()
    assert "Data sudah terdaftar" in page and "b***i@g***l.com" in page and "+62812****7890" in page
    assert 'value="reset_password"' in page and 'value="recover_by_phone"' in page and "/reset-akun/ajukan/" in page


def test_way_a_on_the_web(client, registered):
    _walk_web(client, registered.worker, until="/daftar/nomor-hp/")
    response = client.post("/daftar/sudah-terdaftar/", {"action": "reset_password"})
    assert response["Location"] == "/daftar/sudah-terdaftar/atur-sandi/"
    response = client.post(
        "/daftar/sudah-terdaftar/atur-sandi/", {"code": code_sent_to(registered.email), "password": GOOD_PASSWORD}
    )
    assert response["Location"] == "/masuk/"
    # the new password is accepted; the login's code can go out once the reset code is a minute old
    assert client.post("/masuk/", {"username": registered.email, "password": GOOD_PASSWORD})["Location"] == (
        "/masuk/kode/"
    )


def test_way_b_on_the_web_ends_logged_in_with_the_new_email(client, registered):
    _walk_web(client, registered.worker, until="/daftar/nomor-hp/")
    response = client.post("/daftar/sudah-terdaftar/", {"action": "recover_by_phone"})
    assert response["Location"] == "/daftar/pemulihan-kode/"
    assert "+62812****7890" in client.get("/daftar/pemulihan-kode/").content.decode()
    client.post("/daftar/pemulihan-kode/", {"code": code_sent_to(registered.phone)})
    assert EMAIL in client.get("/daftar/pemulihan-sandi/").content.decode()
    response = client.post("/daftar/pemulihan-sandi/", {"password": GOOD_PASSWORD})
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user.username == EMAIL


def test_way_c_on_the_web_shows_the_tracking_number_and_due_date(client, registered):
    _walk_web(client, registered.worker, until="/daftar/nomor-hp/")
    form = client.get("/reset-akun/ajukan/").content.decode()
    assert f'value="{EMAIL}"' in form
    bad = client.post("/reset-akun/ajukan/", {"contact_email": EMAIL, "contact_phone": "12"})
    assert "Nomor HP tidak valid" in bad.content.decode() or "nomor HP Indonesia" in bad.content.decode()
    response = client.post(
        "/reset-akun/ajukan/", {"contact_email": EMAIL, "contact_phone": "081311112222"}, follow=True
    )
    page = response.content.decode()
    from jaminanku.accounts.models import AccountResetRequest

    reset = AccountResetRequest.objects.get()
    assert reset.tracking_number in page and reset.due_on.strftime("%d/%m/%Y") in page
    assert "Diterima, sedang diproses" in page


def test_reset_status_page_for_an_unknown_number(client, db):
    response = client.get("/reset-akun/", {"nomor": "RA-XXXXX-XXXXX"})
    assert response.status_code == 404 and "tidak ditemukan" in response.content.decode()
    assert client.get("/reset-akun/").status_code == 200
