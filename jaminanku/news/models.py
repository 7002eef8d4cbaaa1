"""News articles (Berita) written by staff: visible to the public once published and their publish time has come."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaminanku.news.sanitize import clean_body


class Article(models.Model):
    class Language(models.TextChoices):
        ID = "id", "Bahasa Indonesia"
        EN = "en", "English"

    title = models.CharField(_("judul"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Bagian alamat: /berita/<slug>/"))
    summary = models.TextField(_("ringkasan"), max_length=500, help_text=_("Satu atau dua kalimat untuk daftar."))
    body = models.TextField(
        _("isi"),
        help_text=_(
            "HTML sederhana: paragraf, tebal, miring, daftar, tautan, tabel, dan gambar "
            '(<img src="https://…">). Skrip dan atribut lain dibuang saat disimpan.'
        ),
    )
    region = models.ForeignKey(
        "registry.Province",
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Kosongkan untuk berita nasional."),
    )
    language = models.CharField(_("bahasa"), max_length=2, choices=Language.choices, default=Language.ID)
    published = models.BooleanField(
        _("terbit"), default=False, help_text=_("Tampil untuk umum sejak waktu terbit; tanpa centang: draf.")
    )
    publish_at = models.DateTimeField(
        _("waktu terbit"), default=timezone.now, db_index=True, help_text=_("Isi waktu mendatang untuk menjadwalkan.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("berita")
        verbose_name_plural = _("berita")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["language", "published", "publish_at"], name="news_visible_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(language__in=["id", "en"]), name="news_language_valid")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:detail", args=[self.slug])

    @property
    def body_html(self) -> str:
        """The body cleaned again for display (safe to mark safe)."""
        return clean_body(self.body)

    @property
    def last_modified(self) -> Any:
        """When readers last saw the article change: its edit time, but never before it went public."""
        return max(self.updated_at, self.publish_at)

    def is_visible(self, now: Any = None) -> bool:
        return self.published and self.publish_at <= (now or timezone.now())
