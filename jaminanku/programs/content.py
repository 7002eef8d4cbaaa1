"""Program pages: for each program a staff-written lead (the newest ProgramText version per language), then what a
member asks: who is covered, what it pays and when, the contribution rates, how to claim, and the legal basis,
with the program's calculators on the same page.

The sections are Indonesian source strings (English in the .po). Every figure that lives in a table or a rule is
filled in when the page is shown — rates and wage caps from the rate tables, benefit amounts from BenefitFigure,
the pension age from its table, claim rules from the claims rules — so a new row changes the page without anyone
retyping it. Regulations are cited as FACTS.md and RULES.md give them.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jaminanku.claims.eligibility import FULL_CLAIM_AGE, PARTIAL_CLAIM_YEARS, TAX_FREE_LIMIT, TAX_RATE_PERCENT
from jaminanku.contributions.models import PensionAge, Program, RateSegment
from jaminanku.contributions.periods import month_start
from jaminanku.contributions.rates import RateSchedule
from jaminanku.core.money import format_rupiah
from jaminanku.programs.calculators import JP_PENSION_MONTHS, figure
from jaminanku.programs.models import ProgramText
from jaminanku.programs.selectors import RateRow, program_rates


def figures(on: date | None = None) -> dict[str, str]:
    """Every figure a program text may name, formatted for display, by placeholder name."""
    on = on or timezone.localdate()
    # the caps the contributions of this month are computed with
    caps = RateSchedule.resolve(period=month_start(on), segment=RateSegment.PU).caps
    jp_cap, jkp_cap = caps.get(Program.JP), caps.get(Program.JKP)
    ages = list(PensionAge.objects.order_by("effective_from").values_list("effective_from", "age"))
    age_now = next((age for start, age in reversed(ages) if start <= on), None)
    lump, periodic, funeral = (figure(n, on) for n in ("jkm_lump_sum", "jkm_periodic", "jkm_funeral"))
    return {
        "jp_wage_cap": format_rupiah(jp_cap) if jp_cap else "–",
        "jkp_wage_cap": format_rupiah(jkp_cap) if jkp_cap else "–",
        "jp_min": format_rupiah(figure("jp_min_monthly", on)),
        "jp_max": format_rupiah(figure("jp_max_monthly", on)),
        "jp_pension_months": str(JP_PENSION_MONTHS),
        "jp_pension_years": str(JP_PENSION_MONTHS // 12),
        "pension_age": str(age_now) if age_now else "–",
        "final_pension_age": str(ages[-1][1]) if ages else "–",
        "final_pension_year": str(ages[-1][0].year) if ages else "–",
        "jkm_total": format_rupiah(lump + periodic + funeral),
        "jkm_lump_sum": format_rupiah(lump),
        "jkm_periodic": format_rupiah(periodic),
        "jkm_funeral": format_rupiah(funeral),
        "jkm_scholarship": format_rupiah(figure("jkm_scholarship_max", on)),
        "jkk_death_months": str(figure("jkk_death_wage_months", on)),
        "jkk_disability_months": str(figure("jkk_disability_wage_months", on)),
        "jkp_cash_percent": str(figure("jkp_cash_percent", on)),
        "jkp_cash_months": str(figure("jkp_cash_months", on)),
        "full_claim_age": str(FULL_CLAIM_AGE),
        "partial_claim_years": str(PARTIAL_CLAIM_YEARS),
        "tax_free_limit": format_rupiah(TAX_FREE_LIMIT),
        "tax_rate": str(TAX_RATE_PERCENT),
    }


@dataclass(frozen=True)
class Guide:
    """What one program's page says, section by section. Each string is formatted with `figures()` (`%(name)s`;
    a literal percent sign is `%%`). `calculators` are the prefixes of the calculator forms shown beside it."""

    covered: tuple[Promise, ...]
    benefits: tuple[Promise, ...]
    rates: tuple[Promise, ...]  # notes under the rate table
    claim: tuple[Promise, ...]
    documents: tuple[Promise, ...]
    legal_basis: tuple[Promise, ...]
    calculators: tuple[str, ...]


GUIDES: dict[str, Guide] = {
    "JHT": Guide(
        covered=(
            _(
                "Wajib bagi pekerja penerima upah (PU); pilihan bagi peserta bukan penerima upah (BPU) dan pekerja "
                "migran Indonesia (PMI). Peserta jasa konstruksi (Jakon) tidak ikut JHT."
            ),
            _("Setiap nomor KPJ punya rekening JHT sendiri; saldo semua KPJ Anda tampil di Beranda."),
        ),
        benefits=(
            _(
                "Saldo JHT adalah iuran pemberi kerja dan pekerja ditambah hasil pengembangan, dikurangi klaim yang "
                "sudah dibayar. Hasil pengembangan dikreditkan sekali setahun, setiap 31 Desember, paling sedikit "
                "setara rata-rata bunga deposito 12 bulan bank pemerintah."
            ),
            _(
                "Seluruh saldo (100%%) dibayar sekaligus bila peserta berusia %(full_claim_age)s tahun; berhenti "
                "bekerja (mengundurkan diri, PHK, atau kontrak berakhir) setelah masa tunggu 1 bulan dan "
                "kepesertaannya non-aktif; mengalami cacat total tetap; meninggalkan Indonesia untuk selamanya; atau "
                "meninggal dunia (dibayar kepada ahli waris)."
            ),
            _(
                "Klaim sebagian, satu kali saja, setelah %(partial_claim_years)s tahun kepesertaan dan boleh sambil "
                "tetap bekerja: paling banyak 10%% untuk persiapan hari tua atau 30%% untuk kepemilikan rumah."
            ),
            _(
                "Pajak bila dibayar sekaligus (PPh 21 final): 0%% sampai %(tax_free_limit)s dan %(tax_rate)s%% atas "
                "kelebihannya."
            ),
        ),
        rates=(_("Iuran JHT penerima upah dihitung dari seluruh upah, tanpa batas upah."),),
        claim=(
            _(
                "Buka «Bisakah saya klaim JHT?» di Beranda: halaman itu menghitung dari data Anda apakah klaim sudah "
                "dapat diajukan, berapa yang dibayar setelah pajak, dan bila belum, sejak kapan."
            ),
            _(
                "Ambil antrian online di kantor cabang pilihan Anda, lalu datang pada jam yang dipilih dengan dokumen "
                "asli untuk wawancara verifikasi. Dana ditransfer ke rekening bank atas nama peserta."
            ),
        ),
        documents=(
            _("kartu peserta (KPJ) dan e-KTP"),
            _("kartu keluarga"),
            _("buku tabungan atas nama peserta"),
            _("surat keterangan berhenti bekerja dari pemberi kerja (paklaring), bila klaim karena berhenti bekerja"),
            _("NPWP, bila saldo di atas %(tax_free_limit)s"),
            _("untuk klaim sebagian 30%% (perumahan): dokumen dari bank mitra"),
        ),
        legal_basis=(
            _("UU SJSN: hasil pengembangan JHT paling sedikit setara rata-rata bunga deposito bank pemerintah"),
            _("PP 46/2015: iuran dan penyelenggaraan program JHT"),
            _("Permenaker 4/2022: syarat dan tata cara pembayaran manfaat JHT (menggantikan Permenaker 2/2022)"),
            _("PP 68/2009 dan PMK 16/2010: pajak final atas JHT yang dibayar sekaligus"),
        ),
        calculators=("jht", "iuran"),
    ),
    "JKK": Guide(
        covered=(
            _(
                "Semua segmen: penerima upah (PU), bukan penerima upah (BPU), jasa konstruksi (Jakon), dan pekerja "
                "migran Indonesia (PMI)."
            ),
            _("Melindungi dari kecelakaan kerja dan penyakit akibat kerja."),
        ),
        benefits=(
            _(
                "Perawatan sesuai kebutuhan medis tanpa batas biaya: rawat inap kelas I, ICU, operasi, alat bantu, "
                "dan rehabilitasi, serta penggantian biaya transportasi."
            ),
            _("Upah selama tidak mampu bekerja: 100%% upah untuk 12 bulan pertama, lalu 50%% sampai sembuh."),
            _(
                "Cacat total tetap: sampai %(jkk_disability_months)s kali upah. Meninggal karena kecelakaan kerja: "
                "%(jkk_death_months)s kali upah, ditambah santunan berkala %(jkm_periodic)s dan biaya pemakaman "
                "%(jkm_funeral)s."
            ),
            _(
                "Beasiswa untuk paling banyak 2 anak, seluruhnya sampai %(jkm_scholarship)s, dan program kembali "
                "bekerja."
            ),
        ),
        rates=(
            _(
                "Iuran penerima upah dibayar seluruhnya oleh pemberi kerja, menurut kelas risiko yang ditetapkan untuk "
                "NPP-nya."
            ),
        ),
        claim=(
            _(
                "Laporkan kecelakaan segera melalui pemberi kerja (peserta BPU melapor sendiri) ke kantor cabang. "
                "Tunjukkan kartu peserta di rumah sakit atau klinik: biaya perawatan ditanggung program."
            ),
            _(
                "Santunan tunai (upah selama tidak mampu bekerja, cacat, atau kematian) diajukan di kantor cabang; "
                "ambil antrian online lebih dulu."
            ),
        ),
        documents=(
            _("kartu peserta (KPJ) dan e-KTP"),
            _("laporan kecelakaan kerja dari pemberi kerja"),
            _("surat keterangan dokter"),
            _("bila peserta meninggal: akta kematian dan surat keterangan ahli waris"),
        ),
        legal_basis=(
            _("PP 44/2015: penyelenggaraan program JKK dan JKM, termasuk iuran per kelas risiko"),
            _("PP 82/2019: perubahan PP 44/2015, besaran manfaat JKK dan JKM"),
        ),
        calculators=("iuran", "jkm"),
    ),
    "JKM": Guide(
        covered=(
            _(
                "Semua segmen: penerima upah (PU), bukan penerima upah (BPU), jasa konstruksi (Jakon), dan pekerja "
                "migran Indonesia (PMI)."
            ),
            _(
                "Dibayar kepada ahli waris bila peserta meninggal dunia bukan karena kecelakaan kerja; kematian karena "
                "kecelakaan kerja dibayar dari JKK."
            ),
        ),
        benefits=(
            _(
                "Uang tunai %(jkm_total)s: santunan sekaligus %(jkm_lump_sum)s, santunan berkala %(jkm_periodic)s "
                "(24 bulan, dibayar sekaligus), dan biaya pemakaman %(jkm_funeral)s."
            ),
            _(
                "Beasiswa untuk paling banyak 2 anak, seluruhnya sampai %(jkm_scholarship)s, bila peserta sudah "
                "membayar iuran paling sedikit 3 tahun; dibayar setiap tahun sampai anak berusia 23 tahun, menikah, "
                "atau bekerja."
            ),
        ),
        rates=(_("Iuran penerima upah dibayar seluruhnya oleh pemberi kerja."),),
        claim=(_("Ahli waris mengajukan klaim di kantor cabang; ambil antrian online lebih dulu."),),
        documents=(
            _("kartu peserta (KPJ) almarhum"),
            _("akta kematian"),
            _("surat keterangan ahli waris"),
            _("e-KTP dan kartu keluarga ahli waris"),
        ),
        legal_basis=(
            _("PP 44/2015: penyelenggaraan program JKK dan JKM, termasuk iuran"),
            _("PP 82/2019: perubahan PP 44/2015, besaran manfaat JKK dan JKM"),
            _("Permenaker 5/2021: tata cara penyelenggaraan program JKK, JKM, dan JHT"),
        ),
        calculators=("jkm",),
    ),
    "JP": Guide(
        covered=(
            _(
                "Pekerja penerima upah (PU) pada pemberi kerja swasta, selama belum mencapai usia pensiun. Peserta "
                "BPU, Jakon, dan PMI tidak ikut JP."
            ),
        ),
        benefits=(
            _(
                "Pensiun bulanan bila iuran paling sedikit %(jp_pension_months)s bulan (%(jp_pension_years)s tahun): "
                "1%% × masa iuran/12 × rata-rata upah setahun yang diindeks, dibagi 12; paling sedikit %(jp_min)s dan "
                "paling banyak %(jp_max)s sebulan tahun ini."
            ),
            _(
                "Iuran kurang dari %(jp_pension_years)s tahun saat usia pensiun: iuran JP dan hasil pengembangannya "
                "dibayar sekaligus."
            ),
            _(
                "Usia pensiun saat ini %(pension_age)s tahun; naik 1 tahun setiap 3 tahun sampai "
                "%(final_pension_age)s tahun pada %(final_pension_year)s. Peserta yang masih bekerja dapat menerima "
                "pensiun saat usia pensiun atau saat berhenti bekerja, paling lambat 3 tahun setelah usia pensiun."
            ),
            _(
                "Selain pensiun hari tua: pensiun cacat, pensiun janda atau duda, pensiun anak (sampai usia 23 tahun "
                "atau menikah), dan pensiun orang tua."
            ),
        ),
        rates=(
            _(
                "Iuran JP dihitung dari upah paling tinggi %(jp_wage_cap)s sebulan, batas upah JP yang berlaku; batas "
                "itu naik setiap 1 Maret mengikuti pertumbuhan ekonomi (PDB) tahun sebelumnya."
            ),
        ),
        claim=(
            _(
                "Ajukan di kantor cabang saat mencapai usia pensiun, atau ahli waris mengajukan pensiun janda, duda, "
                "anak, atau orang tua; ambil antrian online lebih dulu."
            ),
        ),
        documents=(
            _("kartu peserta (KPJ) dan e-KTP"),
            _("kartu keluarga"),
            _("buku tabungan atas nama penerima"),
            _("untuk pensiun ahli waris: akta kematian dan surat keterangan ahli waris"),
        ),
        legal_basis=(_("PP 45/2015: penyelenggaraan program JP (iuran, batas upah, manfaat, dan usia pensiun)"),),
        calculators=("jp", "iuran"),
    ),
    "JKP": Guide(
        covered=(
            _(
                "Pekerja penerima upah (PU) yang terkena pemutusan hubungan kerja (PHK). Peserta BPU, Jakon, dan PMI "
                "tidak ikut JKP."
            ),
            _("Syarat lain (kewarganegaraan, usia saat terdaftar, masa iuran) mengikuti PP 37/2021."),
        ),
        benefits=(
            _(
                "Uang tunai %(jkp_cash_percent)s%% dari upah terakhir yang dilaporkan, dengan upah paling tinggi "
                "%(jkp_wage_cap)s, paling lama %(jkp_cash_months)s bulan; ditambah informasi pasar kerja dan "
                "pelatihan kerja."
            ),
            _(
                "Manfaat tetap dibayar bila pemberi kerja pailit atau tutup dan menunggak iuran paling lama 6 bulan. "
                "Hak hilang bila tidak diajukan dalam 6 bulan setelah PHK, bila sudah bekerja lagi, atau bila peserta "
                "meninggal dunia."
            ),
        ),
        rates=(
            _(
                "Tidak ada iuran tambahan bagi pemberi kerja atau pekerja: JKP dibiayai pemerintah dan rekomposisi "
                "sebagian iuran JKK, dihitung dari upah paling tinggi %(jkp_wage_cap)s."
            ),
        ),
        claim=(_("Ajukan paling lambat 6 bulan setelah PHK di kantor cabang; ambil antrian online lebih dulu."),),
        documents=(
            _("kartu peserta (KPJ) dan e-KTP"),
            _("bukti PHK: laporan PHK pemberi kerja, perjanjian bersama, atau putusan pengadilan hubungan industrial"),
            _("buku tabungan atas nama peserta"),
        ),
        legal_basis=(
            _("PP 37/2021: penyelenggaraan program JKP"),
            _("PP 6/2025: perubahan PP 37/2021, manfaat 60%% upah sampai 6 bulan dan batas waktu klaim 6 bulan"),
        ),
        calculators=("jkp", "iuran"),
    ),
}


@dataclass(frozen=True)
class Section:
    key: str  # the section's anchor on the page
    title: str
    paragraphs: list[str]
    items: list[str]
    items_title: str = ""


@dataclass(frozen=True)
class ProgramPage:
    program: str
    title: str
    paragraphs: list[str]  # the staff-written lead
    version: ProgramText
    sections: list[Section]
    rates: list[RateRow]
    calculators: tuple[str, ...]


class _Blank(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _lead(program: str, language: str, values: dict[str, str]) -> tuple[ProgramText, str, list[str]] | None:
    text = (
        ProgramText.objects.filter(program=program, language=language).order_by("-created_at", "-id").first()
        or ProgramText.objects.filter(program=program, language="id").order_by("-created_at", "-id").first()
    )
    if text is None:
        return None
    # staff write placeholders as {name}; braces doubled so a stray one cannot break the page
    body = string.Formatter().vformat(text.body.replace("{{", "{{{{").replace("}}", "}}}}"), (), _Blank(values))
    return text, text.title, [p.strip() for p in body.split("\n\n") if p.strip()]


def program_page(program: str, language: str) -> ProgramPage | None:
    values = figures()
    lead = _lead(program, language, values)
    if lead is None:
        return None
    version, title, paragraphs = lead
    guide = GUIDES[program]

    def fill(texts: tuple[Promise, ...]) -> list[str]:
        return [str(text) % values for text in texts]

    sections = [
        Section("peserta", str(_("Siapa yang dilindungi")), fill(guide.covered), []),
        Section("manfaat", str(_("Manfaat dan kapan dibayar")), fill(guide.benefits), []),
        Section("tarif", str(_("Iuran")), fill(guide.rates), []),
        Section("klaim", str(_("Cara klaim")), fill(guide.claim), fill(guide.documents), str(_("Dokumen yang dibawa"))),
        Section("dasar-hukum", str(_("Dasar hukum")), [], fill(guide.legal_basis)),
    ]
    return ProgramPage(
        program=program,
        title=title,
        paragraphs=paragraphs,
        version=version,
        sections=sections,
        rates=program_rates(program),
        calculators=guide.calculators,
    )
