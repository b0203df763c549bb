"""Fast bulk writes of derived and synthetic rows: PostgreSQL's COPY, one executemany elsewhere.

Used by the rollup rebuild and the history generator only — derived data and fixture-like loads,
never a user's write (those go through the apps' actions).
"""

import csv
import io
import json

from django.db import connection


def _text(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def copy_rows(model, columns: list[str], rows, *, batch: int = 50_000) -> int:
    """Insert rows (tuples in `columns` order, column names as in the database)."""
    if connection.vendor != "postgresql":
        # One prepared INSERT run over all rows (executemany): several times faster than
        # bulk_create's model instances, which matters on SQLite, whose write lock waits for it.
        fields = [model._meta.get_field(c) for c in columns]
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
        values = [
            [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
            for row in rows
        ]
        with connection.cursor() as cursor:
            for i in range(0, len(values), 5000):
                cursor.executemany(sql, values[i : i + 5000])
        return len(values)
    table = model._meta.db_table
    sql = (
        f"COPY {connection.ops.quote_name(table)} "
        f"({', '.join(connection.ops.quote_name(c) for c in columns)}) "
        r"FROM STDIN WITH (FORMAT csv, NULL '\N')"
    )
    count = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush():
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, buffer)
        buffer.seek(0)
        buffer.truncate()

    pending = 0
    for row in rows:
        writer.writerow([_text(v) for v in row])
        pending += 1
        count += 1
        if pending >= batch:
            flush()
            pending = 0
    if pending:
        flush()
    return count


def next_ids(model, n: int) -> list[int]:
    """Reserve n primary keys from the table's sequence (PostgreSQL)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, n],
        )
        return [row[0] for row in cursor.fetchall()]
