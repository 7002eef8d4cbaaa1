"""Staff write and preview articles in the back office: the content-editor role may add and change them, every
save is audited, and the preview of an unpublished article needs the permission."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from jaminanku.audit.models import AuditEvent
from jaminanku.news.models import Article
from jaminanku.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _staff(client, django_user_model, role=None, username="staf"):
    user = django_user_model.objects.create_user(username, password="a-long-password-1", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def _form(**overrides):
    data = {
        "title": "Iuran BPU naik",
        "slug": "iuran-bpu-naik",
        "summary": "Ringkasan.",
        "body": '<p>Isi</p><script>alert(1)</script><img src="x" onerror="alert(1)">',
        "region": "32",
        "language": "id",
        "published": "on",
        "publish_at_0": "01/12/2026",
        "publish_at_1": "08:00",
    }
    data.update(overrides)
    return data


def test_content_editor_adds_and_changes_articles_and_it_is_audited(client, django_user_model):
    editor = _staff(client, django_user_model, "Editor konten")
    assert client.get("/admin/news/article/").status_code == 200
    assert client.get("/admin/news/article/add/").status_code == 200

    response = client.post("/admin/news/article/add/", _form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="iuran-bpu-naik")
    assert article.created_by == editor and article.region_id == "32"
    assert article.publish_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y %H:%M") == (
        "01/12/2026 08:00"
    )
    assert "<script" not in article.body and "onerror" not in article.body

    response = client.post(f"/admin/news/article/{article.pk}/change/", _form(title="Iuran BPU berubah"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Iuran BPU berubah"

    events = AuditEvent.objects.filter(object_type="news.Article", object_id=str(article.pk)).order_by("id")
    assert [e.action for e in events] == ["add", "change"]
    assert events[1].after["title"] == "Iuran BPU berubah" and events[0].actor == editor


def test_content_editor_cannot_delete_and_other_roles_cannot_edit(client, django_user_model):
    article = ArticleFactory()
    _staff(client, django_user_model, "Editor konten")
    assert client.get(f"/admin/news/article/{article.pk}/delete/").status_code == 403

    _staff(client, django_user_model, "Petugas registri", username="registri")
    assert client.get("/admin/news/article/").status_code == 403
    assert client.post("/admin/news/article/add/", _form()).status_code == 403


def test_preview_of_a_draft_needs_the_permission(client, django_user_model):
    draft = ArticleFactory(slug="draf", title="Draf rahasia", published=False)
    scheduled = ArticleFactory(slug="nanti", publish_at=timezone.now() + timedelta(days=1))
    url = f"/berita/pratinjau/{draft.pk}/"

    assert client.get("/berita/draf/").status_code == 404  # not public
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]

    _staff(client, django_user_model, "Petugas cabang", username="cabang")  # staff, but no news permission
    assert client.get(url).status_code == 403

    _staff(client, django_user_model, "Editor konten", username="editor")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Draf rahasia" in html and "belum terbit" in html and "noindex" in html
    assert "dijadwalkan terbit" in client.get(f"/berita/pratinjau/{scheduled.pk}/").content.decode()
    assert client.get("/berita/pratinjau/999999/").status_code == 404


def test_member_without_staff_flag_cannot_preview(client, django_user_model):
    draft = ArticleFactory(published=False)
    member = django_user_model.objects.create_user("anggota", password="a-long-password-1")
    client.force_login(member)
    assert client.get(f"/berita/pratinjau/{draft.pk}/").status_code == 302
