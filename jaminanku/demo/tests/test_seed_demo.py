"""The demo population: deterministic, realistic, posted through the real ledger services."""

from datetime import date

import pytest
from django.core.management import call_command

from jaminanku.claims.eligibility import jht_tax
from jaminanku.claims.models import JhtClaim
from jaminanku.claims.payouts.settle import tax_slip_number
from jaminanku.claims.slip import tax_slip_pdf
from jaminanku.contributions.models import Account, Contribution, JhtEntry
from jaminanku.demo.population import PopulationBuilder
from jaminanku.registry.models import Employer, Employment, Membership, Person
from jaminanku.registry.nik import check_nik

AS_OF = date(2026, 11, 1)
pytestmark = pytest.mark.usefixtures("reload_reference_data")


@pytest.mark.django_db
def test_same_seed_gives_the_same_people_and_another_seed_does_not():
    def people(seed):
        builder = PopulationBuilder(persons=30, seed=seed, as_of=AS_OF)
        builder.employers()
        return [(p.nik, p.full_name, [j.kpj for j in p.jobs]) for p in builder.people()]

    assert people(7) == people(7)
    assert people(7) != people(8)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_seed_demo_builds_a_realistic_population_whose_ledger_reconciles(capsys):
    call_command("seed_demo", persons=120, seed=11, as_of=AS_OF, accounts=0)

    persons = list(Person.objects.all())
    assert len(persons) == 120
    for person in persons:
        check = check_nik(person.nik, date_of_birth=person.date_of_birth, sex=person.sex)
        assert check.valid and not check.date_mismatch, person.nik
        age = (AS_OF - person.date_of_birth).days // 365
        assert 18 <= age <= 60
    segments = set(Membership.objects.values_list("segment", flat=True))
    assert {"PU", "BPU"} <= segments
    assert set(Employer.objects.values_list("risk_class", flat=True)) >= {1, 2, 3}
    # job changes: some people hold several KPJs, each with its own employment
    assert any(p.memberships.count() > 1 for p in persons)
    assert Employment.objects.exclude(end=None).exists() and Employment.objects.filter(end=None).exists()
    assert Contribution.objects.count() > 1000
    assert Account.objects.filter(development_total__gt=0).exists()
    # the printed count is every contribution posted, wage reports and self-payments alike
    assert f"{Contribution.objects.count()} contributions" in capsys.readouterr().out

    _every_claim_entry_has_one_paid_claim()

    call_command("reconcile_ledger")
    assert "cocok" in capsys.readouterr().out
    # A year of reports per import still leaves each account's paid run where its months put it.
    assert _paid_runs_in_accounts() == _paid_runs_from_contributions()


def _every_claim_entry_has_one_paid_claim() -> None:
    entries = {
        e: (-amount, day)
        for e, amount, day in JhtEntry.objects.filter(kind="claim").values_list("id", "amount", "value_date")
    }
    claims = JhtClaim.objects.values_list(
        "entry_id", "state", "channel", "kind", "gross", "tax", "paid_on", "reference"
    )
    assert entries and len(claims) == len(entries) == len({c[0] for c in claims})
    for entry_id, state, channel, kind, gross, tax, paid_on, reference in claims:
        assert (state, channel, kind) == ("paid", "branch", "full") and reference.isdigit()
        assert (gross, paid_on) == entries[entry_id] and tax == jht_tax(gross)
    assert set(JhtClaim.objects.values_list("ground", flat=True)) <= {"resignation", "dismissal", "end_of_contract"}
    claim = JhtClaim.objects.first()  # the columns the seeder does not set hold a new claim's values
    assert claim.auto_decision == {} and claim.created_at and claim.office is None and claim.bank_code == ""
    # each has its withholding slip, numbered as payments number them
    assert claim.tax_slip_number == tax_slip_number(claim, claim.paid_on)
    assert tax_slip_pdf(claim).startswith(b"%PDF")
    assert not JhtClaim.objects.filter(tax_slip_number=None).exists()


def _paid_runs_in_accounts() -> dict[int, tuple[date, date]]:
    return {
        mid: (since, last)
        for mid, since, last in Account.objects.exclude(last_paid_period=None).values_list(
            "membership_id", "paid_since", "last_paid_period"
        )
    }


