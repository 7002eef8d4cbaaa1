"""The outbox and its worker: messages exist exactly when the transaction that wrote them commits, are sent once,
and failures are retried with exponential backoff until a limit."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from jaminanku.notify import delivery
from jaminanku.notify.delivery import deliver_due_messages, retry_delay
from jaminanku.notify.models import OutboundMessage
from jaminanku.notify.services import queue_email, queue_sms
from jaminanku.notify.views import dev_outbox

Status = OutboundMessage.Status


class FailingSms:
    def send(self, *, to, body, idempotency_key):
        raise OSError("gateway down")


@pytest.mark.django_db
def test_a_message_exists_only_if_its_transaction_commits():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        queue_email(to="a@example.com", subject="Kode", body="123456")
        1 / 0  # noqa: B018
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_worker_sends_email_and_sms_once():
    queue_email(to="a@example.com", subject="Kode", body="Kode Anda 123456")
    queue_sms(to="+6281298765432", body="Kode Anda 654321")
    report = deliver_due_messages()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert [m.to for m in mail.outbox] == [["a@example.com"]] and mail.outbox[0].body == "Kode Anda 123456"
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Status.SENT}
    assert all(m.sent_at and m.attempts == 1 for m in OutboundMessage.objects.all())
    # the codes they carried are not kept in clear once delivered
    assert set(OutboundMessage.objects.values_list("body", flat=True)) == {""}
    assert deliver_due_messages().claimed == 0 and len(mail.outbox) == 1


def test_backoff_doubles_from_thirty_seconds_up_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in range(1, 10)] == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


@pytest.mark.django_db
def test_failures_are_retried_later_then_given_up(monkeypatch, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    monkeypatch.setattr(delivery, "get_sms_backend", FailingSms)
    message = queue_sms(to="+6281298765432", body="Kode 123456")
    now = timezone.now()
    assert deliver_due_messages(now=now).retrying == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        Status.QUEUED,
        1,
        now + timedelta(seconds=30),
    )
    assert "gateway down" in message.last_error
    assert deliver_due_messages(now=now + timedelta(seconds=29)).claimed == 0  # not due yet
    assert deliver_due_messages(now=now + timedelta(seconds=30)).retrying == 1
    assert deliver_due_messages(now=now + timedelta(seconds=91)).failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert deliver_due_messages(now=now + timedelta(days=1)).claimed == 0


@pytest.mark.django_db
def test_a_message_left_sending_by_a_dead_worker_is_retried_after_its_lease():
    message = queue_email(to="a@example.com", subject="s", body="b")
    now = timezone.now()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING, next_attempt_at=now + timedelta(minutes=5)
    )
    assert deliver_due_messages(now=now).claimed == 0
    assert deliver_due_messages(now=now + timedelta(minutes=5)).sent == 1


@pytest.mark.django_db
def test_in_debug_a_message_is_delivered_right_after_commit(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue_email(to="a@example.com", subject="Kode", body="Kode Anda 123456")
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and len(mail.outbox) == 1
    assert message.body == "Kode Anda 123456"  # kept in development, for /dev/outbox/
    assert deliver_due_messages().claimed == 0  # the worker does not send it again


@pytest.mark.django_db
def test_outside_debug_nothing_is_sent_until_the_worker_runs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queue_email(to="a@example.com", subject="Kode", body="x")
    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_management_command_delivers_once(capsys):
    queue_email(to="a@example.com", subject="s", body="b")
    call_command("deliver_messages")
    assert "sent 1" in capsys.readouterr().out and len(mail.outbox) == 1


class _Gateway(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        _Gateway.received.append((dict(self.headers), json.loads(self.rfile.read(length))))
        self.send_response(_Gateway.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    _Gateway.received, _Gateway.status = [], 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_HTTP_TOKEN = "rahasia"
    settings.SMS_HTTP_TIMEOUT = 2
    yield _Gateway
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_http_gateway_gets_a_json_post_with_the_token(gateway):
    message = queue_sms(to="+6281298765432", body="Kode 123456")
    assert deliver_due_messages().sent == 1
    [(headers, body)] = gateway.received
    assert body == {"to": "+6281298765432", "message": "Kode 123456"}
    assert headers["Authorization"] == "Bearer rahasia" and headers["Idempotency-Key"] == f"outbound-{message.pk}"


@pytest.mark.django_db
def test_http_gateway_error_is_retried(gateway):
    gateway.status = 503
    message = queue_sms(to="+6281298765432", body="Kode 123456")
    assert deliver_due_messages().retrying == 1
    message.refresh_from_db()
    assert "503" in message.last_error
    gateway.status = 200
    assert deliver_due_messages(now=timezone.now() + timedelta(minutes=1)).sent == 1


@pytest.mark.django_db
def test_dev_outbox_shows_messages_only_in_debug(settings):
    queue_sms(to="+6281298765432", body="Kode Anda 123456")
    request = RequestFactory().get("/dev/outbox/")
    request.LANGUAGE_CODE = "id"
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    settings.DEBUG = True
    page = dev_outbox(request)
    assert page.status_code == 200 and "Kode Anda 123456" in page.content.decode()
    settings.DEBUG = False
    from django.http import Http404

    with pytest.raises(Http404):
        dev_outbox(request)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("reload_reference_data")
def test_concurrent_workers_never_send_a_message_twice():
    """Four workers at once on PostgreSQL (real threads, SKIP LOCKED); on SQLite the same four run in turn."""
    for n in range(60):
        queue_email(to=f"p{n}@example.com", subject="s", body=f"pesan {n}")
    reports = []

    def work():
        try:
            while (report := deliver_due_messages(limit=7)).claimed:
                reports.append(report)
        finally:
            if connection.vendor == "postgresql":
                connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for _ in range(4):
            work()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"p{n}@example.com" for n in range(60))
    assert sum(r.sent for r in reports) == 60
    assert OutboundMessage.objects.filter(status=Status.SENT, attempts=1).count() == 60
