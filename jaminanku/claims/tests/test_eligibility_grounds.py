"""Every kind of full claim and its ground and channels (RULES.md "JHT claims"), as the pure rules answer them."""

from datetime import date

import pytest
from django.utils import translation

from jaminanku.claims.eligibility import ClaimFacts, assess, describe

TODAY = date(2026, 11, 24)


def facts(**overrides: object) -> ClaimFacts:
    base: dict[str, object] = dict(
        today=TODAY,
        date_of_birth=date(1990, 5, 17),  # 36 years old
        segment="PU",
        balance=20_000_000,
        active=False,
        member_since=date(2020, 1, 1),
    )
    return ClaimFacts(**(base | overrides))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize("reason", ["disability", "emigration", "death"])
def test_disability_emigration_and_death_pay_in_full_at_once_at_a_branch(reason):
    # Ended yesterday: no waiting month, and the status need not have turned non-active yet.
    answer = assess(facts(active=True, employment_end=date(2026, 11, 23), end_reason=reason))
    assert answer.can_claim and answer.reason_codes == []
    assert (answer.full.ground, answer.full.percent, answer.full.gross) == (reason, 100, 20_000_000)
    assert answer.full.channels == ("branch",) and not answer.full.online
    assert answer.full_claim_from == date(2026, 11, 23)
    assert [o.kind for o in answer.options] == ["full"]


def test_disability_recorded_ahead_opens_on_its_day():
    answer = assess(facts(active=True, employment_end=date(2026, 12, 1), end_reason="disability"))
    assert not answer.can_claim and answer.full_claim_from == date(2026, 12, 1)


def test_retirement_at_the_employers_pension_age_pays_at_once_and_online():
    answer = assess(facts(date_of_birth=date(1971, 3, 2), employment_end=date(2026, 11, 20), end_reason="retirement"))
    assert answer.can_claim and answer.full.ground == "retirement"
    assert answer.full.channels == ("online", "branch") and answer.full.online


@pytest.mark.parametrize("reason", ["resignation", "dismissal", "end_of_contract"])
def test_end_of_work_after_the_waiting_month_is_its_own_ground_online_allowed(reason):
    answer = assess(facts(employment_end=date(2026, 10, 24), end_reason=reason))
    assert answer.can_claim and answer.full.ground == reason and answer.full.online


def test_resignation_the_day_before_the_waiting_month_ends_is_not_yet():
    answer = assess(facts(employment_end=date(2026, 10, 25), end_reason="resignation"))
    assert not answer.can_claim and answer.reason_codes[0] == "waiting_period"
    assert answer.full_claim_from == date(2026, 11, 25)


@pytest.mark.parametrize("segment", ["BPU", "PMI"])
def test_bpu_and_pmi_members_who_stopped_claim_on_the_ground_stopped(segment):
    answer = assess(facts(segment=segment, lapsed_on=date(2026, 9, 1)))
    assert answer.can_claim and answer.full.ground == "stopped" and answer.full.online


def test_age_56_is_the_ground_even_while_working_and_before_an_end_reason():
    working = assess(facts(date_of_birth=date(1970, 11, 24), active=True))
    assert working.full.ground == "age" and working.full.online
    retired = assess(facts(date_of_birth=date(1969, 1, 1), employment_end=date(2026, 1, 1), end_reason="retirement"))
    assert retired.full.ground == "age"
    resigned = assess(facts(date_of_birth=date(1969, 1, 1), employment_end=date(2026, 1, 1), end_reason="resignation"))
    assert resigned.full.ground == "age"


def test_death_outranks_age_because_the_heirs_claim_at_a_branch():
    answer = assess(facts(date_of_birth=date(1960, 1, 1), employment_end=date(2026, 11, 1), end_reason="death"))
    assert answer.full.ground == "death" and answer.full.channels == ("branch",)


def test_disabled_member_over_56_may_claim_online_on_age():
    answer = assess(facts(date_of_birth=date(1960, 1, 1), employment_end=date(2026, 11, 1), end_reason="disability"))
    assert answer.full.ground == "age" and answer.full.online


def test_partial_options_carry_their_grounds_and_both_channels():
    answer = assess(facts(active=True, member_since=date(2016, 1, 1)))
    assert [(o.kind, o.ground, o.percent, o.channels) for o in answer.options] == [
        ("partial_10", "preparation", 10, ("online", "branch")),
        ("partial_30", "housing", 30, ("online", "branch")),
    ]
    assert answer.option("partial_30").gross == 6_000_000 and answer.option("full") is None


def test_a_partial_claim_on_its_way_counts_as_taken():
    pending = dict(partial_claimed_on=date(2026, 11, 2), partial_claim_paid=False)
    answer = assess(facts(active=True, member_since=date(2010, 1, 1), **pending))
    assert not answer.can_claim and answer.reason_codes == ["still_active", "partial_already_claimed"]
    assert "sudah diajukan pada 02/11/2026" in " ".join(answer.reasons)


def test_describe_says_when_a_claim_is_made_at_a_branch():
    branch = assess(facts(employment_end=date(2026, 11, 1), end_reason="emigration")).full
    online = assess(facts(employment_end=date(2026, 9, 1), end_reason="resignation")).full
    assert describe(branch).endswith("(diajukan di kantor cabang)")
    assert "kantor cabang" not in describe(online)