def _paid_runs_from_contributions() -> dict[int, tuple[date, date]]:
    """Per membership: the first and last month of the run of consecutive paid months that ends with its latest."""
    months: dict[int, set[int]] = {}
    for mid, period in Contribution.objects.values_list("membership_id", "period"):
        months.setdefault(mid, set()).add(period.year * 12 + period.month - 1)
    runs = {}
    for mid, paid in months.items():
        start = last = max(paid)
        while start - 1 in paid:
            start -= 1
        runs[mid] = (date(start // 12, start % 12 + 1, 1), date(last // 12, last % 12 + 1, 1))
    return runs


@pytest.mark.django_db
def test_seed_demo_refuses_a_non_empty_registry():
    from django.core.management.base import CommandError

    from jaminanku.registry.tests.factories import PersonFactory

    PersonFactory()
    with pytest.raises(CommandError):
        call_command("seed_demo", persons=5, seed=1)


@pytest.mark.django_db
def test_the_registry_loader_refuses_columns_that_leave_a_model_field_out():
    from django.core.exceptions import ImproperlyConfigured

    from jaminanku.demo.registry import check_columns

    with pytest.raises(ImproperlyConfigured, match="address"):
        check_columns(Person, ("id", "nik", "full_name", "date_of_birth", "sex"))


def _ledger_as_posted():
    """Everything seeding posts, by business keys (ids and timestamps differ from run to run)."""
    from jaminanku.contributions.models import JhtEntry, WageReport

    amounts = ("wage", "jht_employer", "jht_worker", "jkk", "jkm", "jp_employer", "jp_worker", "jkp_government")
    return {
        "contributions": sorted(
            Contribution.objects.values_list("membership__kpj", "employer__npp", "period", *amounts).order_by()
        ),
        "accounts": sorted(
            Account.objects.values_list(
                "membership__kpj",
                "balance",
                "employer_total",
                "worker_total",
                "development_total",
                "claims_total",
                "paid_since",
                "last_paid_period",
                "last_employer__npp",
            )
        ),
        "entries": sorted(
            JhtEntry.objects.values_list("account__membership__kpj", "kind", "value_date", "amount").order_by()
        ),
        "employments": sorted(
            Employment.objects.values_list("membership__kpj", "employer__npp", "start", "end", "end_reason")
        ),
        "reports": sorted(WageReport.objects.values_list("npp", "period", "rows_total", "rows_posted", "kind")),
    }


def _registry_in_id_order():
    """Persons, memberships and employments in id order, each id as its distance from its table's first."""

    def relative(rows):
        first = rows[0][0]
        return [(row[0] - first, *row[1:]) for row in rows]

    return (
        relative(list(Person.objects.order_by("id").values_list("id", "nik"))),
        relative(list(Membership.objects.order_by("id").values_list("id", "kpj", "person__nik"))),
        relative(list(Employment.objects.order_by("id").values_list("id", "membership__kpj", "employer__npp"))),
    )


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_worker_processes_post_exactly_the_ledger_one_process_posts(capsys, monkeypatch):
    from django.db import connection

    from jaminanku.contributions.models import CreditingRun, JhtEntry, WageReport
    from jaminanku.demo import registry

    monkeypatch.setattr(registry, "CHUNK_PERSONS", 20)  # several registry chunks for the two processes
    call_command("seed_demo", persons=150, seed=5, as_of=AS_OF, accounts=0, workers=1)
    alone = _ledger_as_posted()
    registry_alone = _registry_in_id_order()
    tables = [m._meta.db_table for m in (JhtEntry, Contribution, Account, CreditingRun, WageReport)]
    tables += [m._meta.db_table for m in (Employment, Membership, Person, Employer)]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")

    capsys.readouterr()
    call_command("seed_demo", persons=150, seed=5, as_of=AS_OF, accounts=0, workers=2)

    assert "posted by 2 process(es)" in capsys.readouterr().out
    assert _ledger_as_posted() == alone
    # the same ids in the same order, whichever process inserted a chunk first
    assert _registry_in_id_order() == registry_alone
    assert len(alone["contributions"]) > 1000 and any(row[1] for row in alone["accounts"])
    # each employer's month is still one report, whichever worker posted it
    assert WageReport.objects.values("npp", "period").distinct().count() == WageReport.objects.count()
    call_command("reconcile_ledger")
    assert "cocok" in capsys.readouterr().out


@pytest.mark.django_db
def test_workers_are_refused_where_the_database_takes_one_writer(settings):
    from django.core.management.base import CommandError
    from django.db import connection

    if connection.vendor == "postgresql":
        with pytest.raises(CommandError):
            call_command("seed_demo", persons=5, seed=1, workers=0)
        return
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("seed_demo", persons=5, seed=1, workers=2)
    assert not Person.objects.exists()
