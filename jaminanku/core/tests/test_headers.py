"""Browser security headers (ASVS 5.0 V3.3 and V3.4, docs/security.md): a Content-Security-Policy without inline
scripts on every page, no inline script or event handler in any member page, the admin's one exception, and the
production cookie and HSTS settings read from a real production configuration."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client, override_settings

from jaminanku.accounts.tests.helpers import browser_second_step, code_sent_to
from jaminanku.contributions.tests.helpers import month
from jaminanku.member.tests.conftest import PASSWORD, make_member

ROOT = Path(__file__).resolve().parents[3]
CSP = "Content-Security-Policy"


class _InlineCode(HTMLParser):
    """Collects what a strict CSP would block: <script> without src, on*= handlers, style attributes and
    javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script" and "src" not in names:
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        for name, value in names.items():
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name == "style":
                self.found.append(f"style= on <{tag}>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_code(html: str) -> list[str]:
    parser = _InlineCode()
    parser.feed(html)
    return parser.found


def directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_strict_page(response, path: str) -> None:
    assert response.status_code == 200, (path, response.status_code)
    assert CSP in response, path
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], path
    assert policy["style-src"] == ["'self'"], path
    assert inline_code(response.content.decode()) == [], path


@pytest.fixture
def member(db):
    return make_member(start=date(2025, 1, 1), months=[month(2025, m) for m in range(1, 13)])


ANONYMOUS_PAGES = [
    "/",
    "/kantor/",
    "/kantor/?kota=Bandung",
    "/kalkulator/",
    "/kalkulator/?hitung=jht&jht-balance=0&jht-wage=5000000&jht-growth=5&jht-years=10&jht-rate=6",
    "/kalkulator/?hitung=iuran&iuran-wage=5000000&iuran-risk_class=1",
    "/program/",
    "/berita/",
    "/masuk/",
    "/daftar/",
    "/lupa-sandi/",
    "/reset-akun/",
    "/reset-akun/ajukan/",
]
MEMBER_PAGES = [
    "/",
    "/kartu/",
    "/antrian/",
    "/akun/",
    "/akun/email/",
    "/akun/nomor-hp/",
    "/akun/kata-sandi/",
    "/keluar/",
    "/kalkulator/",
    "/saldo/{kpj}/",
    "/klaim/{kpj}/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_public_pages_have_a_strict_csp_and_no_inline_code(client, path):
    response = client.get(path)
    if response.status_code == 302:  # e.g. a step that needs a session first
        response = client.get(response["Location"])
    assert_strict_page(response, path)


def test_member_pages_have_a_strict_csp_and_no_inline_code(client, member):
    client.force_login(member.user)
    for path in MEMBER_PAGES:
        path = path.format(kpj=member.kpj)
        assert_strict_page(client.get(path), path)


def test_the_jht_projection_chart_needs_no_style_attribute(client, db):
    page = client.get(ANONYMOUS_PAGES[4]).content.decode()
    assert '<svg class="bars"' in page and page.count("<rect ") == 10  # one bar per year, heights as SVG attributes


def test_staff_queue_confirms_closing_a_slot_from_a_static_script(staff_client):
    response = staff_client.get("/staf/antrian/")
    assert_strict_page(response, "/staf/antrian/")
    js = (ROOT / "jaminanku/static/js/confirm.js").read_text()
    assert "dataset.confirm" in js and "preventDefault" in js


def test_our_scripts_put_text_into_the_page_as_text():
    """ASVS 3.2.2: no script of ours parses data as HTML (innerHTML and friends, or a string given to Leaflet's
    bindPopup), and none evaluates strings as code."""
    scripts = list(ROOT.joinpath("jaminanku").rglob("static/**/*.js"))
    assert len(scripts) >= 4
    for script in scripts:
        text = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in text, (script.name, sink)
        assert "bindPopup(li." not in text, script.name


@pytest.mark.django_db
def test_the_policy_says_what_issue_8_asks(client, settings):
    policy = directives(client.get("/masuk/"))
    assert policy["default-src"] == ["'self'"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]  # the map tiles' host
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]  # ASVS 3.4.3 asks for 'none'
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]


def test_the_tile_host_follows_the_map_tile_setting():
    from jaminanku.settings import _tile_origin

    assert _tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == "https://tile.openstreetmap.org"
    assert _tile_origin("https://{s}.tiles.example.id/{z}/{x}/{y}.png") == "https://*.tiles.example.id"
    assert _tile_origin("/static/tiles/{z}/{x}/{y}.png") == ""  # same origin: 'self' already covers it


@pytest.mark.django_db
def test_every_response_carries_the_other_security_headers(client):
    for path in ["/masuk/", "/api/v1/offices/nearest?lat=-6.2&lon=106.8", "/kartu/kunci-publik.pem"]:
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in response[CSP], path
        assert "Access-Control-Allow-Origin" not in response, path  # no CORS: other origins cannot read answers


def test_admin_allows_inline_styles_but_never_inline_scripts(staff_client):
    for path in ["/admin/", "/admin/accounts/accountresetrequest/", "/admin/auth/user/", "/admin/auth/user/add/"]:
        response = staff_client.get(path)
        assert response.status_code == 200, path
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], path
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], path
        scripts = [f for f in inline_code(response.content.decode()) if "script" in f or f.startswith("on")]
        assert scripts == [], (path, scripts)


