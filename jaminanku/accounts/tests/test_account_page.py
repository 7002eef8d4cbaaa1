"""Akun (/akun/): the logged-in member's name, NIK, email and phone (masked), the ways to change them, the
language choice and a logout button (a POST with CSRF). Anonymous visitors are sent to the login page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
URL = "/akun/"


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/masuk/?next=/akun/"


def test_the_member_sees_their_masked_details_and_the_ways_to_change_them(client, registered):
    person = registered.worker.person
    client.force_login(person.member_profile.user)
    response = client.get(URL)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert person.full_name in page
    assert person.nik[:4] + "********" + person.nik[-4:] in page and person.nik not in page
    assert "b***i@g***l.com" in page and registered.email not in page
    assert "+62812****7890" in page and registered.phone not in page
    for link in ("/akun/email/", "/akun/nomor-hp/", "/akun/kata-sandi/", "/akun/data-saya.json"):
        assert f'href="{link}"' in page
    assert "Fitur ini segera hadir" not in page  # the placeholder is gone


def test_logout_is_a_post_form_with_csrf_that_ends_the_session(registered):
    client = Client(enforce_csrf_checks=True)
    client.force_login(registered.worker.person.member_profile.user)
    page = client.get(URL).content.decode()
    assert '<form method="post" action="/keluar/"' in page
    token = client.cookies["csrftoken"].value
    assert client.post("/keluar/").status_code == 403  # no CSRF token, no logout
    assert client.post("/keluar/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert client.get(URL).status_code == 302  # logged out


def test_the_language_can_be_chosen_on_the_account_page(client, registered):
    client.force_login(registered.worker.person.member_profile.user)
    page = client.get(URL).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    assert '<option value="en" lang="en">English</option>' in page
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    english = client.get(URL).content.decode()
    assert '<html lang="en">' in english
    assert '<option value="en" lang="en" selected>' in english


def test_a_staff_login_without_a_member_profile_gets_no_error(client, staff_user):
    client.force_login(staff_user)
    response = client.get(URL)
    assert response.status_code == 200 and "bukan akun peserta" in response.content.decode()
