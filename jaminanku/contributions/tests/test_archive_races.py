"""Two detaches of one year at once (PostgreSQL): the second waits for the first's lock, then finds the year
detached and says so; the year's sums are written once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from jaminanku.contributions import archive
from jaminanku.contributions.models import ArchivedYearTotal
from jaminanku.contributions.services import import_month
from jaminanku.contributions.tests.helpers import employer, line, month, pu_member
from jaminanku.contributions.tests.test_partitions_create import _waiting_for_a_lock
from jaminanku.core.errors import DomainError
from jaminanku.core.testing import InThread, wait_until

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("reload_reference_data"),
]


def test_a_second_detach_of_the_year_waits_then_finds_it_detached():
    company, member = employer(), pu_member()
    for period in (month(2023, 11), month(2023, 12)):
        import_month(period=period, lines=[line(member, 5_000_000, npp=company.npp)])

    def second() -> object:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                return archive.detach_year(cursor, 2023)
        except DomainError as exc:
            return f"refused: {exc}"

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            assert archive.detach_year(cursor, 2023) == 1
            thread = InThread(second)
            thread.start()
            wait_until(_waiting_for_a_lock, 10, "the second detach never waited for the first's lock")
        thread.join(timeout=30)
        assert (thread.result, thread.error) == ("refused: Tahun 2023 sudah dilepas.", None)
        assert ArchivedYearTotal.objects.filter(year=2023).count() == 1
    finally:
        call_command("ledger_partitions", "attach", "2023")  # the claims' key validated again, as `migrate` left it
    assert not ArchivedYearTotal.objects.exists()
