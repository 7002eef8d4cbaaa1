"""`make run`'s prepare_demo: the back-office login it prints works, second step included (the demo staff user
has an address for the login code)."""

from io import StringIO

import pytest
from django.core.management import call_command

from jaminanku.accounts.tests.helpers import code_sent_to

pytestmark = pytest.mark.django_db


def test_the_printed_staff_login_reaches_the_back_office_through_the_second_step(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = StringIO()
    call_command("prepare_demo", persons=20, stdout=out)
    printed = out.getvalue()
    username = printed.split("username: ")[1].split()[0]
    password = printed.split("password: ")[1].split()[0]
    first = client.post("/admin/login/", {"username": username, "password": password})
    assert first.status_code == 302 and first["Location"].startswith("/masuk/kode/"), first
    from django.contrib.auth.models import User

    staff = User.objects.get(username=username)
    done = client.post(first["Location"], {"code": code_sent_to(staff.email)})
    assert done.status_code == 302
    assert client.get("/admin/").status_code == 200
