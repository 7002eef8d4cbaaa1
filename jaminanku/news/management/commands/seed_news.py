"""`manage.py seed_news`: adds the demo news articles that are missing (safe to run again)."""

from typing import Any

from django.core.management.base import BaseCommand

from jaminanku.news.demo import load_demo_articles


class Command(BaseCommand):
    help = "Loads a few demo news articles (skips those already there)."

    def handle(self, *args: Any, **options: Any) -> None:
        added = load_demo_articles()
        self.stdout.write(f"{added} demo news articles added.")
