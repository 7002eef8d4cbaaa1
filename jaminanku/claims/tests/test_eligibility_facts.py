"""The facts gatherer on a real registry and ledger: the new end reasons, and which partial claims count."""

from datetime import UTC, date, datetime

import pytest

from jaminanku.claims.models import JhtClaim
from jaminanku.claims.references import new_reference
from jaminanku.claims.selectors import claim_facts, eligibility_for
from jaminanku.claims.services import pay_jht_claim
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member, resigned_member
from jaminanku.registry.models import Membership
from jaminanku.registry.tests.factories import EmploymentFactory

pytestmark = pytest.mark.django_db


def test_disability_opens_a_full_branch_claim_on_the_end_date():
    # Jan–Jun 2026 on Rp5,000,000 (JHT 285,000 a month), permanently disabled on 30/06/2026.
    membership = resigned_member(first=date(2026, 1, 1), last=date(2026, 6, 30), wage=5_000_000, reason="disability")
    facts = claim_facts(membership, today=date(2026, 6, 30))
    assert facts.active and facts.end_reason == "disability" and facts.employment_end == date(2026, 6, 30)
    answer = eligibility_for(membership, today=date(2026, 6, 30))
    assert answer.can_claim and answer.full.gross == 6 * 285_000
    assert answer.full.ground == "disability" and answer.full.channels == ("branch",)


def test_retirement_pays_online_without_a_waiting_month():
    membership = resigned_member(first=date(2026, 1, 1), last=date(2026, 3, 31), wage=5_000_000, reason="retirement")
    answer = eligibility_for(membership, today=date(2026, 4, 1))
    assert answer.full.ground == "retirement" and answer.full.online


def _working_ten_years() -> Membership:
    membership = pu_member(registered_on=date(2014, 1, 1))
    firm = employer()
    EmploymentFactory(membership=membership, employer=firm, start=date(2014, 1, 1))
    import_month(period=month(2026, 1), lines=[line(membership, 5_000_000, npp=firm.npp)])
    return membership


def _partial(membership: Membership, state: str) -> JhtClaim:
    return JhtClaim.objects.create(
        reference=new_reference(),
        person=membership.person,
        membership=membership,
        kind="partial_30",
        ground="housing",
        state=state,
        gross=85_500,
        tax=0,
        submitted_at=None if state == "draft" else datetime(2026, 2, 10, 3, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize("state", ["draft", "rejected", "withdrawn"])
def test_a_draft_rejected_or_withdrawn_partial_claim_leaves_the_partial_claim_open(state):
    membership = _working_ten_years()
    _partial(membership, state)
    answer = eligibility_for(membership, today=date(2026, 3, 1))
    assert [o.kind for o in answer.options] == ["partial_10", "partial_30"]


@pytest.mark.parametrize("state", ["submitted", "in_review", "approved", "paying", "returned"])
def test_a_partial_claim_on_its_way_counts_as_taken_from_its_submission(state):
    membership = _working_ten_years()
    _partial(membership, state)
    facts = claim_facts(membership, today=date(2026, 3, 1))
    assert facts.partial_claimed_on == date(2026, 2, 10) and not facts.partial_claim_paid
    answer = eligibility_for(membership, today=date(2026, 3, 1))
    assert not answer.can_claim and "partial_already_claimed" in answer.reason_codes
    assert "10/02/2026" in " ".join(answer.reasons)


def test_a_paid_partial_claim_counts_from_its_payment_day():
    membership = _working_ten_years()
    _partial(membership, "withdrawn")  # an earlier attempt does not get in the way
    pay_jht_claim(membership=membership, kind="partial_10", paid_on=date(2026, 3, 1))
    facts = claim_facts(membership, today=date(2026, 3, 2))
    assert facts.partial_claimed_on == date(2026, 3, 1) and facts.partial_claim_paid
