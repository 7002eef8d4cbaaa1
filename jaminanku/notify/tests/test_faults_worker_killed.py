"""The delivery worker (`manage.py deliver_messages`, a real subprocess) is SIGKILLed in the middle of a batch,
while a slow SMTP server (aiosmtpd) is still answering it; run again, it sends every message exactly once.

The subprocess works on the test database: on PostgreSQL the test database itself; on SQLite (an in-memory test
database) a file copy of it, made with SQLite's backup API and copied back afterwards."""

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from jaminanku.notify.delivery import message_id
from jaminanku.notify.models import OutboundMessage
from jaminanku.notify.services import queue_email

pytestmark = [pytest.mark.usefixtures("reload_reference_data"), pytest.mark.slow]
Status = OutboundMessage.Status
MESSAGES = 12
KILL_AT = 5  # the worker dies waiting for the server's answer about the fifth message
LEASE_SECONDS = 8  # long enough to cover starting the hasty second worker below


class SlowServer:
    """Takes 0.1 s to accept each recipient; on the KILL_AT-th it signals `stalled` and waits 5 s."""

    def __init__(self) -> None:
        self.rcpts = 0
        self.stalled = threading.Event()
        self.delivered: list[tuple[str, str]] = []  # (recipient, Message-ID)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        self.rcpts += 1
        if self.rcpts == KILL_AT:
            self.stalled.set()
            await asyncio.sleep(5)
        await asyncio.sleep(0.1)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content)
        self.delivered.extend((rcpt, message["Message-ID"]) for rcpt in envelope.rcpt_tos)
        return "250 OK"


class Worker:
    """Runs `manage.py deliver_messages` in a subprocess against this test's database."""

    def __init__(self, tmp_path: Path, smtp_port: int):
        self.sqlite_file = tmp_path / "outbox.sqlite3" if connection.vendor == "sqlite" else None
        (tmp_path / "worker_settings.py").write_text(
            f"from jaminanku.settings import *  # noqa: F403\nNOTIFY_CLAIM_LEASE_SECONDS = {LEASE_SECONDS}\n"
        )
        root = Path(__file__).resolve().parents[3]  # where manage.py is
        self.manage = str(root / "manage.py")
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "worker_settings",
            "PYTHONPATH": os.pathsep.join([str(tmp_path), str(root)]),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "10",
            "DEBUG": "",
            "DATABASE_URL": self._database_url(),
        }

    def _database_url(self) -> str:
        if self.sqlite_file is not None:
            return f"sqlite:///{self.sqlite_file}"
        # the URL scripts/with-postgres gave, pointing at the test database instead
        url = urlsplit(os.environ["DATABASE_URL"])
        return urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))

    def publish(self) -> None:
        """Makes what the test wrote visible to the subprocess."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as target:
                connection.connection.backup(target)

    def collect(self) -> None:
        """Makes what the subprocess wrote visible to the test."""
        if self.sqlite_file is not None:
            with sqlite3.connect(self.sqlite_file) as source:
                source.backup(connection.connection)

    def start(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, self.manage, "deliver_messages", "--limit", "100"],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self) -> str:
        process = self.start()
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        return out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_batch_leaves_nothing_unsent_and_nothing_sent_twice(tmp_path):
    addresses = [f"peserta{n}@example.com" for n in range(MESSAGES)]
    for n, address in enumerate(addresses):
        queue_email(to=address, subject="Kode verifikasi", body=f"Kode Anda {100000 + n}")
    server = SlowServer()
    port = _free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker = Worker(tmp_path, port)
        worker.publish()
        first = worker.start()
        assert server.stalled.wait(timeout=60), first.communicate()[1]
        first.send_signal(signal.SIGKILL)  # mid-batch: four sent, the fifth in flight, seven claimed and waiting
        first.wait(timeout=10)
        assert first.returncode == -signal.SIGKILL

        worker.collect()
        by_status = dict.fromkeys(Status.values, 0)
        for status in OutboundMessage.objects.values_list("status", flat=True):
            by_status[status] += 1
        assert (by_status[Status.SENT], by_status[Status.SENDING]) == (KILL_AT - 1, MESSAGES - KILL_AT + 1)
        assert len(server.delivered) == KILL_AT - 1

        # at once, the dead worker's claims still hold: nothing is sent twice by a hasty second worker
        assert "sent" not in worker.run()
        worker.collect()
        lease_ends = max(
            OutboundMessage.objects.filter(status=Status.SENDING).values_list("next_attempt_at", flat=True)
        )
        time.sleep(max(0.0, (lease_ends - timezone.now()).total_seconds()) + 0.2)
        # then its lease runs out and the next run takes over
        assert f"sent {MESSAGES - KILL_AT + 1}," in worker.run()
        assert "sent" not in worker.run()  # and nothing is left
    finally:
        controller.stop()

    worker.collect()
    rows = list(OutboundMessage.objects.order_by("pk"))
    assert [(m.status, m.attempts) for m in rows] == [(Status.SENT, 1)] * MESSAGES
    assert sorted(rcpt for rcpt, _id in server.delivered) == sorted(addresses)  # every one, once
    assert sorted(mid for _rcpt, mid in server.delivered) == sorted(message_id(m) for m in rows)
