"""A real SMTP server (aiosmtpd) that is down while members ask for codes and comes up later: every code is
still delivered, exactly once, and still works."""

import email
import re
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from jaminanku.accounts.signup import flow as signup
from jaminanku.notify.delivery import deliver_due_messages
from jaminanku.notify.models import OutboundMessage

pytestmark = pytest.mark.django_db
ADDRESSES = [f"peserta{n}@example.com" for n in range(4)]


class Inbox:
    def __init__(self):
        self.messages: list[tuple[list[str], email.message.Message]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_codes_requested_while_smtp_is_down_all_arrive_once_it_is_up(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = False

    flows = [signup.start_signup(email=address, client_ip=None) for address in ADDRESSES]
    now = timezone.now()
    down = deliver_due_messages(now=now)
    assert (down.sent, down.retrying) == (0, len(ADDRESSES))
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("queued", 1)}
    still_down = deliver_due_messages(now=now + timedelta(seconds=30))  # the first retry, 30 s later
    assert (still_down.sent, still_down.retrying) == (0, len(ADDRESSES))
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("queued", 2)}

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        early = deliver_due_messages(now=now + timedelta(seconds=89))  # backing off: 60 s after the second try
        up = deliver_due_messages(now=now + timedelta(seconds=90))
        again = deliver_due_messages(now=now + timedelta(hours=1))
    finally:
        controller.stop()

    assert (early.claimed, up.sent, again.claimed) == (0, len(ADDRESSES), 0)
    assert set(OutboundMessage.objects.values_list("status", "attempts")) == {("sent", 3)}
    assert sorted(rcpt for rcpts, _m in inbox.messages for rcpt in rcpts) == sorted(ADDRESSES)  # once each
    assert len({m["Message-ID"] for _r, m in inbox.messages}) == len(ADDRESSES)  # one id per message
    for flow in flows:
        [message] = [m for rcpts, m in inbox.messages if rcpts == [flow.email]]
        body = message.get_payload(decode=True).decode()
        code = re.search(r"\b(\d{6})\b", body).group(1)
        assert signup.verify_email_code(flow=flow, code=code, now=now + timedelta(seconds=91)).email_verified
