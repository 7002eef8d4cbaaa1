"""New versions of the program texts: a short lead each, in Indonesian and English. The page's sections (who is
covered, benefits, rates, how to claim, legal basis) are now built from the rate and benefit tables and the
translated guide in `programs.content`, so the old one-paragraph texts, which typed the rates themselves, are kept
only as history."""

from django.db import migrations

LEADS = {
    ("JHT", "id"): (
        "Jaminan Hari Tua (JHT)",
        "Tabungan hari tua: iuran setiap bulan dan hasil pengembangannya dibayarkan kepada peserta saat usia "
        "pensiun, berhenti bekerja, cacat total tetap, atau kepada ahli waris bila peserta meninggal dunia.",
    ),
    ("JHT", "en"): (
        "Old-age savings (JHT)",
        "Savings for old age: the monthly contributions and their development return are paid to the member at "
        "retirement age, on leaving work or total permanent disability, or to the heirs if the member dies.",
    ),
    ("JKK", "id"): (
        "Jaminan Kecelakaan Kerja (JKK)",
        "Perlindungan atas kecelakaan kerja dan penyakit akibat kerja: perawatan sampai sembuh, upah selama tidak "
        "mampu bekerja, dan santunan bila cacat atau meninggal dunia.",
    ),
    ("JKK", "en"): (
        "Work accident protection (JKK)",
        "Protection against work accidents and occupational diseases: care until recovery, wages while unable to "
        "work, and benefits on disability or death.",
    ),
    ("JKM", "id"): (
        "Jaminan Kematian (JKM)",
        "Santunan tunai dan beasiswa bagi ahli waris bila peserta meninggal dunia bukan karena kecelakaan kerja.",
    ),
    ("JKM", "en"): (
        "Death benefit (JKM)",
        "Cash benefits and scholarships for the heirs when a member dies of a cause other than a work accident.",
    ),
    ("JP", "id"): (
        "Jaminan Pensiun (JP)",
        "Penghasilan bulanan bagi peserta penerima upah yang mencapai usia pensiun, mengalami cacat, atau bagi "
        "janda, duda, anak, atau orang tuanya bila peserta meninggal dunia.",
    ),
    ("JP", "en"): (
        "Pension (JP)",
        "A monthly income for wage-earning members who reach pension age or become disabled, or for their widow, "
        "widower, children or parents if the member dies.",
    ),
    ("JKP", "id"): (
        "Jaminan Kehilangan Pekerjaan (JKP)",
        "Uang tunai, informasi pasar kerja, dan pelatihan kerja bagi peserta penerima upah yang terkena pemutusan "
        "hubungan kerja, tanpa iuran tambahan.",
    ),
    ("JKP", "en"): (
        "Job-loss benefit (JKP)",
        "Cash, labour-market information and job training for wage-earning members who are dismissed, at no extra "
        "contribution.",
    ),
}


def load(apps, schema_editor):
    text = apps.get_model("programs", "ProgramText")
    for (program, language), (title, body) in LEADS.items():
        if not text.objects.filter(program=program, language=language, body=body).exists():
            text.objects.create(program=program, language=language, title=title, body=body)


class Migration(migrations.Migration):
    dependencies = [("programs", "0004_program_texts")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
