"""`create_account_for_demo` gives seeded persons accounts through the sign-up's last step, rules included."""

from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from jaminanku.accounts.services import create_account_for_demo
from jaminanku.accounts.tests.helpers import make_worker
from jaminanku.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_demo_account_can_log_in_and_is_linked_to_the_person():
    worker = make_worker(full_name="Dewi Lestari", date_of_birth=date(1988, 2, 2), sex="F", kpj="66645678901")
    user = create_account_for_demo(
        person=worker.person, email="Peserta1@Demo.JaminanKu.id", phone="+6281290000001", password="Demo-abcdefgh1"
    )
    assert user.member_profile.person == worker.person and user.username == "peserta1@demo.jaminanku.id"
    assert authenticate(RequestFactory().post("/"), username=user.username, password="Demo-abcdefgh1") == user


def test_demo_accounts_obey_the_same_rules():
    worker = make_worker(full_name="Dewi Lestari", date_of_birth=date(1988, 2, 2), sex="F", kpj="66645678901")
    create_account_for_demo(person=worker.person, email="a@example.com", phone="081290000001", password="Demo-abc12345")
    with pytest.raises(DomainError) as twice:
        create_account_for_demo(
            person=worker.person, email="b@example.com", phone="081290000002", password="Demo-abc12345"
        )
    assert twice.value.code == "already_registered"
    other = make_worker(full_name="Eko Prasetyo", date_of_birth=date(1979, 9, 9), sex="M", kpj="77745678901")
    with pytest.raises(DomainError) as weak:
        create_account_for_demo(person=other.person, email="c@example.com", phone="081290000003", password="123")
    assert weak.value.code == "password_weak"
