"""A few demo articles (original text written for the demo), loaded by `manage.py seed_news`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from jaminanku.news.models import Article
from jaminanku.news.services import create_article
from jaminanku.registry.models import Province


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    body: str
    days_ago: float  # negative: scheduled in the future
    language: str = "id"
    region: str | None = None


DEMO_ARTICLES = [
    DemoArticle(
        slug="cek-saldo-jht-lewat-jaminanku",
        title="Cek saldo JHT kini bisa lewat JaminanKu",
        summary="Peserta dapat melihat saldo Jaminan Hari Tua dan riwayat iuran tanpa datang ke kantor cabang.",
        body=(
            "<p>Peserta yang sudah mendaftar akun dapat membuka menu <strong>Saldo JHT</strong> untuk melihat "
            "saldo, iuran yang sudah masuk, dan hasil pengembangan tahunan.</p>"
            "<h2>Langkah singkat</h2><ol><li>Masuk dengan email dan kata sandi.</li>"
            "<li>Buka menu Saldo JHT.</li><li>Unduh rincian saldo bila perlu.</li></ol>"
            '<p>Lihat juga <a href="/kalkulator/">kalkulator JHT</a> untuk memperkirakan saldo di masa depan.</p>'
        ),
        days_ago=1,
    ),
    DemoArticle(
        slug="antrian-online-kantor-cabang",
        title="Ambil nomor antrian kantor cabang dari rumah",
        summary="Layanan antrian online membantu peserta memilih hari dan jam kunjungan ke kantor cabang.",
        body=(
            "<p>Pilih kantor cabang terdekat, layanan yang dibutuhkan, lalu hari dan jam kunjungan. "
            "Tunjukkan kode antrian saat tiba di kantor.</p>"
            '<p><img src="/static/icons/icon.svg" alt="Logo JaminanKu" width="96" height="96"></p>'
            "<p>Datanglah 15 menit sebelum jadwal dan bawa KTP serta kartu peserta.</p>"
        ),
        days_ago=4,
    ),
    DemoArticle(
        slug="sosialisasi-jaminan-sosial-pekerja-bandung",
        title="Sosialisasi jaminan sosial untuk pekerja informal di Bandung",
        summary="Kantor cabang Bandung mengadakan sesi tanya jawab tentang kepesertaan Bukan Penerima Upah.",
        body=(
            "<p>Pedagang, pengemudi ojek daring, dan pekerja mandiri lainnya dapat mendaftar sebagai peserta "
            "<em>Bukan Penerima Upah</em> (BPU) dengan iuran yang terjangkau.</p>"
            "<p>Sesi tanya jawab terbuka untuk umum dan tidak dipungut biaya.</p>"
        ),
        days_ago=7,
        region="32",
    ),
    DemoArticle(
        slug="layanan-klaim-jht-surabaya",
        title="Kantor cabang Surabaya menambah loket klaim JHT",
        summary="Penambahan loket mempersingkat waktu tunggu peserta yang mengajukan klaim JHT.",
        body=(
            "<p>Peserta di Jawa Timur yang akan mengajukan klaim JHT disarankan mengambil antrian online "
            "terlebih dahulu agar waktu tunggu di kantor lebih singkat.</p>"
        ),
        days_ago=12,
        region="35",
    ),
    DemoArticle(
        slug="check-your-jht-balance-in-jaminanku",
        title="Check your JHT balance in JaminanKu",
        summary="Members can see their old-age savings balance and contribution history without visiting a branch.",
        body=(
            "<p>Members with an account can open <strong>JHT balance</strong> to see their balance, "
            "the contributions received and the yearly development.</p>"
        ),
        days_ago=1,
        language="en",
    ),
    DemoArticle(
        slug="jadwal-pemeliharaan-sistem",
        title="Jadwal pemeliharaan sistem akhir pekan",
        summary="Beberapa layanan daring tidak tersedia sementara selama pemeliharaan sistem.",
        body="<p>Berita ini dijadwalkan dan baru tampil untuk umum pada waktunya.</p>",
        days_ago=-2,
    ),
]


def load_demo_articles() -> int:
    """Adds the demo articles that are not there yet (by slug); returns how many were added."""
    existing = set(Article.objects.values_list("slug", flat=True))
    provinces = set(Province.objects.values_list("code", flat=True))
    now = timezone.now()
    added = 0
    for item in DEMO_ARTICLES:
        if item.slug in existing:
            continue
        create_article(
            title=item.title,
            slug=item.slug,
            summary=item.summary,
            body=item.body,
            language=item.language,
            region_id=item.region if item.region in provinces else None,
            publish_at=now - timedelta(days=item.days_ago),
        )
        added += 1
    return added
