"""NIK checks as RULES.md states them, with NIKs built by hand from real region codes."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jaminanku.registry.models import Person
from jaminanku.registry.nik import check_nik

# 3201 = Kabupaten Bogor, 320101 = Cibinong (both in the shipped region data).
pytestmark = pytest.mark.django_db


def test_man_born_17_august_1985_is_valid_and_male():
    result = check_nik("3201011708850001", date_of_birth=date(1985, 8, 17), sex="M")
    assert result.valid and result.sex == "M" and not result.date_mismatch
    assert (result.birth_day, result.birth_month, result.birth_year_2) == (17, 8, 85)


def test_woman_has_day_plus_40():
    result = check_nik("3201015708850002", date_of_birth=date(1985, 8, 17), sex="F")
    assert result.valid and result.sex == "F" and result.birth_day == 17 and not result.date_mismatch


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "99"])
def test_day_outside_both_ranges_is_rejected(day):
    assert not check_nik(f"320101{day}08850001").valid


def test_month_13_is_rejected():
    assert not check_nik("3201011713850001").valid


def test_unknown_province_is_rejected():
    result = check_nik("9901011708850001")
    assert not result.valid and "99" in result.errors[0]


def test_unknown_regency_or_district_only_warns():
    result = check_nik("3299011708850001")
    assert result.valid and result.warnings
    result = check_nik("3201991708850001")
    assert result.valid and result.warnings


def test_old_regency_code_from_an_earlier_edition_is_known():
    # 9101 (Merauke, in Papua before the 2022 split) is kept with current = 0.
    result = check_nik("9101011708850001")
    assert result.valid and not result.warnings


def test_serial_0000_is_rejected():
    assert not check_nik("3201011708850000").valid


@pytest.mark.parametrize("raw", ["", "123", "32010117088500011", "3201O11708850001", "3201 0117 0885 000x"])
def test_wrong_length_or_letters_are_rejected(raw):
    assert not check_nik(raw).valid


def test_spaces_and_dots_are_ignored():
    assert check_nik("3201.0117 0885-0001").nik == "3201011708850001"


def test_date_disagreement_is_valid_but_flagged():
    result = check_nik("3201011708850001", date_of_birth=date(1985, 8, 18), sex="M")
    assert result.valid and result.date_mismatch and result.warnings


def test_sex_disagreement_is_flagged():
    result = check_nik("3201011708850001", date_of_birth=date(1985, 8, 17), sex="F")
    assert result.valid and result.date_mismatch


# --- dates that do not exist (RULES.md decision: no registry issues them) ------------------------------------
@pytest.mark.parametrize(
    "nik",
    [
        "3201013102850001",  # 31 February 1985
        "3201017102850001",  # a woman's day 71 = 31 + 40, in February
        "3201013104850001",  # 31 April
        "3201017106850001",  # a woman's 31 June
        "3201012902010001",  # 29 February 01: neither 1901 nor 2001 was a leap year
        "3201016902850001",  # a woman's 29 February 85: neither 1985 nor 2085 is a leap year
        "3201013002000001",  # 30 February exists in no year
    ],
)
def test_a_date_part_that_is_no_calendar_date_is_rejected(nik):
    result = check_nik(nik)
    assert not result.valid
    assert any("tidak ada di kalender" in error for error in result.errors), result.errors


@pytest.mark.parametrize(
    "nik",
    [
        "3201012902000001",  # 29 February 00: 2000 was a leap year (1900 was not; one century is enough)
        "3201012902960001",  # 29 February 96: 1996
        "3201016902040001",  # a woman's 29 February 04: 2004
        "3201017101850001",  # a woman's day 71 in January: 31 January
        "3201013112850001",  # 31 December
    ],
)
def test_a_date_part_that_exists_in_19yy_or_20yy_is_accepted(nik):
    assert check_nik(nik).valid


def test_the_impossible_date_is_named_in_the_message_in_both_languages():
    with translation.override("id"):
        assert check_nik("3201017102850001").errors == ["Tanggal lahir pada NIK (31-02-85) tidak ada di kalender."]
    with translation.override("en"):
        assert check_nik("3201017102850001").errors == [
            "The date of birth in the NIK (31-02-85) does not exist in the calendar."
        ]


def test_the_registry_form_refuses_a_person_whose_nik_date_does_not_exist():
    person = Person(full_name="Siti Rahayu", date_of_birth=date(1985, 2, 28), sex="F", nik="3201017102850001")
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "tidak ada di kalender" in str(refused.value.message_dict["nik"])
