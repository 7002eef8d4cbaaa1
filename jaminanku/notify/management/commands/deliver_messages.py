"""`manage.py deliver_messages [--loop]`: the outbox worker. Run it once from cron, or with --loop as a service;
several may run at once."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.notify.delivery import deliver_due_messages


class Command(BaseCommand):
    help = "Sends queued emails and SMS, retrying failures with backoff."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, polling for due messages")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls when idle")
        parser.add_argument("--limit", type=int, default=100, help="messages per batch")

    def handle(self, *args: Any, loop: bool, interval: float, limit: int, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True  # finish the batch in hand, then leave

        if loop:
            signal.signal(signal.SIGTERM, stop)
        while True:
            report = deliver_due_messages(limit=limit)
            if report.claimed:
                self.stdout.write(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")
            if not loop or stopping:
                return
            if report.claimed < limit:
                try:
                    time.sleep(interval)
                except KeyboardInterrupt:
                    return
