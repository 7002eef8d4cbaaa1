"""Loads the rate tables with their sources (FACTS.md §3, §4, §5.1; RULES.md). Figures marked DERIVED were
worked out, not read; figures marked ASSUMED are placeholders until the official figure is known. Staff edit
these rows in the admin; this migration only seeds them."""

from datetime import date

from django.db import migrations

F31 = "FACTS.md §3.1"
PP14 = "rates unchanged from PP 14/1993 (Jamsostek) — start date from memory, verify"

# (program, party, segment, risk_class, rate_ppm, flat_amount, effective_from, effective_to, source)
RATES = [
    ("JHT", "employer", "PU", None, 37_000, None, date(1993, 2, 27), None,
     f"PP 46/2015 (from 1 Jul 2015), {PP14}; rbtv.disway.id 2023; pasardana 2017 ({F31})"),
    ("JHT", "worker", "PU", None, 20_000, None, date(1993, 2, 27), None,
     f"PP 46/2015 (from 1 Jul 2015), {PP14}; rbtv.disway.id 2023; pasardana 2017 ({F31})"),
    *[
        ("JKK", "employer", "PU", risk, ppm, None, date(1993, 2, 27), None,
         f"PP 44/2015, risk class {risk}, {PP14}; fame.grid.id 2024 ({F31})")
        for risk, ppm in [(1, 2_400), (2, 5_400), (3, 8_900), (4, 12_700), (5, 17_400)]
    ],
    ("JKM", "employer", "PU", None, 3_000, None, date(1993, 2, 27), None,
     f"PP 44/2015, {PP14}; fame.grid.id 2024 ({F31})"),
    ("JP", "employer", "PU", None, 20_000, None, date(2015, 7, 1), None,
     f"PP 45/2015, on the wage capped at the JP wage cap; suaraindonesia 2024 ({F31})"),
    ("JP", "worker", "PU", None, 10_000, None, date(2015, 7, 1), None,
     f"PP 45/2015, on the wage capped at the JP wage cap; suaraindonesia 2024 ({F31})"),
    ("JKP", "government", "PU", None, 2_200, None, date(2021, 2, 2), None,
     f"PP 37/2021; unchanged by PP 6/2025; fame.grid.id 2024; okezone 2025-02-17 ({F31}). Allocation, not paid by the employer"),
    ("JKP", "from_jkk", "PU", None, 1_400, None, date(2021, 2, 2), None,
     f"PP 37/2021 recomposition out of JKK; unchanged by PP 6/2025 ({F31}). Allocation, not paid by the employer"),
    ("JKP", "from_jkm", "PU", None, 1_000, None, date(2021, 2, 2), date(2025, 2, 6),
     f"PP 37/2021 recomposition out of JKM, ended by PP 6/2025 from 7 Feb 2025; okezone 2025-02-17; "
     f"kaltenglima.com 2025 ({F31}). Allocation, not paid by the employer"),
    ("JKK", "worker", "BPU", None, 10_000, None, date(2015, 7, 1), None,
     "PP 44/2015: 1 % of the declared income; gridstar 2023 (FACTS.md §3.3)"),
    ("JKM", "worker", "BPU", None, 0, 6_800, date(2015, 7, 1), None,
     "PP 44/2015: flat Rp6,800 a month; gridstar 2023; bpjsketenagakerjaan.go.id/berita/28039 (FACTS.md §3.3)"),
    ("JHT", "worker", "BPU", None, 20_000, None, date(2015, 7, 1), None,
     "PP 46/2015: 2 % of the declared income, if the member opted into JHT; gridstar 2023 (FACTS.md §3.3)"),
    ("JHT", "worker", "PMI", None, 1_000_000, None, date(2023, 2, 22), None,
     "Permenaker 4/2023 art. 18: optional JHT of the member's chosen monthly amount, taken 100 %; pasal.id; "
     "tirto.id 2023-03-03 (FACTS.md §3.5). JKK/JKM placement packages are out of scope"),
]

