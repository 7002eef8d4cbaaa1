"""A real HTTP SMS gateway (http.server in a thread) that times out and answers 500: the worker retries with
backoff, sends the same Idempotency-Key each time, and once it gives up the message is visible to staff as
failed in the admin's outbox, from where "retry now" resends the original text."""

import json
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from jaminanku.notify.delivery import deliver_due_messages
from jaminanku.notify.models import OutboundMessage
from jaminanku.notify.services import queue_sms

pytestmark = pytest.mark.django_db
Status = OutboundMessage.Status
PHONE = "+6281298765432"


class Gateway(BaseHTTPRequestHandler):
    """Answers each request with the next behaviour in `script`: "slow" (sleeps past the client's timeout,
    then answers 200 to nobody), or an HTTP status. When the script runs out, it keeps the last one."""

    script: list = []
    received: list = []

    def do_POST(self):  # noqa: N802 - http.server's hook name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.headers["Idempotency-Key"], body))
        behaviour = Gateway.script.pop(0) if len(Gateway.script) > 1 else Gateway.script[0]
        if behaviour == "slow":
            time.sleep(1.5)
            behaviour = 200
        self.send_response(behaviour)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    server.daemon_threads = True
    Gateway.script, Gateway.received = [200], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{server.server_port}/sms"
    settings.SMS_HTTP_TOKEN = "rahasia"
    settings.SMS_HTTP_TIMEOUT = 0.5
    yield Gateway
    server.shutdown()
    server.server_close()


def test_a_timeout_then_a_500_are_retried_with_backoff_and_the_sms_is_sent_once(gateway):
    gateway.script = ["slow", 500, 200]
    message = queue_sms(to=PHONE, body="Kode Anda 123456")
    now = timezone.now()

    assert deliver_due_messages(now=now).retrying == 1  # timed out after 0.5 s
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        Status.QUEUED,
        1,
        now + timedelta(seconds=30),
    )
    assert "unreachable" in message.last_error and "timed out" in message.last_error

    assert deliver_due_messages(now=now + timedelta(seconds=29)).claimed == 0  # backing off
    assert deliver_due_messages(now=now + timedelta(seconds=30)).retrying == 1  # HTTP 500
    message.refresh_from_db()
    assert (message.attempts, message.next_attempt_at) == (2, now + timedelta(seconds=30 + 60))
    assert "HTTP 500" in message.last_error

    assert deliver_due_messages(now=now + timedelta(seconds=89)).claimed == 0
    assert deliver_due_messages(now=now + timedelta(seconds=90)).sent == 1
    assert deliver_due_messages(now=now + timedelta(days=1)).claimed == 0  # never again
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 3, "")
    # three requests, one message: the same key each time, so a gateway that did send the timed-out one drops
    # the repeats
    assert [key for key, _body in gateway.received] == [f"outbound-{message.pk}"] * 3
    assert {body["message"] for _key, body in gateway.received} == {"Kode Anda 123456"}


def test_after_the_last_retry_staff_see_the_failure_and_can_resend_the_original(gateway, settings, staff_client):
    settings.NOTIFY_MAX_ATTEMPTS = 4
    gateway.script = [500]
    message = queue_sms(to=PHONE, body="Permintaan reset akun Anda disetujui, nomor 48291307.")
    now = timezone.now()
    # 30 s, then 60 s, then 120 s between attempts; the fourth failure is the last
    outcomes = [deliver_due_messages(now=now + timedelta(seconds=s)) for s in (0, 30, 90, 210)]
    assert [(r.retrying, r.failed) for r in outcomes] == [(1, 0), (1, 0), (1, 0), (0, 1)]
    assert deliver_due_messages(now=now + timedelta(days=1)).claimed == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 4)
    assert message.body == "Permintaan reset akun Anda disetujui, nomor 48291307."  # kept: it was never delivered

    listing = staff_client.get("/admin/notify/outboundmessage/", {"status__exact": "failed"})
    page = listing.content.decode()
    assert listing.status_code == 200 and PHONE in page and "SmsDeliveryError: gateway answered HTTP 500" in page
    detail = staff_client.get(f"/admin/notify/outboundmessage/{message.pk}/change/")
    assert detail.status_code == 200 and "gateway answered HTTP 500" in detail.content.decode()
    assert "48291307" not in detail.content.decode()  # staff never see bodies (codes)

    gateway.script = [200]
    staff_client.post(
        "/admin/notify/outboundmessage/", {"action": "retry_now", "_selected_action": [message.pk]}, follow=True
    )
    assert deliver_due_messages().sent == 1
    assert gateway.received[-1][1] == {"to": PHONE, "message": "Permintaan reset akun Anda disetujui, nomor 48291307."}
    assert len(gateway.received) == 5
