"""Database triggers that refuse UPDATE and DELETE of the trace history (events, evidence,
signed tree heads and their leaves), on PostgreSQL and SQLite.

Defence in depth only: whoever owns the database can drop a trigger, so nothing relies on
them — the hash chains and signed tree heads are what detect tampering.
"""

from contextlib import contextmanager

from django.db import connection as default_connection

TABLES = (
    "traceability_event",
    "traceability_attachment",
    "traceability_checkpoint",
    "traceability_treeleaf",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ocop_trace_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ocop: % on % refused: trace history is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$
"""


def _statements(vendor: str, install: bool) -> list[str]:
    sql = []
    if vendor == "postgresql":
        if install:
            sql.append(_PG_FUNCTION)
        for table in TABLES:
            for suffix in ("rows", "truncate"):
                sql.append(f"DROP TRIGGER IF EXISTS ocop_append_only_{suffix} ON {table}")
            if install:
                sql.append(
                    f"CREATE TRIGGER ocop_append_only_rows BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION ocop_trace_append_only()"
                )
                sql.append(
                    f"CREATE TRIGGER ocop_append_only_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION ocop_trace_append_only()"
                )
        if not install:
            sql.append("DROP FUNCTION IF EXISTS ocop_trace_append_only()")
    elif vendor == "sqlite":
        for table in TABLES:
            for operation in ("update", "delete"):
                name = f"ocop_append_only_{table}_{operation}"
                sql.append(f"DROP TRIGGER IF EXISTS {name}")
                if install:
                    sql.append(
                        f"CREATE TRIGGER {name} BEFORE {operation.upper()} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, 'ocop: {operation.upper()} on {table} refused: "
                        "trace history is append-only'); END"
                    )
    return sql


def install(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, True):
            cursor.execute(statement)


def remove(connection=default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, False):
            cursor.execute(statement)


@contextmanager
def lifted(connection=default_connection):
    """What an attacker with database access does first (tests that tamper use it)."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)
