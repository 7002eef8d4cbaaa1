"""The documents each ground and kind asks for (FACTS.md §6.1)."""

import pytest

from jaminanku.claims.models import ClaimDocument, JhtClaim
from jaminanku.claims.requirements import required_documents


@pytest.mark.parametrize(
    ("ground", "kind", "expected"),
    [
        ("age", "full", ["ktp", "kk"]),
        ("resignation", "full", ["ktp", "kk", "resignation"]),
        ("dismissal", "full", ["ktp", "kk", "dismissal"]),
        ("end_of_contract", "full", ["ktp", "kk", "contract_end"]),
        ("disability", "full", ["ktp", "kk", "doctor"]),
        ("emigration", "full", ["ktp", "kk", "passport", "visa", "not_working"]),
        ("death", "full", ["ktp", "kk", "death", "heirs"]),
        ("preparation", "partial_10", ["ktp", "kk", "working"]),
        ("housing", "partial_30", ["ktp", "kk", "working", "housing"]),
    ],
)
def test_documents_by_ground(ground, kind, expected):
    assert required_documents(ground, kind) == expected


def test_every_ground_asks_for_known_document_kinds_and_always_the_ktp_and_kk():
    for ground in JhtClaim.Ground.values:
        needed = required_documents(ground, "full")
        assert needed[:2] == ["ktp", "kk"], ground
        assert set(needed) <= set(ClaimDocument.Kind.values), ground
        assert all(type(kind) is str for kind in needed)


def test_a_30_percent_claim_always_asks_for_the_housing_contract():
    assert "housing" in required_documents("", "partial_30")
