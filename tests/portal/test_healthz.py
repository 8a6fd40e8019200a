"""``/healthz`` for a load balancer: each part the site needs, really asked.

The cache is the real Redis (TEST_REDIS_URL) or a port where nothing listens;
the storage the session's SeaweedFS bucket (tests/s3.py) or a dead endpoint; a
database that is down is a fresh process pointed at a dead port, as a server
whose database went away.
"""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

from portal.cache import redis_cache
from tests.portal.test_errors import with_database_down
from tests.s3 import bucket, free_port, use_storage

ROOT = Path(__file__).resolve().parents[2]
URL = "/healthz"

pytestmark = pytest.mark.django_db


def redis_at(url: str) -> dict:
    config = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url}
    return {"default": redis_cache(config, timeout=0.25)}


@pytest.fixture
def all_up(settings, redis_url, s3_server):
    settings.CACHES = redis_at(redis_url)
    use_storage(settings, *bucket(s3_server, prefix="healthz"))
    return settings


def test_all_up_is_200_with_every_part(all_up):
    response = Client().get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["ok"] is True
    assert body["failing"] == []
    for part in ("database", "cache", "storage"):
        assert body["parts"][part]["ok"] is True, part
    assert body["parts"]["replica"] == {"ok": None, "detail": "không cấu hình"}


def test_it_sets_no_cookie_and_nothing_keeps_it(all_up):
    client = Client()
    first = client.get(URL)

    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert not first.cookies
    # Asked again with the database gone: a kept answer would still say 200.
    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        second = client.get(URL)
    assert second.status_code == 503
    assert second.json()["failing"] == ["database"]


def test_a_load_balancer_on_plain_http_is_answered_not_redirected(all_up):
    all_up.SECURE_SSL_REDIRECT = True
    assert Client().get(URL).status_code == 200
    assert Client().get("/").status_code == 301


def test_redis_down_is_503_naming_the_cache(all_up):
    all_up.CACHES = redis_at(f"redis://127.0.0.1:{free_port()}/0")

    response = Client().get(URL)

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert "bộ nhớ đệm" in body["detail"]
    assert body["parts"]["database"]["ok"] is True


def test_storage_down_is_503_naming_the_storage(all_up, dead_storage):
    response = Client().get(URL)

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert "kho lưu trữ ảnh" in body["detail"]
    assert body["parts"]["storage"]["ms"] < 5000


def test_why_a_part_failed_is_logged_and_not_answered(all_up, dead_storage, caplog):
    dead = dead_storage.removeprefix("http://")  # 127.0.0.1:<port>

    with caplog.at_level(logging.WARNING, logger="portal.health"):
        response = Client().get(URL)

    assert response.status_code == 503
    # The public answer names the part, and nothing of the exception.
    assert response.json()["parts"]["storage"].keys() == {"ok", "ms"}
    assert response.json()["parts"]["storage"]["ok"] is False
    assert dead not in response.text
    assert "EndpointConnectionError" not in response.text
    [record] = [r for r in caplog.records if r.name == "portal.health"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert "storage failed: EndpointConnectionError" in record.getMessage()
    assert dead in record.getMessage()


DB_DOWN_SCRIPT = """
import json, time, django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "seconds": time.monotonic() - started,
                  "type": response["Content-Type"], "body": response.content.decode()}))
"""


def test_database_down_is_503_naming_the_database():
    answer = with_database_down(DB_DOWN_SCRIPT)
    assert answer["status"] == 503
    assert answer["type"] == "application/json"  # the view's own answer, not an error page
    body = json.loads(answer["body"])
    assert body["failing"] == ["database"]
    assert "cơ sở dữ liệu chính" in body["detail"]
    assert answer["seconds"] < 5


def healthz_in_a_process(**env) -> dict:
    """``/healthz`` answered by a fresh process of the real settings (tests.settings
    leaves the replica out), configured by ``env``, DEBUG off as in production."""
    result = subprocess.run(
        [sys.executable, "-c", DB_DOWN_SCRIPT],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "PORTAL_ENV_FILE": os.devnull,
            "SECRET_KEY": "test-only-key-not-secret",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "testserver",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return {**answer, "body": json.loads(answer["body"])}


# A PostgreSQL primary for the replica's checks: this run's own, or the
# machine's maintenance database (only SELECT 1 is asked of it).
PRIMARY = os.environ.get("DATABASE_URL", "")
if not PRIMARY.startswith("postgres"):
    PRIMARY = "postgres://postgres@127.0.0.1:5432/postgres"


def test_a_replica_is_checked_and_a_dead_one_is_503_naming_it():
    down = healthz_in_a_process(
        DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:9/portal"
    )
    assert down["status"] == 503
    assert down["body"]["failing"] == ["replica"]
    assert down["body"]["parts"]["database"]["ok"] is True
    assert "bản sao cơ sở dữ liệu" in down["body"]["detail"]

    up = healthz_in_a_process(DATABASE_URL=PRIMARY, DATABASE_REPLICA_URL=PRIMARY)
    assert up["body"]["parts"]["replica"]["ok"] is True
    assert "replica" not in up["body"]["failing"]
