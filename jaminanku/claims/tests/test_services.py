"""Eligibility from the real registry and ledger, and paying a claim."""

from datetime import date

import pytest

from jaminanku.claims.selectors import eligibility_for
from jaminanku.claims.services import pay_jht_claim
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member, resigned_member
from jaminanku.core.errors import DomainError
from jaminanku.registry.tests.factories import EmploymentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resigned():
    """Worked Jan–Jun 2026 on Rp5,000,000 (JHT 285,000 a month), resigned 30/06/2026."""
    return resigned_member(first=date(2026, 1, 1), last=date(2026, 6, 30), wage=5_000_000)


def test_just_resigned_member_waits_until_a_month_after_the_end(resigned):
    answer = eligibility_for(resigned, today=date(2026, 7, 15))
    assert not answer.can_claim and answer.full_claim_from == date(2026, 7, 30)


def test_claim_pays_the_whole_balance_and_zeroes_the_account(resigned):
    assert eligibility_for(resigned, today=date(2026, 8, 1)).full.gross == 6 * 285_000
    claim = pay_jht_claim(membership=resigned, kind="full", paid_on=date(2026, 8, 1))
    resigned.jht_account.refresh_from_db()
    assert claim.gross == 1_710_000 and claim.tax == 0 and resigned.jht_account.balance == 0
    assert claim.tax_slip_number == f"BP21F-202608-{claim.pk:07d}"  # numbered as a batch's paid claim is
    assert tax_slip_pdf(claim).startswith(b"%PDF")
    with pytest.raises(DomainError):
        pay_jht_claim(membership=resigned, kind="full", paid_on=date(2026, 8, 2))


def test_active_worker_is_refused_with_the_reason():
    membership = pu_member()
    firm = employer()
    EmploymentFactory(membership=membership, employer=firm, start=date(2026, 1, 1))
    import_month(period=month(2026, 1), lines=[line(membership, 5_000_000, npp=firm.npp)])
    with pytest.raises(DomainError) as err:
        pay_jht_claim(membership=membership, kind="full", paid_on=date(2026, 3, 1))
    assert "masih aktif" in str(err.value.message)


def test_partial_claim_once_per_person_across_kpjs():
    first = pu_member(registered_on=date(2014, 1, 1))
    second = MembershipFactory(person=first.person, segment="PU", registered_on=date(2020, 1, 1))
    firm = employer()
    for membership in (first, second):
        EmploymentFactory(membership=membership, employer=firm, start=membership.registered_on)
        import_month(period=month(2026, 1), lines=[line(membership, 5_000_000, npp=firm.npp)])
    claim = pay_jht_claim(membership=first, kind="partial_10", paid_on=date(2026, 3, 1))
    assert claim.gross == 28_500  # 10 % of 285,000
    answer = eligibility_for(second, today=date(2026, 3, 2))
    assert "partial_already_claimed" in answer.reason_codes
    with pytest.raises(DomainError):
        pay_jht_claim(membership=second, kind="partial_30", paid_on=date(2026, 3, 2))
