from jaminanku.core.masking import mask_email, mask_nik, mask_phone


def test_mask_email_like_the_seed_screen():
    assert mask_email("budi@gmail.com") == "b***i@g***l.com"
    assert mask_email("a@b.id") == "a***@b***.id"


def test_mask_nik_keeps_region_and_serial_only():
    assert mask_nik("3201011708850001") == "3201********0001"


def test_mask_phone():
    assert mask_phone("+6281234567890") == "+62812****7890"
