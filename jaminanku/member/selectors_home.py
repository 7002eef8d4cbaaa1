"""The home page's reads beyond the balance read: every KPJ's JHT by year, prepared, and the latest headlines,
kept for half a minute.

The per-year read is the statement of `selectors_hot.yearly_breakdowns`, run through the balance read's
preparing cursor.

Why: on PostgreSQL planning that statement (two grouped scans over every yearly partition of the ledger's two
tables) cost 1.5 ms against 0.3 ms to run it (EXPLAIN ANALYZE at 3,000 persons), which was a sixth of the home
page's server time; a prepared statement is planned once per connection. Its plan does not depend on the values:
the partitions are by date and the statement filters by KPJ, so every partition is scanned whatever the KPJs.
Behind PgBouncer in transaction mode (settings.DATABASE_PREPARED_STATEMENTS off) and on SQLite it is an ordinary
cursor, as for the balance read. The answer is `yearly_breakdowns`' (member/tests/test_home_page.py holds them
equal); the statement and the preparing cursor stay in selectors_hot, where the balance read keeps them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from jaminanku.member.selectors import BalanceParts, YearBreakdown
from jaminanku.member.selectors_hot import _cursor, _years_sql
from jaminanku.news.models import Article
from jaminanku.news.selectors import latest_headlines
from jaminanku.registry.models import Membership

# How long a process shows the same headlines. They are public and the same for every member, yet reading them
# (the ORM building, compiling and running a query and making three articles) was a tenth of the home page's
# server time, on every home page, for articles published a few times a day. An article published, changed or
# withdrawn shows on the home page at most this long after (at once in the process that saved it), as does one
# whose publishing time comes.
HEADLINES_SECONDS = 30


def home_yearly_breakdowns(memberships: list[Membership]) -> dict[int, list[YearBreakdown]]:
    """`yearly_breakdown` of each of these KPJs, by membership id, newest year first, in one prepared statement."""
    ids = [m.pk for m in memberships]
    years: dict[int, dict[int, list[int]]] = {pk: {} for pk in ids}  # KPJ -> year -> [employer, worker, ...]
    if ids:
        sql, entry_params, contribution_params = _years_sql(len(ids))
        with _cursor() as cursor:
            cursor.execute(sql, [*entry_params, *ids, *contribution_params, *ids])
            rows = cursor.fetchall()
        for _kind, membership_id, year, employer, worker, development, claims in rows:
            sums = years[membership_id].setdefault(int(year), [0, 0, 0, 0])
            for index, value in enumerate((employer, worker, development, claims)):
                sums[index] += int(value or 0)
    return {
        pk: [YearBreakdown.of(year, BalanceParts(*parts)) for year, parts in sorted(by_year.items(), reverse=True)]
        for pk, by_year in years.items()
    }


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
