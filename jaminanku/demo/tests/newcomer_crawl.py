"""The newcomer's crawl: every page and file that the app links to, as a visitor and as each demo member that
`make run` prints, with Django's test client. test_newcomer_crawl.py runs it in a process of its own, with the
settings and the var/ directory that `make run` gave the database, so nothing the test process set up (a key, a
setting) helps it. Prints one JSON object: every response seen, per identity.

Usage: python -m jaminanku.demo.tests.newcomer_crawl '{"active": ["email", "password"], ...}'
"""

from __future__ import annotations

import io
import json
import os
import sys
import traceback
from collections import Counter, deque
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaminanku.settings")

import django  # noqa: E402

django.setup()

import zxingcpp  # noqa: E402
from django.core.signals import got_request_exception  # noqa: E402
from django.test import Client  # noqa: E402
from lxml import html  # noqa: E402
from PIL import Image  # noqa: E402

from jaminanku.accounts.models import MemberProfile  # noqa: E402
from jaminanku.accounts.tests.helpers import code_sent_to  # noqa: E402

HOST = "testserver"
START = ["/", "/api/v1/docs", "/api/v1/openapi.json", "/admin/"]  # the API's docs page loads its schema by script
MAX_URLS = 300  # per identity
MAX_QUERIES_PER_PATH = 12  # a calendar's "next month" links would otherwise go on for ever
# what a crawl must not follow: logging out and ending sessions (they would end the crawl's own), the language
# switch (a POST form), and the admin beyond its front page (staff only; the admin has its own tests)
SKIP_PREFIXES = ("/keluar/", "/akun/perangkat/akhiri", "/akun/autentikator/matikan/", "/i18n/")
ADMIN_PAGES = {"/admin/", "/admin/login/"}

_errors: list[str] = []


def _remember_traceback(sender: Any, **kwargs: Any) -> None:
    _errors.append(traceback.format_exc())


got_request_exception.connect(_remember_traceback)


def _same_site(url: str) -> str | None:
    """The path and query of a link to this site, or None for another site, a fragment or a scheme like mailto."""
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", HOST):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _form_targets(form: Any, page_url: str) -> list[str]:
    """A GET form submitted as a visitor would without typing: each field's given, checked or first real value;
    and once more for each other choice of its radio buttons (the queue's services, say)."""
    fields: list[tuple[str, str]] = []
    radio_choices: dict[int, list[str]] = {}  # position in fields → the group's other values
    for field in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name, kind = field.get("name"), field.get("type", "text")
        if field.tag == "select":
            # the chosen option, else the first real one (not the "choose…" placeholder), to go a step further
            values = [
                (o.get("value", o.text_content()), o.get("selected") is not None) for o in field.xpath(".//option")
            ]
            chosen = [v for v, selected in values if selected and v] or [v for v, _ in values if v] or [""]
            fields.append((name, chosen[0]))
        elif field.tag == "textarea":
            fields.append((name, field.text_content()))
        elif kind == "radio":
            if any(n == name for n, _ in fields):
                continue
            group = [f.get("value", "on") for f in form.xpath(".//input[@type='radio']") if f.get("name") == name]
            checked = [
                f.get("value", "on") for f in form.xpath(".//input[@type='radio'][@checked]") if f.get("name") == name
            ]
            first = (checked or group)[0]
            radio_choices[len(fields)] = [v for v in group if v != first]
            fields.append((name, first))
        elif kind == "checkbox":
            if field.get("checked") is not None:
                fields.append((name, field.get("value", "on")))
        elif kind not in ("submit", "button", "image", "reset", "file"):
            fields.append((name, field.get("value", "")))
    submissions = [fields] + [
        fields[:at] + [(fields[at][0], value)] + fields[at + 1 :]
        for at, others in radio_choices.items()
        for value in others
    ]
    action = urljoin(page_url, form.get("action") or page_url).split("?", 1)[0]
    return [action + ("?" + urlencode(submission) if submission else "") for submission in submissions]


