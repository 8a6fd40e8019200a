"""DATABASE_REPLICA_URL: a second database like the primary, its router and middleware."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = """
import json
from portal import settings as s
print(json.dumps({
    "databases": s.DATABASES,
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE,
    "max_lag": s.DATABASE_REPLICA_MAX_LAG,
}, default=str))
"""


def settings_with(**env) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")},
            "SECRET_KEY": "x",
            "PORTAL_ENV_FILE": os.devnull,
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_replica_url_adds_a_replica_connected_as_the_primary():
    shown = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal",
        DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5433/portal",
        CONN_MAX_AGE="120",
        DB_CONNECT_TIMEOUT="2",
        DATABASE_REPLICA_MAX_LAG="2.5",
    )
    replica = shown["databases"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "10.0.0.2",
        5433,
        "reader",
        "portal",
    )
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert replica["CONN_MAX_AGE"] == 120
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert replica["TEST"] == {"MIRROR": "default"}
    assert shown["routers"] == ["portal.replica.ReplicaRouter"]
    assert shown["max_lag"] == 2.5
    middleware = shown["middleware"]
    assert middleware.index("portal.replica.ReplicaReadsMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


def test_without_a_replica_url_there_is_one_database_and_no_router():
    shown = settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal")
    assert list(shown["databases"]) == ["default"]
    assert shown["routers"] == []


def test_a_replica_needs_postgresql():
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={
            **os.environ,
            "SECRET_KEY": "x",
            "PORTAL_ENV_FILE": os.devnull,
            "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
            "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5433/portal",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in done.stderr
