"""JHT claim eligibility with worked examples (amounts and dates computed by hand)."""

from datetime import date

import pytest
from django.utils import translation

from jaminanku.claims.eligibility import ClaimFacts, assess, jht_tax

TODAY = date(2026, 11, 24)


def facts(**overrides):
    base = dict(
        today=TODAY,
        date_of_birth=date(1990, 5, 17),  # 36 years old
        segment="PU",
        balance=20_000_000,
        active=True,
        member_since=date(2020, 1, 1),
    )
    return ClaimFacts(**(base | overrides))


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def test_active_worker_cannot_claim_and_is_told_why():
    answer = assess(facts())
    assert not answer.can_claim and not answer.options
    assert "still_active" in answer.reason_codes
    assert "masih aktif bekerja" in " ".join(answer.reasons)


def test_just_resigned_waits_one_month_from_the_end_date():
    # Ended 12/12/2026 (as of 20/12/2026): claim opens 12/01/2027.
    answer = assess(
        facts(today=date(2026, 12, 20), active=False, employment_end=date(2026, 12, 12), end_reason="resignation")
    )
    assert not answer.can_claim
    assert answer.full_claim_from == date(2027, 1, 12)
    assert "Masa tunggu 1 bulan sampai 12/01/2027" in " ".join(answer.reasons)


def test_one_month_after_resignation_the_full_balance_is_claimable():
    answer = assess(
        facts(today=date(2027, 1, 12), active=False, employment_end=date(2026, 12, 12), end_reason="resignation")
    )
    assert answer.can_claim
    assert answer.full.gross == 20_000_000 and answer.full.tax == 0 and answer.full.net == 20_000_000


def test_dismissal_and_end_of_contract_follow_the_same_waiting_period():
    for reason in ["dismissal", "end_of_contract"]:
        answer = assess(facts(active=False, employment_end=date(2026, 9, 30), end_reason=reason))
        assert answer.can_claim, reason


def test_age_56_claims_in_full_even_while_working():
    answer = assess(facts(date_of_birth=date(1970, 11, 24), active=True))  # 56 today
    assert answer.can_claim and answer.full.percent == 100


def test_day_before_56th_birthday_is_not_yet_full():
    answer = assess(facts(date_of_birth=date(1970, 11, 25), active=True, member_since=date(2020, 1, 1)))
    assert answer.full is None and answer.full_claim_from == date(2026, 11, 25)


def test_ten_years_membership_allows_partial_10_or_30_percent_while_working():
    # Balance 20,000,000: 10 % = 2,000,000; 30 % = 6,000,000; both under Rp50 M so no tax.
    answer = assess(facts(member_since=date(2016, 11, 24)))
    assert answer.can_claim and answer.full is None
    assert [(o.kind, o.gross, o.tax) for o in answer.options] == [
        ("partial_10", 2_000_000, 0),
        ("partial_30", 6_000_000, 0),
    ]


def test_nine_years_membership_says_when_partial_opens():
    answer = assess(facts(member_since=date(2017, 3, 1)))
    assert not answer.can_claim
    assert "01/03/2027" in " ".join(answer.reasons)


def test_partial_claim_only_once():
    answer = assess(facts(member_since=date(2010, 1, 1), partial_claimed_on=date(2024, 2, 3)))
    assert not answer.can_claim
    assert "partial_already_claimed" in answer.reason_codes and "03/02/2024" in " ".join(answer.reasons)


def test_tax_below_and_above_50_million():
    assert jht_tax(50_000_000) == 0
    assert jht_tax(49_999_999) == 0
    # 80,000,000 − 50,000,000 = 30,000,000 × 5 % = 1,500,000
    assert jht_tax(80_000_000) == 1_500_000
    # 50,000,010 → 10 × 5 % = 0.5 → rounds half up to 1
    assert jht_tax(50_000_010) == 1


def test_full_claim_above_50_million_withholds_5_percent_of_the_excess():
    answer = assess(
        facts(balance=120_000_000, active=False, employment_end=date(2026, 1, 31), end_reason="resignation")
    )
    # (120,000,000 − 50,000,000) × 5 % = 3,500,000
    assert answer.full.tax == 3_500_000 and answer.full.net == 116_500_000


def test_death_is_a_full_branch_claim_for_heirs():
    answer = assess(facts(active=False, employment_end=date(2026, 1, 31), end_reason="death"))
    assert answer.can_claim and answer.full.ground == "death" and answer.full.channels == ("branch",)


def test_an_end_reason_the_rules_do_not_know_goes_to_a_branch():
    answer = assess(facts(active=False, employment_end=date(2026, 1, 31), end_reason="something_else"))
    assert not answer.can_claim and "branch_only_reason" in answer.reason_codes


def test_bpu_member_who_stopped_paying_claims_after_a_month():
    answer = assess(facts(segment="BPU", active=False, lapsed_on=date(2026, 10, 1)))
    assert answer.can_claim and answer.full_claim_from == date(2026, 11, 1)


def test_empty_balance_has_nothing_to_claim():
    answer = assess(facts(balance=0, active=False, employment_end=date(2025, 1, 1), end_reason="resignation"))
    assert not answer.can_claim and answer.reason_codes == ["no_balance"]


def test_reasons_in_english_when_chosen():
    with translation.override("en"):
        answer = assess(
            facts(today=date(2026, 12, 20), active=False, employment_end=date(2026, 12, 12), end_reason="resignation")
        )
    assert "1-month waiting period until 12/01/2027" in " ".join(answer.reasons)
