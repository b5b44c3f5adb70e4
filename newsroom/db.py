"""SQL that bypasses the ORM where it is too slow for many rows: one query to write a row
for each of these rows, whatever their number; rows inserted without model instances."""

import json

from django.db import connection, connections
from django.db.models import Expression, F, Value


def insert_from_select(model, queryset, columns):
    """INSERT INTO model's table one row per row of `queryset`, in a single query.

    `columns` maps each of `model`'s field names to an expression over the queryset's
    model (`F("pk")`) or a plain value (the same in every row). Returns the number of
    rows written.

    bulk_create() sends one query per few hundred rows on SQLite (999 parameters a
    query); INSERT ... SELECT keeps a bulk moderation action on 10,000 comments at the
    same number of queries as one on 10, and writes exactly the rows the SELECT saw.
    """
    connection = connections[queryset.db]
    targets = [model._meta.get_field(name) for name in columns]
    aliases = {}
    for position, (field, value) in enumerate(zip(targets, columns.values(), strict=True)):
        if not isinstance(value, Expression | F):
            value = Value(value, output_field=field)
        aliases[f"_insert_{position}"] = value
    select = queryset.order_by().annotate(**aliases).values_list(*aliases)
    select_sql, params = select.query.get_compiler(connection=connection).as_sql()
    quote = connection.ops.quote_name
    sql = "INSERT INTO {table} ({columns}) {select}".format(
        table=quote(model._meta.db_table),
        columns=", ".join(quote(field.column) for field in targets),
        select=select_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


class RowInserter:
    """Inserts many rows of one model with executemany, model instances never built.

    For a bulk import (wordpress/importer.py), Django's bulk_create spends most of its time
    building instances and preparing each value in Python; rows of plain values, handed to
    the driver as they are, skip both. Fields a row does not name get their model default,
    so a field added to the model later is filled as bulk_create would fill it. Like
    bulk_create, it skips save() and signals. Values must be clean: datetimes aware, IP
    addresses valid, strings within their field's length.
    """

    # Values of these field types go to the database driver as they are.
    PLAIN_TYPES = frozenset(
        {
            "AutoField", "BigAutoField", "BigIntegerField", "CharField", "ForeignKey",
            "IntegerField", "PositiveBigIntegerField", "PositiveIntegerField",
            "PositiveSmallIntegerField", "SlugField", "SmallIntegerField", "TextField",
        }
    )  # fmt: skip

    def __init__(self, model):
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        table = connection.ops.quote_name(model._meta.db_table)
        # Names come from the model's own metadata; values go as parameters.
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608

    @staticmethod
    def _adapter(field):
        # What get_db_prep_save() ends in for these types, without its checks for naive
        # datetimes, strings and the like: callers hand over clean, aware values.
        adapters = {
            "DateTimeField": connection.ops.adapt_datetimefield_value,
            "GenericIPAddressField": connection.ops.adapt_ipaddressfield_value,
        }
        return adapters.get(
            field.get_internal_type(), lambda value: field.get_db_prep_save(value, connection)
        )

    def insert(self, rows):
        """Insert `rows`, dicts of field attname -> Python value."""
        columns = [(f.attname, f.get_default()) for f in self.fields]
        adapters = [
            (index, self._adapter(f))
            for index, f in enumerate(self.fields)
            if f.get_internal_type() not in self.PLAIN_TYPES
        ]
        prepared = []
        for row in rows:
            values = [row.get(name, default) for name, default in columns]
            for index, adapt in adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            prepared.append(values)
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, prepared)


# Above this many rows, a count may be PostgreSQL's estimate (count_rows).
EXACT_COUNT_LIMIT = 10_000


class RowCount(int):
    """A number of rows: exact, or (`estimated`) the query planner's estimate."""

    estimated = False

    @classmethod
    def estimate(cls, number):
        count = cls(number)
        count.estimated = True
        return count


def count_rows(queryset, exact_up_to=None):
    """How many rows `queryset` has: exact up to `exact_up_to`, estimated above it on
    PostgreSQL, where COUNT(*) reads every row (a million comments: half a second)."""
    return count_rows_each({None: queryset}, exact_up_to)[None]


def count_rows_each(querysets, exact_up_to=None):
    """count_rows() for each of `querysets` ({key: queryset}, one database): {key: RowCount}.
    `exact_up_to` defaults to EXACT_COUNT_LIMIT.

    One query counts every queryset up to `exact_up_to` + 1 rows (index entries, for a
    filter an index covers). A count above it is, on PostgreSQL, the planner's estimate
    for the same query (one EXPLAIN each, from the statistics ANALYZE and autovacuum
    keep), and never less than what was counted; SQLite, without such statistics, counts
    those exactly.
    """
    if not querysets:
        return {}
    exact_up_to = EXACT_COUNT_LIMIT if exact_up_to is None else exact_up_to
    using = next(iter(querysets.values())).db
    connection = connections[using]
    parts, params = [], []
    for position, queryset in enumerate(querysets.values()):
        # No column: what the filter's index holds is enough (an index-only scan).
        capped = queryset.order_by().values(one=Value(1))[: exact_up_to + 1]
        sql, part_params = capped.query.get_compiler(using=using).as_sql()
        # Compiled by Django from the queryset, values as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped_{position})")  # noqa: S608
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        counted = dict(zip(querysets, cursor.fetchone(), strict=True))
    counts = {}
    for key, queryset in querysets.items():
        if counted[key] <= exact_up_to:
            counts[key] = RowCount(counted[key])
        elif connection.vendor == "postgresql":
            plan = json.loads(queryset.order_by().values(one=Value(1)).explain(format="json"))
            counts[key] = RowCount.estimate(max(int(plan[0]["Plan"]["Plan Rows"]), counted[key]))
        else:
            counts[key] = RowCount(queryset.count())
    return counts
