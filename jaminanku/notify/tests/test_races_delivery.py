"""A worker so slow (a slow SMTP server) that its batch's lease runs out while it is still sending: another worker
takes over the rest, and the slow one does not send what it no longer holds — no message goes out twice."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from jaminanku.notify import delivery
from jaminanku.notify.delivery import DeliveryReport, deliver_due_messages
from jaminanku.notify.models import OutboundMessage
from jaminanku.notify.services import queue_email

pytestmark = pytest.mark.django_db


def test_a_batch_that_outlives_its_lease_leaves_the_rest_to_the_worker_that_took_over():
    for n in range(3):
        queue_email(to=f"peserta{n}@example.com", subject="Kode", body=f"Kode {n}")
    start = timezone.now()
    slow = DeliveryReport()
    batch = delivery._claim(start, limit=10)  # the slow worker's batch of three
    delivery._deliver(batch[:1], start, slow)  # it sends the first, slowly…

    later = timezone.now() + delivery._lease() + timedelta(seconds=1)  # …until its lease has run out
    other = deliver_due_messages(now=later)  # another worker takes the two it had not reached, and sends them
    delivery._deliver(batch[1:], start, slow)  # the slow worker gets to them: they are no longer its to send

    assert (slow.sent, other.sent, slow.claimed) == (1, 2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == [f"peserta{n}@example.com" for n in range(3)]  # once each
    assert list(OutboundMessage.objects.values_list("status", "attempts")) == [("sent", 1)] * 3
