"""Writing many rows of one table in a few statements: Django's bulk_update builds a CASE per column and row,
which costs more to build than to run with thousands of claims. Rows sharing their new values are updated by one
UPDATE … WHERE id IN; values that differ per row go through UPDATE … FROM (VALUES …), as the ledger's
`_pay_out` does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models
from django.db.models import F

from jaminanku.core.bulk import AnyOf, batched, max_params


def update_same(model: type[models.Model], pks: Sequence[int], values: Mapping[str, Any]) -> None:
    for batch in batched(list(pks)):
        model._default_manager.filter(AnyOf(F("pk"), list(batch))).update(**values)


def update_grouped(model: type[models.Model], rows: Sequence[tuple[int, Mapping[str, Any]]]) -> None:
    """Each (pk, values); rows with the same values share one statement."""
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for pk, values in rows:
        groups[tuple(sorted(values.items()))].append(pk)
    for key, pks in groups.items():
        update_same(model, pks, dict(key))


def update_varying(
    model: type[models.Model],
    common: Mapping[str, Any],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Sets the `common` fields (by field name, through the ORM's conversion) on every row and each row's own
    values of `columns` (column names; each row is (pk, *values), plain ints, strings or None)."""
    table = connection.ops.quote_name(model._meta.db_table)
    sets = []
    params: list[Any] = []
    for name, value in common.items():
        field = model._meta.get_field(name)
        sets.append(f"{connection.ops.quote_name(str(field.column))} = %s")  # type: ignore[union-attr]
        params.append(field.get_db_prep_save(value, connection))  # type: ignore[union-attr]
    for n, column in enumerate(columns, start=2):
        sets.append(f"{connection.ops.quote_name(column)} = v.column{n}")
    width = len(columns) + 1
    per_statement = max(1, min(1_000, (max_params() - len(params)) // width))
    with connection.cursor() as cursor:
        for batch in batched(list(rows), per_statement):
            values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {', '.join(sets)} FROM (VALUES {values}) AS v "  # noqa: S608 - names from models
                f"WHERE {table}.id = v.column1",
                [*params, *(value for row in batch for value in row)],
            )
