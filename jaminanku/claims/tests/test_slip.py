"""The withholding slip (bukti potong PPh 21 final) of a paid claim above Rp50,000,000: a real PDF whose text
names the slip number, the member, NIK, KPJ, no NPWP, the gross, the 5 % rate on the part above, the tax withheld,
the net and the date paid - in Rp and dd/mm/yyyy."""

from __future__ import annotations

import subprocess

import pytest

from jaminanku.claims.models import DisbursementBatch
from jaminanku.claims.payouts import apply_result_file, create_batch, sample_result_csv
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.claims.tests import payout_fixtures
from jaminanku.claims.tests.payout_fixtures import approved_claim
from jaminanku.core.errors import DomainError
from jaminanku.core.money import format_rupiah

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]
finance, private_files = payout_fixtures.finance, payout_fixtures.private_files


def test_the_slip_of_a_taxed_claim_shows_every_figure(finance, tmp_path):
    claim = approved_claim(wage=100_000_000, months=10)  # 10 × 5.7 % × Rp100,000,000 = Rp57,000,000
    assert claim.gross == 57_000_000 and claim.tax == 350_000
    with pytest.raises(DomainError) as err:
        tax_slip_pdf(claim)
    assert err.value.code == "claim_not_paid"
    batch = create_batch(method=DisbursementBatch.Method.BANK_FILE, actor=finance)
    apply_result_file(batch, sample_result_csv(batch), finance)
    claim.refresh_from_db()

    pdf = tmp_path / "bukti-potong.pdf"
    pdf.write_bytes(tax_slip_pdf(claim))
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in (
        claim.tax_slip_number,
        claim.person.full_name,
        claim.person.nik,
        claim.membership.kpj,
        "Rp 57.000.000",
        "5% atas bagian di atas Rp 50.000.000 (Rp 7.000.000)",
        "Rp 350.000",
        format_rupiah(claim.net),
        claim.paid_on.strftime("%d/%m/%Y"),
        "Bukti Pemotongan PPh Pasal 21 Final",
    ):
        assert expected in text, expected
    npwp = next(line for line in text.splitlines() if "NPWP" in line)
    assert npwp.split()[-1] == "-"
