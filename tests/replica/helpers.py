"""What the replica tests share: marks, and helpers that talk to both databases."""

import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connections

from portal import replica as replica_module

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "replica.sh"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
NOT_POSTGRES = "the read replica is PostgreSQL's: run with DATABASE_URL=postgres://..."
ALIAS = replica_module.ALIAS
# Marks for every test that talks to the replica.
REPLICA_TEST = [
    pytest.mark.skipif(not ON_POSTGRES, reason=NOT_POSTGRES),
    pytest.mark.django_db(transaction=True, databases=["default", ALIAS]),
]


def close(alias: str) -> None:
    with suppress(DatabaseError):
        connections[alias].close()
    if hasattr(connections._connections, alias):
        del connections[alias]


def primary_lsn() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        return cursor.fetchone()[0]


def wait_until_replayed(lsn: str | None = None, timeout: float = 10.0) -> None:
    """Until the replica has replayed the primary's WAL up to ``lsn`` (its current end)."""
    lsn = lsn or primary_lsn()
    deadline = time.monotonic() + timeout
    while True:
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica has not replayed {lsn} in {timeout} s")
        time.sleep(0.02)


def on_replica(sql: str) -> None:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql)


@contextmanager
def statements(alias: str):
    """The SQL that ``alias`` ran meanwhile, or tried to run (it need not be up)."""
    ran = []

    def record(execute, sql, params, many, context):
        ran.append(sql)
        return execute(sql, params, many, context)

    with connections[alias].execute_wrapper(record):
        yield ran
