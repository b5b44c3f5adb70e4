"""One query for "write a row for each of these rows", whatever their number."""

from django.db import connections
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
