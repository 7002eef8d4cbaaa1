"""Login by email and password and then a code on a new device (throttled by django-axes in the database, so
every process sees the lockout), logout, forgot password by an email code, and the member's changes of email,
phone and password."""

import pytest
from axes.models import AccessAttempt

from jaminanku.accounts.models import MemberProfile
from jaminanku.accounts.tests.helpers import GOOD_PASSWORD, code_sent_to, login_with_code, trust_browser
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post("/masuk/", {"username": email, "password": password})


def test_login_by_email_in_any_case_then_logout(client, registered):
    page = client.get("/masuk/").content.decode()
    assert "Buat Akun Baru" in page and "/lupa-sandi/" in page and 'autocomplete="email"' in page
    assert login_with_code(client, "  BUDI@gmail.com ", registered.password)["Location"] == "/"
    assert client.get("/").wsgi_request.user.is_authenticated
    assert client.get("/masuk/")["Location"] == "/"  # already logged in
    assert "KELUAR" in client.get("/keluar/").content.decode()
    logged_out = client.post("/keluar/")
    assert logged_out.status_code == 302
    assert logged_out["Clear-Site-Data"] == '"cache", "storage"'  # the offline card and balance go too
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_wrong_password_says_so_without_saying_which_part(client, registered):
    page = _login(client, registered.email, "salah-sekali-123").content.decode()
    assert "Email atau kata sandi salah." in page
    assert "Email atau kata sandi salah." in _login(client, "tidak.ada@example.com", "x").content.decode()


def test_sixth_failed_login_is_locked_out_with_an_indonesian_page_recorded_in_the_database(client, registered):
    for _ in range(5):
        _login(client, registered.email, "salah-sekali-123")
    locked = _login(client, registered.email, registered.password)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    # the count lives in the database (axes' handler), shared by every app process
    assert AccessAttempt.objects.filter(username=registered.email).get().failures_since_start >= 5


def test_forgot_password_by_an_email_code(client, registered):
    response = client.post("/lupa-sandi/", {"email": registered.email})
    assert response["Location"] == "/lupa-sandi/kode/"
    code = code_sent_to(registered.email)
    wrong = client.post(
        "/lupa-sandi/kode/", {"code": "000000" if code != "000000" else "111111", "password": GOOD_PASSWORD}
    )
    assert "Kode verifikasi salah" in wrong.content.decode()
    weak = client.post("/lupa-sandi/kode/", {"code": code, "password": "12345678"})
    assert weak.status_code == 200
    done = client.post("/lupa-sandi/kode/", {"code": code, "password": GOOD_PASSWORD})
    assert done["Location"] == "/masuk/"
    trust_browser(client, registered.email)  # the reset code went out this minute: no login code can yet
    assert _login(client, registered.email, GOOD_PASSWORD)["Location"] == "/"
    assert OutboundMessage.objects.filter(to=registered.email, subject__contains="diganti").exists()


def test_forgot_password_does_not_tell_whether_an_email_has_an_account(client, db):
    response = client.post("/lupa-sandi/", {"email": "tidak.ada@example.com"})
    assert response["Location"] == "/lupa-sandi/kode/"
    assert not OutboundMessage.objects.exists()
    page = client.get("/lupa-sandi/kode/").content.decode()
    assert "Jika tidak.ada@example.com terdaftar" in page


def test_change_email_with_a_code_to_the_new_address_and_a_notice_to_the_old(client, registered, worker):
    client.force_login(registered.worker.person.member_profile.user)
    pw = registered.password
    taken = client.post("/akun/email/", {"email": registered.email, "current_password": pw})
    assert "Ini sudah email akun Anda." in taken.content.decode()
    assert (
        client.post("/akun/email/", {"email": "budi.baru@example.com", "current_password": pw})["Location"]
        == "/akun/email/kode/"
    )
    response = client.post("/akun/email/kode/", {"code": code_sent_to("budi.baru@example.com")})
    assert response["Location"] == "/akun/"
    profile = MemberProfile.objects.get(person=registered.worker.person)
    assert profile.email == profile.user.username == "budi.baru@example.com"
    assert OutboundMessage.objects.filter(to=registered.email, body__contains="b***u@e***e.com").exists()
    assert client.get("/").wsgi_request.user.is_authenticated  # still logged in


def test_change_phone_with_an_sms_code(client, registered):
    client.force_login(registered.worker.person.member_profile.user)
    pw = registered.password
    bad = client.post("/akun/nomor-hp/", {"phone": "021 555 1234", "current_password": pw})
    assert bad.status_code == 200 and 'value="021 555 1234"' in bad.content.decode()
    assert (
        client.post("/akun/nomor-hp/", {"phone": "0813-1111-2222", "current_password": pw})["Location"]
        == "/akun/nomor-hp/kode/"
    )
    client.post("/akun/nomor-hp/kode/", {"code": code_sent_to("+6281311112222")})
    assert MemberProfile.objects.get(person=registered.worker.person).phone == "+6281311112222"
    assert OutboundMessage.objects.filter(to=registered.email, subject__contains="Nomor HP").exists()


def test_change_password_needs_the_current_one_and_ends_other_sessions(client, registered, django_app_client):
    user = registered.worker.person.member_profile.user
    other_device = django_app_client()
    other_device.force_login(user)
    client.force_login(user)
    wrong = client.post("/akun/kata-sandi/", {"current_password": "salah", "password": GOOD_PASSWORD})
    assert "Kata sandi saat ini salah." in wrong.content.decode()
    response = client.post("/akun/kata-sandi/", {"current_password": registered.password, "password": GOOD_PASSWORD})
    assert response["Location"] == "/akun/"
    assert client.get("/").wsgi_request.user.is_authenticated
    assert not other_device.get("/").wsgi_request.user.is_authenticated


def test_account_pages_need_a_login(client, db):
    for path in ["/akun/email/", "/akun/nomor-hp/", "/akun/kata-sandi/"]:
        assert client.get(path)["Location"].startswith("/masuk/?next=")
