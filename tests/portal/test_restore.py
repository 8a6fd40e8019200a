"""The restore test script of docs/operations.md, run for real on PostgreSQL."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "restore_test.sh"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backups are pg_dump/pg_restore: PostgreSQL only (CI runs this on PostgreSQL)",
    ),
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")),
        reason="needs the PostgreSQL client tools (pg_dump, pg_restore, psql)",
    ),
]


def server_url() -> str:
    """The test database's server, with its maintenance database."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"


def test_demo_data_round_trips_through_backup_and_restore():
    env = {**os.environ, "PYTHON": sys.executable}
    result = subprocess.run(
        ["bash", str(SCRIPT), server_url()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("restore test OK:"), result.stdout
    # Both scratch databases are gone again.
    scratch = re.findall(r"\((restore_(?:src|dst)_\w+)\)", result.stdout)
    assert len(scratch) == 2, result.stdout
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname = ANY(%s)", [scratch])
        assert cursor.fetchone()[0] == 0
