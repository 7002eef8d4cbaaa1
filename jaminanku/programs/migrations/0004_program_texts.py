from django.db import migrations

TEXTS = {
    ("JHT", "id"): ("Jaminan Hari Tua (JHT)", """Tabungan hari tua untuk peserta PU (wajib) serta BPU dan PMI (pilihan).

Iuran PU: 3,7% dari upah dibayar pemberi kerja dan 2% dipotong dari upah pekerja, tanpa batas upah. BPU: 2% dari penghasilan yang dilaporkan.

Saldo bertambah setiap 31 Desember dengan hasil pengembangan, paling sedikit setara rata-rata bunga deposito bank pemerintah.

Klaim 100%: usia 56 tahun; atau berhenti bekerja (mengundurkan diri, PHK, kontrak berakhir) setelah masa tunggu 1 bulan dan kepesertaan non-aktif. Klaim sebagian 10% atau 30% (perumahan) satu kali setelah 10 tahun kepesertaan.

Pajak: 0% sampai Rp 50.000.000 dan 5% atas kelebihannya bila dibayar sekaligus.

Dokumen: kartu peserta (KPJ), e-KTP, kartu keluarga, buku tabungan, surat keterangan berhenti bekerja, NPWP bila saldo di atas Rp 50.000.000."""),
    ("JHT", "en"): ("Old-age savings (JHT)", """Savings for old age: compulsory for wage earners (PU), optional for BPU and PMI members.

PU contributions: 3.7% of the wage paid by the employer and 2% deducted from the worker's wage, with no wage cap. BPU: 2% of the declared income.

The balance grows every 31 December with the development return, at least the average deposit rate of state banks.

Full claim: at 56; or after leaving work (resignation, dismissal, end of contract) once a 1-month waiting period has passed and the membership is non-active. A partial claim of 10% or 30% (housing) once, after 10 years of membership.

Tax: 0% up to Rp 50,000,000 and 5% on the excess when paid at once.

Documents: membership card (KPJ), e-KTP, family card, bank book, letter of leaving work, NPWP if the balance is above Rp 50,000,000."""),
    ("JKK", "id"): ("Jaminan Kecelakaan Kerja (JKK)", """Perlindungan atas kecelakaan kerja dan penyakit akibat kerja, untuk semua segmen.

Iuran PU dibayar pemberi kerja sesuai kelas risiko: 0,24%, 0,54%, 0,89%, 1,27% atau 1,74% dari upah. BPU: 1% dari penghasilan.

Manfaat: perawatan sesuai kebutuhan medis tanpa batas biaya, upah selama tidak mampu bekerja (100% 12 bulan pertama, lalu 50%), santunan kematian {jkk_death_months} kali upah, dan beasiswa untuk 2 anak sampai {jkm_scholarship}.

Laporkan kecelakaan melalui pemberi kerja paling lambat 2 x 24 jam."""),
    ("JKM", "id"): ("Jaminan Kematian (JKM)", """Santunan bagi ahli waris bila peserta meninggal bukan karena kecelakaan kerja.

Iuran PU 0,30% dari upah dibayar pemberi kerja; BPU Rp 6.800 per bulan.

Manfaat tunai {jkm_total} (santunan sekaligus, santunan berkala 24 bulan dibayar sekaligus, dan biaya pemakaman), serta beasiswa untuk 2 anak sampai {jkm_scholarship} bila iuran sudah 3 tahun.

Dokumen: kartu peserta, akta kematian, surat keterangan ahli waris, KTP dan KK ahli waris."""),
    ("JP", "id"): ("Jaminan Pensiun (JP)", """Pensiun bulanan untuk peserta PU di bawah usia pensiun.

Iuran 2% dibayar pemberi kerja dan 1% dipotong dari upah, dihitung dari upah paling tinggi {jp_wage_cap} sebulan (batas upah JP yang berlaku).

Dengan iuran paling sedikit 15 tahun (180 bulan), manfaat bulanan = 1% × masa iuran/12 × rata-rata upah setahun, dibagi 12; paling sedikit {jp_min} dan paling banyak {jp_max} sebulan. Kurang dari 15 tahun: iuran dan hasil pengembangannya dibayar sekaligus.

Usia pensiun naik 1 tahun setiap 3 tahun sampai 65 tahun pada 2043."""),
    ("JKP", "id"): ("Jaminan Kehilangan Pekerjaan (JKP)", """Manfaat bagi peserta PU yang terkena pemutusan hubungan kerja.

Tidak ada iuran tambahan: dibiayai pemerintah dan rekomposisi dari iuran JKK (dan JKM sampai 6 Februari 2025).

Manfaat sejak 7 Februari 2025: uang tunai 60% dari upah terakhir (upah paling tinggi Rp 5.000.000) sampai 6 bulan, informasi pasar kerja dan pelatihan kerja. Ajukan paling lambat 6 bulan setelah PHK."""),
}


def load(apps, schema_editor):
    text = apps.get_model("programs", "ProgramText")
    for (program, language), (title, body) in TEXTS.items():
        if not text.objects.filter(program=program, language=language).exists():
            text.objects.create(program=program, language=language, title=title, body=body)


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_programtext")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
