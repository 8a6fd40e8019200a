import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]

DB_DOWN_SCRIPT = """
import json, time, django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/")
print(json.dumps({
    "status": response.status_code,
    "seconds": time.monotonic() - started,
    "body": response.content.decode(),
    "retry_after": response.get("Retry-After"),
}))
"""


def test_500_page_is_vietnamese_and_needs_no_database():
    # No database fixture: any query here would raise.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Xin lỗi, đã có lỗi xảy ra" in response.content.decode()


def with_database_down(script: str) -> dict:
    """What ``script`` prints last (JSON), run in a fresh process whose database
    refuses every connection."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Nothing listens on port 9 (discard) on this machine: connection refused.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/portal",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_unreachable_database_gives_a_quick_503_page():
    answer = with_database_down(DB_DOWN_SCRIPT)
    assert answer["status"] == 503
    assert "Trang đang tạm thời gián đoạn" in answer["body"]
    assert answer["retry_after"] == "30"
    assert answer["seconds"] < 5


def test_csrf_failure_page_is_vietnamese(db):
    strict = Client(enforce_csrf_checks=True)
    # The report form keeps Django's token (comments:post checks the origin instead).
    response = strict.post("/y-kien/bao-vi-pham/1/", {"reason": "abuse"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_cached_pages_survive_a_database_outage_and_all_recovers(client, db):
    from unittest import mock

    from django.db import OperationalError, connection

    from tests.factories import make_article

    article = make_article()
    other = make_article()
    assert client.get(article.get_absolute_url()).status_code == 200  # now cached

    with mock.patch.object(
        connection, "ensure_connection", side_effect=OperationalError("connection refused")
    ):
        assert client.get(article.get_absolute_url()).status_code == 200  # from the cache
        down = client.get(other.get_absolute_url())
        assert down.status_code == 503
        assert "Trang đang tạm thời gián đoạn" in down.content.decode()

    # Back up: nothing to restart, the next request simply works.
    assert client.get(other.get_absolute_url()).status_code == 200


def wsgi_get(path: str) -> int:
    """A request through Django's WSGI handler, as the server makes it: unlike the
    test client, the handler closes broken connections when a request ends."""
    from io import BytesIO

    from django.core.handlers.wsgi import WSGIHandler

    statuses = []
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(),
    }
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    body.close()
    return int(statuses[0].split()[0])


def test_a_connection_broken_by_a_database_restart_fails_one_request_then_is_replaced(
    transactional_db, settings, monkeypatch
):
    """Persistent connections are not health-checked (a round trip per request):
    a backend killed under a worker costs one 503, and the worker reconnects."""
    import psycopg
    from django.db import connection

    from tests.factories import make_article

    if connection.vendor != "postgresql":
        pytest.skip("killing a server backend needs PostgreSQL (CI runs this on PostgreSQL)")
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    connection.close()
    article = make_article()
    assert wsgi_get(article.get_absolute_url()) == 200
    backend = connection.connection.info.backend_pid

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend])

    assert wsgi_get(article.get_absolute_url()) == 503
    assert wsgi_get(article.get_absolute_url()) == 200
    assert connection.connection.info.backend_pid != backend
