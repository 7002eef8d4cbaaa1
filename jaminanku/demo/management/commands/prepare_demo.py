"""`make run`'s setup step: loads the demo population when the database is empty, makes sure a staff user, a demo
member in work, a demo member who may claim JHT, two who may claim it online (within and above the online
threshold) and the claim desk's branch officer and supervisor exist, and prints how to log in as each."""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jaminanku.core.money import format_rupiah
from jaminanku.demo.claimants import (
    StaffLogin,
    claim_office,
    desk_office,
    make_claim_staff,
    make_online_claimants,
    online_claimant_logins,
)
from jaminanku.demo.identity import (
    _store,
    _stored,
    demo_claimant_login,
    demo_member_login,
    demo_signup_identity,
    make_demo_claimant_account,
)
from jaminanku.registry.models import Person


def _staff_credentials() -> dict[str, str]:
    stored = _stored()
    if "staff_password" not in stored:
        _store(staff_username="staf", staff_password=secrets.token_urlsafe(9))
        stored = _stored()
    return stored


def _has_url(path: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(path)
    except Resolver404:
        return False
    return True


DEMO_STAFF_EMAIL = "staf.demo@jaminanku.invalid"


class Command(BaseCommand):
    help = "Loads demo data when the database is empty and prints how to log in."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, persons: int, seed: int, **options: Any) -> None:
        if not Person.objects.exists():
            self.stdout.write(f"Loading the demo population ({persons} persons)…")
            call_command("seed_demo", persons=persons, seed=seed)
        call_command("seed_news")
        make_demo_claimant_account()  # also in a database seeded before the demo had one
        office = claim_office()
        if office is not None:
            make_online_claimants(office)
        claim_staff = make_claim_staff(desk_office())
        creds = _staff_credentials()
        user_model = get_user_model()
        staff, created = user_model.objects.get_or_create(
            username=creds["staff_username"], defaults={"is_staff": True, "is_superuser": True}
        )
        if created or not staff.check_password(creds["staff_password"]) or not staff.email:
            staff.set_password(creds["staff_password"])
            staff.is_staff = staff.is_superuser = True
            staff.email = staff.email or DEMO_STAFF_EMAIL  # where the login's second-step code goes
            staff.save()
        port = os.environ.get("PORT", "8000")
        base = f"http://127.0.0.1:{port}"
        lines = [
            "",
            f"JaminanKu is starting on {base}/",
            "",
            f"Back office (staff):  {base}/admin/",
            f"  username: {creds['staff_username']}   password: {creds['staff_password']}",
        ]
        lines += self._claim_staff_lines(claim_staff, base)
        lines += self._member_lines(port)
        if _has_url("/dev/outbox/"):
            lines += [
                "",
                "A login from a new browser asks for a 6-digit code (the second step); the codes that would go",
                f"by email or SMS are shown at {base}/dev/outbox/",
            ]
        self.stdout.write("\n".join(lines) + "\n")

    def _claim_staff_lines(self, claim_staff: list[tuple[StaffLogin, str]], base: str) -> list[str]:
        desk = f"{base}/staf/klaim/" if _has_url("/staf/klaim/") else f"{base}/staf/"
        payments = f"; payments at {base}/staf/pembayaran-klaim/" if _has_url("/staf/pembayaran-klaim/") else ""
        lines = ["", f"Claim desk ({desk}{payments}; log in at {base}/admin/):"]
        for login, password in claim_staff:
            if login.role == "officer":
                where = f" at {login.office.name}" if login.office is not None else ""
                what = f"  Branch officer{where} (decides claims, opens them from the counter):"
            else:
                what = "  Supervisor (second approval above Rp 50.000.000; all branches; pays claims in batches):"
            lines += [what, f"    username: {login.username}   password: {password}"]
        return lines

    def _online_claimant_lines(self, base: str) -> list[str]:
        lines: list[str] = []
        for login in online_claimant_logins():
            option = login["option"]
            if login["key"] == "within":
                what = "Member who may claim JHT online, within the online threshold (decided at once):"
            else:
                what = "Member who may claim JHT online, above the four-eyes threshold (officer, then supervisor):"
            if option is None:
                detail = f"KPJ {login['kpj']}: claimed already"
            else:
                detail = (
                    f"KPJ {login['kpj']}: gross {format_rupiah(option.gross)}, tax {format_rupiah(option.tax)}, "
                    f"net {format_rupiah(option.net)}; start at {base}/klaim/{login['kpj']}/"
                )
            lines += [f"  {what}", f"    email: {login['email']}   password: {login['password']}", f"    {detail}"]
        return lines

    def _member_lines(self, port: str) -> list[str]:
        base = f"http://127.0.0.1:{port}"
        lines: list[str] = []
        active, claimant, online = demo_member_login(), demo_claimant_login(), self._online_claimant_lines(base)
        if active or claimant or online:
            lines += ["", f"Demo members (log in at {base}/masuk/):"]
        if active:
            lines += [
                "  Active member: in work, the employer pays the contributions each month:",
                f"    email: {active['email']}   password: {active['password']}",
            ]
        if claimant:
            what = "the whole JHT balance" if claimant["claim"] == "full" else "10 % or 30 % of the JHT balance"
            lines += [
                f"  Member who may claim JHT now ({what} of KPJ {claimant['kpj']}; try a JHT-claim booking at "
                f"{base}/antrian/):",
                f"    email: {claimant['email']}   password: {claimant['password']}",
            ]
        lines += online
        identity = demo_signup_identity()
        if identity and _has_url("/daftar/"):
            lines += [
                "",
                f"Try the sign-up ({base}/daftar/) as a registered person without an account:",
                f"  name: {identity['full_name']}   date of birth: {identity['date_of_birth']}",
                f"  NIK: {identity['nik']}   KPJ: {identity['kpj']}   segment: {identity['segment']}",
                f"  Codes sent by email and SMS are shown at {base}/dev/outbox/",
            ]
        return lines