def _links(url: str, content: bytes) -> list[str]:
    try:
        tree = html.fromstring(content)
    except (ValueError, html.etree.ParserError):
        return []
    found = tree.xpath("//a/@href | //link/@href | //img/@src | //script/@src | //iframe/@src")
    for form in tree.xpath("//form"):
        if (form.get("method") or "get").lower() == "get":
            found += _form_targets(form, url)
    return [urljoin(url, str(link)) for link in found]


def _qr_links(content: bytes) -> list[str]:
    """The addresses in the QR codes of an image: a card's QR code is its link to /verify/<token>/."""
    try:
        image = Image.open(io.BytesIO(content))
        return [code.text for code in zxingcpp.read_barcodes(image)]
    except (OSError, ValueError):
        return []


def _manifest_links(content: bytes) -> list[str]:
    try:
        manifest = json.loads(content)
    except ValueError:
        return []
    return [icon["src"] for icon in manifest.get("icons", []) if "src" in icon] + [manifest.get("start_url", "/")]


def _skipped(path: str) -> bool:
    if path.startswith(SKIP_PREFIXES):
        return True
    return path.startswith("/admin/") and path.split("?", 1)[0] not in ADMIN_PAGES


def _personal_words(client: Client) -> list[str]:
    """The logged-in member's name and KPJs: a page that shows one of them holds personal data."""
    user_id = client.session.get("_auth_user_id")
    profile = MemberProfile.objects.filter(user_id=user_id).select_related("person").first()
    if profile is None:
        return []
    return [profile.person.full_name, *profile.person.memberships.values_list("kpj", flat=True)]


def crawl(client: Client) -> list[dict[str, Any]]:
    words = _personal_words(client)
    queue: deque[tuple[str, str]] = deque((url, "") for url in START)
    seen: set[str] = set(START)
    queries: Counter[str] = Counter()
    answers: list[dict[str, Any]] = []
    while queue and len(answers) < MAX_URLS:
        url, found_on = queue.popleft()
        before = len(_errors)
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace") if content_type.startswith(("text/", "application/json")) else ""
        answers.append(
            {
                "url": url,
                "found_on": found_on,
                "status": response.status_code,
                "content_type": content_type,
                "cache_control": response.get("Cache-Control", ""),
                "names_the_member": any(word and word in text for word in words),
                "traceback": _errors[before] if len(_errors) > before else "",
            }
        )
        links: list[str] = []
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            links.append(urljoin(url, response["Location"]))
        elif content_type.startswith("text/html"):
            links += _links(url, body)
        elif content_type.startswith("image/"):
            links += _qr_links(body)
        elif "manifest" in content_type:
            links += [urljoin(url, link) for link in _manifest_links(body)]
        for link in links:
            target = _same_site(link)
            if target is None or target in seen or _skipped(target):
                continue
            path = target.split("?", 1)[0]
            if "?" in target:
                if queries[path] >= MAX_QUERIES_PER_PATH:
                    continue
                queries[path] += 1
            seen.add(target)
            queue.append((target, url))
    return answers


def logged_in(email: str, password: str) -> Client:
    """A client logged in as a member would: the password, then the code the login's second step sent."""
    client = Client(raise_request_exception=False)
    first = client.post("/masuk/", {"username": email, "password": password})
    if first.status_code != 302 or first["Location"] != "/masuk/kode/":
        raise SystemExit(f"the password step for {email} answered {first.status_code}")
    done = client.post("/masuk/kode/", {"code": code_sent_to(email)})
    if done.status_code != 302 or "_auth_user_id" not in client.session:
        raise SystemExit(f"the code step for {email} answered {done.status_code}")
    return client


def main(logins: dict[str, list[str]]) -> None:
    report = {"visitor": crawl(Client(raise_request_exception=False))}
    for who, (email, password) in logins.items():
        report[who] = crawl(logged_in(email, password))
    print(json.dumps(report))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