KRISHAND = "krishandsoftware.com (2020); effective 1 March per PP 45/2015 art. 29(4) (month assumed)"
# (program, segment, kind, amount, effective_from, source)
CAPS = [
    ("JP", "PU", "cap", 7_000_000, date(2015, 7, 1), "PP 45/2015; krishandsoftware.com (2020) (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 7_335_300, date(2016, 3, 1), KRISHAND),
    ("JP", "PU", "cap", 7_703_500, date(2017, 3, 1), KRISHAND),
    ("JP", "PU", "cap", 8_094_000, date(2018, 3, 1), KRISHAND),
    ("JP", "PU", "cap", 8_512_400, date(2019, 3, 1), KRISHAND),
    ("JP", "PU", "cap", 8_939_700, date(2020, 3, 1),
     "DERIVED: 8,512,400 × 1.0502 (2019 GDP growth 5.02 %), rounded down to Rp100 (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 8_754_600, date(2021, 3, 1),
     "DERIVED: 8,939,700 × (1 − 2.07 %), consistent with the 2022 figure (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 9_077_600, date(2022, 3, 1), "intercom.help (Gadjian) 2023 (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 9_559_600, date(2023, 3, 1), "Gadjian 2023 (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 10_042_300, date(2024, 3, 1),
     "suaraindonesia.co.id 2024-04-29 (BPJS Bojonegoro); krishand.com (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 10_547_400, date(2025, 3, 1),
     "payroll repos on GitHub (a test asserting 2025-03-01 → 10547400) (FACTS.md §3.2)"),
    ("JP", "PU", "cap", 11_086_300, date(2026, 3, 1),
     "payroll repos citing BPJS TK letters of Feb 2026; one page gives 10,547,000 — VERIFY (FACTS.md §3.2)"),
    ("JKP", "PU", "cap", 5_000_000, date(2021, 2, 2),
     "PP 37/2021 art. 11: JKP contribution base capped at Rp5,000,000 (from the regulation text as remembered; "
     "FACTS.md §5.4 records the same Rp5 M cap for the benefit) — VERIFY"),
    ("", "BPU", "min", 1_000_000, date(2015, 7, 1),
     "Lowest declared income Rp1,000,000, implied by the Rp16,800 package (bpjsketenagakerjaan.go.id/berita/28039; "
     "FACTS.md §3.3)"),
    ("JHT", "PMI", "min", 50_000, date(2023, 2, 22), "Permenaker 4/2023: JHT Rp50,000–600,000 a month (FACTS.md §3.5)"),
    ("JHT", "PMI", "max", 600_000, date(2023, 2, 22), "Permenaker 4/2023: JHT Rp50,000–600,000 a month (FACTS.md §3.5)"),
]

ASSUMED_NOTE = "ASSUMED — not an officially credited rate"
# (year, rate_ppm, assumed, source)
DEVELOPMENT = [
    *[
        (year, 101_000, True,
         f"{ASSUMED_NOTE}: 10.10 % reported as credited for 2011–2012 in the PT Jamsostek era (solopos.com 2012-12; "
         "FACTS.md §4); RULES.md treats only 2016 as sourced")
        for year in (2010, 2011, 2012)
    ],
    *[
        (year, 90_000, True, f"{ASSUMED_NOTE}: between the 2012 (10.10 %) and 2016 (7.19 %) figures (FACTS.md §4)")
        for year in (2013, 2014, 2015)
    ],
    (2016, 71_900, False,
     "Credited rate 7.19 % (vs 4.88 % average 12-month state-bank deposit): pasardana.id 2017-02-08; semarak.co 2017 "
     "(FACTS.md §4)"),
    *[
        (year, 70_000, True, f"{ASSUMED_NOTE}: close to the 2016 credited rate (FACTS.md §4)")
        for year in (2017, 2018, 2019, 2020)
    ],
    (2021, 64_000, True,
     f"{ASSUMED_NOTE}: DERIVED fund-level yield ≈6.4 % (investment income Rp24 T ÷ JHT fund Rp372.5 T, "
     "detik 2022-02-18; FACTS.md §4)"),
    (2022, 65_000, True, f"{ASSUMED_NOTE}: between the 2021 and 2023 fund-level yields (FACTS.md §4)"),
    (2023, 67_000, True,
     f"{ASSUMED_NOTE}: DERIVED fund-level yield ≈6.7 % (JHT investment income Rp30.35 T ÷ JHT fund Rp452.19 T, "
     "inews/Bisnis 2024-07-08; FACTS.md §4)"),
    *[
        (year, 67_000, True, f"{ASSUMED_NOTE}: the 2023 fund-level yield carried forward (FACTS.md §4)")
        for year in (2024, 2025)
    ],
]

PP45 = "PP 45/2015 art. 15; riau.info 2025-01-08; wmhg.org 2025 (FACTS.md §5.1)"
PENSION_AGES = [
    (date(2015, 7, 1), 56, f"{PP45}: 56 from the start of JP"),
    (date(2019, 1, 1), 57, f"{PP45}: 57 from 1 January 2019"),
    *[
        (date(2019 + 3 * step, 1, 1), 57 + step, f"{PP45}: +1 year every 3 years up to 65 in 2043")
        for step in range(1, 9)
    ],
]


def load(apps, schema_editor):
    ContributionRate = apps.get_model("contributions", "ContributionRate")
    WageCap = apps.get_model("contributions", "WageCap")
    DevelopmentRate = apps.get_model("contributions", "DevelopmentRate")
    PensionAge = apps.get_model("contributions", "PensionAge")
    ContributionRate.objects.bulk_create(
        ContributionRate(
            program=program, party=party, segment=segment, risk_class=risk, rate_ppm=ppm, flat_amount=flat,
            effective_from=start, effective_to=end, source=source,
        )
        for program, party, segment, risk, ppm, flat, start, end, source in RATES
    )
    WageCap.objects.bulk_create(
        WageCap(program=program, segment=segment, kind=kind, amount=amount, effective_from=start, source=source)
        for program, segment, kind, amount, start, source in CAPS
    )
    DevelopmentRate.objects.bulk_create(
        DevelopmentRate(year=year, rate_ppm=ppm, assumed=assumed, source=source)
        for year, ppm, assumed, source in DEVELOPMENT
    )
    PensionAge.objects.bulk_create(
        PensionAge(effective_from=start, age=age, source=source) for start, age, source in PENSION_AGES
    )


def unload(apps, schema_editor):
    for name in ("ContributionRate", "WageCap", "DevelopmentRate", "PensionAge"):
        apps.get_model("contributions", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("contributions", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
