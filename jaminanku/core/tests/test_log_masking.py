"""What the app logs reaches the log with NIKs, phone numbers and emails masked (UU 27/2022): the filter sits on
every handler of settings.LOGGING, so it holds for our modules and for libraries alike."""

import io
import logging

import pytest
from django.conf import settings

from jaminanku.core.logfilters import MaskPersonalData, mask_personal_data

NIK = "3201011708850001"


@pytest.fixture
def log_output():
    """What the handler configured in settings.LOGGING writes, for the duration of the test."""
    [handler] = [h for h in logging.getLogger().handlers if _masks(h)]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def _masks(handler: logging.Handler) -> bool:
    return any(isinstance(f, MaskPersonalData) for f in handler.filters)


def test_every_configured_handler_masks_personal_data():
    assert settings.LOGGING["handlers"]
    for name, handler in settings.LOGGING["handlers"].items():
        assert "mask_personal_data" in handler.get("filters", []), name


def test_nik_phones_and_emails_are_masked_in_what_is_logged(log_output):
    logger = logging.getLogger("jaminanku.accounts.signup.flow")
    logger.warning("NIK %s sudah terdaftar untuk %s", NIK, "budi.santoso@gmail.com")
    logger.info("SMS ke +6281234567890, 081234567890 dan 0812-3456-7890; akun 62 812 3456 7890")
    logging.getLogger("django.request").error("Gagal: %(data)s", {"data": {"nik": NIK, "email": "siti@contoh.id"}})
    try:
        raise ValueError(f"duplicate key value violates unique constraint: Key (nik)=({NIK}) already exists")
    except ValueError:
        logging.getLogger("jaminanku.registry").exception("Gagal menyimpan orang %s", "siti@contoh.id")

    out = log_output.getvalue()
    assert NIK not in out and out.count("3201********0001") == 3
    assert "budi.santoso@gmail.com" not in out and "b***o@g***l.com" in out
    assert "siti@contoh.id" not in out and out.count("s***i@c***h.id") == 2
    assert "1234567890" not in out and "3456" not in out.replace("****", "")
    assert out.count("+62812****7890") == 4
    assert "ValueError" in out and "Traceback" in out  # the traceback is kept, masked


def test_what_is_not_personal_data_is_left_alone():
    text = "Impor 2024-03: 1250 baris, KPJ 12345678901, saldo Rp 12.345.678, periode 202403, waktu 0.812 s"
    assert mask_personal_data(text) == text


def test_the_delivery_worker_logs_a_failed_sms_with_the_number_masked(log_output, db, monkeypatch):
    from jaminanku.notify import delivery
    from jaminanku.notify.services import queue_sms

    class Down:
        def send(self, *, to, body, idempotency_key):
            raise OSError(f"gateway down for {to}")

    monkeypatch.setattr(delivery, "get_sms_backend", Down)
    queue_sms(to="+6281298765432", body="Kode 123456")
    assert delivery.deliver_due_messages().retrying == 1
    out = log_output.getvalue()
    assert "Delivery of sms" in out and "6281298765432" not in out and "+62812****5432" in out
