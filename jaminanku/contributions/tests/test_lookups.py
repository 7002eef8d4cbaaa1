"""`bulk.rows_for_keys`, the import's look-up of many memberships, employments and accounts by key: the same rows
as the ORM's filter on both databases, and on PostgreSQL one index probe per key whatever the registry's size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jaminanku.contributions.tests.helpers import employer, pu_member
from jaminanku.core.bulk import rows_for_keys
from jaminanku.registry.models import Employment, Membership
from jaminanku.registry.tests.factories import EmploymentFactory

MEMBER_FIELDS = ("id", "kpj", "segment", "person__nik", "person__full_name", "person__date_of_birth")
EMPLOYMENT_FIELDS = ("id", "membership_id", "employer__npp", "start", "end", "end_reason")


@pytest.mark.django_db
def test_the_rows_of_each_key_are_those_of_the_orm_filter_in_the_querysets_order():
    first, second, unemployed = pu_member(), pu_member(), pu_member()
    old, new = employer(), employer()
    EmploymentFactory(
        membership=first, employer=old, start=date(2019, 1, 2), end=date(2020, 5, 31), end_reason="resignation"
    )
    EmploymentFactory(membership=first, employer=new, start=date(2021, 3, 1))
    EmploymentFactory(membership=second, employer=new, start=date(2022, 7, 15))
    ids = sorted([first.pk, second.pk, unemployed.pk, 987_654])

    employments = list(rows_for_keys(Employment.objects.values_list(*EMPLOYMENT_FIELDS), "membership_id", ids))

    # by membership, the latest start first (Employment's ordering), dates as dates
    assert [(mid, npp, start) for _id, mid, npp, start, _end, _reason in employments] == [
        (first.pk, new.npp, date(2021, 3, 1)),
        (first.pk, old.npp, date(2019, 1, 2)),
        (second.pk, new.npp, date(2022, 7, 15)),
    ]
    assert employments == list(Employment.objects.filter(membership_id__in=ids).values_list(*EMPLOYMENT_FIELDS))
    kpjs = sorted([first.kpj, unemployed.kpj, "99000000001"])
    members = list(rows_for_keys(Membership.objects.values_list(*MEMBER_FIELDS), "kpj", kpjs))
    assert sorted(members) == sorted(Membership.objects.filter(kpj__in=kpjs).values_list(*MEMBER_FIELDS))
    assert {row[1] for row in members} == {first.kpj, unemployed.kpj}
    assert all(isinstance(row[5], date) for row in members)


@pytest.mark.django_db
def test_only_a_values_list_of_tuples_is_taken():
    with pytest.raises(TypeError):
        list(rows_for_keys(Membership.objects.values("id"), "id", [1]))


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_on_postgresql_every_key_is_an_index_probe_in_one_query_even_where_a_scan_looks_cheaper():
    pu_member()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO registry_person (nik, full_name, date_of_birth, sex, place_of_birth, mother_maiden_name,
                                         district_id, address, nik_flagged, created_at)
            SELECT '99' || lpad(g::text, 14, '0'), 'Nama ' || g, date '1980-01-01' + g % 9000, 'M', 'Bogor',
                   'Siti', '320101', '', false, now()
            FROM generate_series(1, 60000) g;
            INSERT INTO registry_membership (kpj, person_id, segment, registered_on, jht_opted, created_at)
            SELECT '9' || lpad(p.id::text, 10, '0'), p.id, 'PU', date '2015-01-01', true, now()
            FROM registry_person p;
            ANALYZE registry_person; ANALYZE registry_membership;
            """
        )
    kpjs = sorted(Membership.objects.values_list("kpj", flat=True))[::4]  # a quarter of the registry

    with CaptureQueriesContext(connection) as queries:
        found = list(rows_for_keys(Membership.objects.values_list(*MEMBER_FIELDS), "kpj", kpjs))

    assert len(found) == len(kpjs)
    assert len(queries) == 1
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + queries[0]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # the same look-up as `kpj = ANY(array)` is planned as a scan of both tables at this share of the registry
    assert "Seq Scan on registry_membership" not in plan, plan
    assert "Seq Scan on registry_person" not in plan, plan
    assert "Index Scan" in plan, plan


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_postgresql_connections_do_not_compile_queries():
    # JIT compiling the many-probe look-ups above cost a third of their server time
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