@pytest.mark.django_db
def test_api_docs_use_the_bundled_swagger_files_not_a_cdn(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    found = inline_code(page)
    # the one <script> without src is Swagger's settings as JSON data (type="application/json"), which never runs
    assert found == ["<script> without src at line 13"] or (
        len(found) == 1 and "without src" in found[0] and page.count('<script type="application/json"') == 1
    )


# --- production settings ------------------------------------------------------------------------------------
PRODUCTION_NAMES = [
    "SESSION_COOKIE_NAME",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "SESSION_COOKIE_DOMAIN",
    "SESSION_COOKIE_PATH",
    "CSRF_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "CSRF_COOKIE_DOMAIN",
    "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "MESSAGE_STORAGE",
]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict[str, object]:
    """The settings as `JAMINANKU_ENV=production` makes them, read in a separate process."""
    drop = {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "JAMINANKU_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        JAMINANKU_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="jaminanku.example",
        JAMINANKU_VAR_DIR=str(tmp_path_factory.mktemp("var")),
        DJANGO_SETTINGS_MODULE="jaminanku.settings",
    )
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {PRODUCTION_NAMES!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_httponly_samesite_and_host_only(production):
    for prefix in ("SESSION", "CSRF", "LANGUAGE"):
        assert production[f"{prefix}_COOKIE_NAME"].startswith("__Host-"), prefix
        assert production[f"{prefix}_COOKIE_SECURE"] is True, prefix
        assert production[f"{prefix}_COOKIE_HTTPONLY"] is True, prefix
        assert production[f"{prefix}_COOKIE_SAMESITE"] == "Lax", prefix
    assert production["SESSION_COOKIE_DOMAIN"] is None and production["CSRF_COOKIE_DOMAIN"] is None
    assert production["MESSAGE_STORAGE"].endswith("SessionStorage")  # no "messages" cookie at all


def test_production_hsts_covers_a_year_and_every_subdomain(production, client, db):
    assert production["SECURE_SSL_REDIRECT"] is True
    names = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")
    with override_settings(**{name: production[name] for name in names}):
        response = client.get("/masuk/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def _cookie_flags(response, name: str) -> dict[str, object]:
    morsel = response.cookies[name]
    return {key: morsel[key] for key in ("secure", "httponly", "samesite", "path", "domain")}


@pytest.mark.django_db
def test_cookies_set_by_a_real_login_carry_the_production_flags(production, member):
    cookie_settings = {name: value for name, value in production.items() if "_COOKIE_" in name}
    browser = Client()
    with override_settings(**cookie_settings):
        browser.get("/masuk/", secure=True)
        password = browser.post("/masuk/", {"username": member.user.username, "password": PASSWORD}, secure=True)
        assert password["Location"] == "/masuk/kode/"
        code = {"code": code_sent_to(member.user.email), "trust": "on"}
        login = browser.post("/masuk/kode/", code, secure=True)
        assert login.status_code == 302
        language = browser.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    for response, name in (
        (login, "__Host-sessionid"),
        (login, "__Host-csrftoken"),  # rotated at login
        (login, "__Host-device"),  # the trusted device (accounts/devices.py)
        (language, "__Host-language"),
    ):
        flags = _cookie_flags(response, name)
        assert flags["secure"] is True and flags["httponly"] is True, name
        assert flags["samesite"] == "Lax" and flags["path"] == "/" and not flags["domain"], name


# --- in a real browser ----------------------------------------------------------------------------------------
_WATCH_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const seen = JSON.parse(sessionStorage.getItem("csp") || "[]");
  seen.push(e.violatedDirective + " " + e.blockedURI);
  sessionStorage.setItem("csp", JSON.stringify(seen));
});
"""


@pytest.mark.browser
@pytest.mark.usefixtures("reload_reference_data")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pages_work_under_the_policy_without_a_single_violation(phone_page, live_server, django_user_model):
    """Chromium enforces the real header: the map, the calculator chart, the password hints, the API docs, the
    admin and the staff queue's confirmation all run from static files, and the browser reports no violation."""
    from playwright.sync_api import expect

    from jaminanku.offices.models import Office

    page, base = phone_page, live_server.url
    Office.objects.create(code="KC3273", name="Kantor Cabang Bandung", kind="kc", province_id="32")
    django_user_model.objects.create_superuser("supervisor", "s@example.com", "a-long-password-1")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(_WATCH_VIOLATIONS)

    page.goto(base + "/masuk/")
    page.get_by_label("Kata sandi", exact=True).fill("rahasia")
    page.get_by_label("Tampilkan kata sandi").check()  # accounts/password.js
    expect(page.get_by_label("Kata sandi", exact=True)).to_have_attribute("type", "text")
    page.goto(base + ANONYMOUS_PAGES[4])
    expect(page.locator("svg.bars rect")).to_have_count(10)
    page.goto(base + "/kantor/?kota=Bandung")
    page.goto(base + "/api/v1/docs")
    expect(page.locator(".swagger-ui").first).to_be_visible()

    page.goto(base + "/admin/login/?next=/staf/antrian/%3Fkantor%3DKC3273")
    page.locator("#id_username").fill("supervisor")
    page.locator("#id_password").fill("a-long-password-1")
    page.locator("input[type=submit]").click()
    browser_second_step(page, "s@example.com")  # the login's code page runs under the policy too
    expect(page).to_have_url(re.compile(r"/staf/antrian/"))
    questions: list[str] = []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        dialog.dismiss()  # "no": the slot stays open

    page.once("dialog", answer)
    page.get_by_role("button", name="Tutup", exact=True).click()
    assert questions == ["Tutup dan batalkan booking pada slot ini?"]
    expect(page).to_have_url(re.compile(r"/staf/antrian/\?kantor=KC3273"))
    page.goto(base + "/admin/auth/user/add/")
    expect(page.locator("#id_username")).to_be_visible()

    seen = page.evaluate("JSON.parse(sessionStorage.getItem('csp') || '[]')")
    assert seen == [] and [m for m in console if "Content Security Policy" in m] == []
