"""NIK (Nomor Induk Kependudukan) checks, exactly as RULES.md says.

Written by hand because no library knows the Dukcapil layout: 2 province digits (must exist in the region
data), 2 regency and 2 district digits (unknown ones only warn: old codes stay valid), DDMMYY birth date with
day + 40 for women (a day that exists in 19YY or 20YY), then a 4-digit serial that is never 0000. A NIK whose
date disagrees with the recorded date of birth is valid but flagged (PP 40/2019 art. 30(2) keeps such NIKs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from jaminanku.registry.regions import RegionCodes, region_codes

_NIK_RE = re.compile(r"^\d{16}$")


@dataclass
class NikCheck:
    nik: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex: str | None = None  # "M" or "F", from the day digits
    birth_day: int | None = None
    birth_month: int | None = None
    birth_year_2: int | None = None
    date_mismatch: bool = False

    @property
    def valid(self) -> bool:
        return not self.errors


def normalise_nik(raw: str) -> str:
    """Strips the spaces, dots and dashes people type between groups."""
    return re.sub(r"[\s.\-]", "", raw or "")


def check_nik(
    raw: str,
    *,
    date_of_birth: date | None = None,
    sex: str | None = None,
    known_codes: RegionCodes | None = None,
) -> NikCheck:
    """Checks a NIK; `known_codes` is (provinces, regencies, districts), every code the region data has issued
    when not given."""
    nik = normalise_nik(raw)
    result = NikCheck(nik=nik)
    if not _NIK_RE.match(nik):
        result.errors.append(str(_("NIK harus terdiri dari tepat 16 angka.")))
        return result
    _check_region(result, known_codes if known_codes is not None else region_codes())
    _read_birth_date(result)
    if nik[12:] == "0000":
        result.errors.append(str(_("Nomor urut NIK tidak boleh 0000.")))
    if not result.errors:
        _compare_with_record(result, date_of_birth=date_of_birth, sex=sex)
    return result


def _check_region(result: NikCheck, known_codes: RegionCodes) -> None:
    """An unknown province is an error; an unknown regency or district only a warning (old codes stay valid)."""
    nik = result.nik
    provinces, regencies, districts = known_codes
    if nik[:2] not in provinces:
        result.errors.append(str(_("Kode provinsi NIK (%(code)s) tidak dikenal.") % {"code": nik[:2]}))
    elif nik[:4] not in regencies:
        result.warnings.append(
            str(_("Kode kabupaten/kota NIK (%(code)s) tidak ada di data wilayah.") % {"code": nik[:4]})
        )
    elif nik[:6] not in districts:
        result.warnings.append(str(_("Kode kecamatan NIK (%(code)s) tidak ada di data wilayah.") % {"code": nik[:6]}))


def _read_birth_date(result: NikCheck) -> None:
    """Reads sex, day, month and two-digit year from the DDMMYY digits (day + 40 for women)."""
    nik = result.nik
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= day <= 31:
        result.sex, result.birth_day = "M", day
    elif 41 <= day <= 71:
        result.sex, result.birth_day = "F", day - 40
    else:
        result.errors.append(str(_("Tanggal lahir pada NIK harus 01–31 (laki-laki) atau 41–71 (perempuan).")))
    if 1 <= month <= 12:
        result.birth_month = month
    else:
        result.errors.append(str(_("Bulan lahir pada NIK harus 01–12.")))
    result.birth_year_2 = year2
    if result.birth_day and result.birth_month and not _date_exists(result.birth_day, result.birth_month, year2):
        result.errors.append(
            str(
                _("Tanggal lahir pada NIK (%(date)s) tidak ada di kalender.")
                % {"date": f"{result.birth_day:02d}-{month:02d}-{year2:02d}"}
            )
        )


def _compare_with_record(result: NikCheck, *, date_of_birth: date | None, sex: str | None) -> None:
    """A valid NIK whose date or sex disagrees with the record is flagged, not refused (PP 40/2019 art. 30(2))."""
    if date_of_birth is not None and (
        date_of_birth.day != result.birth_day
        or date_of_birth.month != result.birth_month
        or date_of_birth.year % 100 != result.birth_year_2
    ):
        result.date_mismatch = True
        result.warnings.append(str(_("Tanggal lahir pada NIK berbeda dengan tanggal lahir yang tercatat.")))
    if sex is not None and result.sex is not None and sex != result.sex:
        result.date_mismatch = True
        result.warnings.append(str(_("Jenis kelamin pada NIK berbeda dengan yang tercatat.")))


def _date_exists(day: int, month: int, year2: int) -> bool:
    """Whether DD-MM-YY names a real day in 19YY or in 20YY: the NIK does not say the century, so 29-02-00 is
    valid (2000 was a leap year) while 29-02-01 is not (neither 1901 nor 2001 was)."""
    for century in (1900, 2000):
        try:
            date(century + year2, month, day)
        except ValueError:
            continue
        return True
    return False
