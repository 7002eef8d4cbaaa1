"""A contribution becomes its own JHT ledger line: the contribution entries (one per contribution, repeating its
JHT columns) are deleted, and the reversal of a contribution points at the contribution itself instead of at
its entry. Balances do not move: each account's lines add up to the same sums (`reconcile_ledger`).

A BRIN index on Contribution.period (PostgreSQL only, as 0004 did for the entries' value date) lets yearly
crediting read a year's contributions without reading the older ones."""

from django.contrib.postgres.indexes import BrinIndex
from django.db import migrations, models

PERIOD_BRIN = BrinIndex(fields=["period"], name="contribution_period_brin", autosummarize=True)


def contributions_out_of_entries(apps, schema_editor):
    entry = apps.get_model("contributions", "JhtEntry")
    reversed_contributions = dict(
        entry.objects.filter(kind="reversal", reverses__kind="contribution").values_list(
            "id", "reverses__contribution_id"
        )
    )
    entry.objects.filter(id__in=list(reversed_contributions)).update(reverses=None)
    entry.objects.filter(kind="contribution").delete()
    for reversal_id, contribution_id in reversed_contributions.items():
        entry.objects.filter(id=reversal_id).update(contribution_id=contribution_id)
    _check_foreign_keys_now(schema_editor)


def entries_from_contributions(apps, schema_editor):
    contribution = apps.get_model("contributions", "Contribution")
    account = apps.get_model("contributions", "Account")
    entry = apps.get_model("contributions", "JhtEntry")
    accounts = dict(account.objects.values_list("membership_id", "id"))
    reversals = dict(entry.objects.filter(kind="reversal", contribution__isnull=False).values_list("contribution_id", "id"))
    entry.objects.filter(id__in=list(reversals.values())).update(contribution=None)
    for row in contribution.objects.exclude(jht_employer=0, jht_worker=0).iterator():
        created = entry.objects.create(
            account_id=accounts[row.membership_id],
            kind="contribution",
            value_date=row.period,
            employer_amount=row.jht_employer,
            worker_amount=row.jht_worker,
            amount=row.jht_employer + row.jht_worker,
            contribution_id=row.id,
            created_at=row.posted_at,
        )
        if row.id in reversals:
            entry.objects.filter(id=reversals[row.id]).update(reverses=created)
    _check_foreign_keys_now(schema_editor)


def _check_foreign_keys_now(schema_editor):
    """PostgreSQL defers foreign-key checks to the commit, and refuses to alter a table with checks pending: the
    constraints that follow in this migration need them run first."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def add_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("contributions", "Contribution"), PERIOD_BRIN)


def remove_brin(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("contributions", "Contribution"), PERIOD_BRIN)


class Migration(migrations.Migration):
    dependencies = [("contributions", "0007_account_room_for_updates")]

    operations = [
        migrations.RemoveConstraint(model_name="jhtentry", name="jht_entry_kind_valid"),
        migrations.RunPython(contributions_out_of_entries, entries_from_contributions),
        migrations.AddConstraint(
            model_name="jhtentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["development", "claim", "reversal"])), name="jht_entry_kind_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="jhtentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("contribution__isnull", True), ("kind", "reversal"), _connector="OR"),
                name="jht_entry_contribution_on_reversal",
            ),
        ),
        migrations.RunPython(add_brin, remove_brin),
    ]
