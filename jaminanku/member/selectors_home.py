"""The home page's read beyond the balance read and the per-year statement (`selectors_hot`): the latest
headlines, kept for half a minute in the process.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jaminanku.news.models import Article
from jaminanku.news.selectors import latest_headlines

# How long a process shows the same headlines. They are public and the same for every member, yet reading them
# (the ORM building, compiling and running a query and making three articles) was a tenth of the home page's
# server time, on every home page, for articles published a few times a day. An article published, changed or
# withdrawn shows on the home page at most this long after (at once in the process that saved it), as does one
# whose publishing time comes.
HEADLINES_SECONDS = 30


def home_headlines(language: str) -> list[Article]:
    """`news.selectors.latest_headlines` in this language, read at most once per HEADLINES_SECONDS (the
    process's own cache, settings.CACHES["local"])."""
    articles = caches["local"].get_or_set(
        _headlines_key(language), lambda: latest_headlines(language=language), HEADLINES_SECONDS
    )
    return list(articles or [])


def _headlines_key(language: str) -> str:
    return f"member-home-headlines:{language}"


@receiver([post_save, post_delete], sender=Article, dispatch_uid="member-home-headlines")
def forget_headlines(**_kwargs: Any) -> None:
    """An article saved or deleted in this process shows (or goes) at once; other processes follow within
    HEADLINES_SECONDS."""
    caches["local"].delete_many([_headlines_key(code) for code, _name in settings.LANGUAGES])
