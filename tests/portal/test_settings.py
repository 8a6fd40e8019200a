"""The real settings module, imported fresh in a child process with a chosen environment.

The test run itself uses tests.settings, already imported; only a new process shows
what portal.settings does with a given environment.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What a child process keeps of ours: enough to run Python, nothing the settings read.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def run(args, **env):
    """Run ``python <args>`` in the project root with only ``env`` configured.

    PORTAL_ENV_FILE defaults to /dev/null so a developer's .env is ignored.
    """
    child_env = {k: os.environ[k] for k in PASSED_THROUGH if k in os.environ}
    child_env["PORTAL_ENV_FILE"] = os.devnull
    child_env.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_values(**env) -> dict:
    """Selected values of portal.settings as the child process sees them."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'db': s.DATABASES['default'], 'cache': s.CACHES['default'], 'debug': s.DEBUG,"
        "'media_root': str(s.MEDIA_ROOT), 'secret_key': s.SECRET_KEY,"
        "'allowed_hosts': s.ALLOWED_HOSTS}, default=str))"
    )
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="portal.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_missing_secret_key_stops_with_one_clear_line():
    result = run(["manage.py", "check"], DEBUG="0")

    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_empty_secret_key_is_missing_too():
    result = run(["manage.py", "check"], DEBUG="0", SECRET_KEY="")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_passes_with_a_secret_key():
    result = run(["manage.py", "check"], DEBUG="0", SECRET_KEY="a-long-random-test-value")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_secret_key_may_come_from_the_env_file(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SECRET_KEY=from-the-env-file\n")

    values = settings_values(PORTAL_ENV_FILE=str(env_file))

    assert values["secret_key"] == "from-the-env-file"


def test_laptop_defaults():
    values = settings_values(SECRET_KEY="x")

    assert values["debug"] is False
    assert values["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["db"]["NAME"] == str(ROOT / "var" / "db.sqlite3")
    assert values["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["media_root"] == str(ROOT / "var" / "media")


def test_postgresql_from_database_url_with_persistent_connections():
    values = settings_values(
        SECRET_KEY="x", DATABASE_URL="postgres://portal:pw@db.example.vn:5433/baophusa"
    )

    db = values["db"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["HOST"], db["PORT"], db["USER"]) == (
        "baophusa",
        "db.example.vn",
        5433,
        "portal",
    )
    assert db["CONN_MAX_AGE"] > 0
    # No round trip before every request (tests/portal/test_errors.py shows the
    # recovery without it); a deployment may turn it on.
    assert db["CONN_HEALTH_CHECKS"] is False
    checked = settings_values(
        SECRET_KEY="x", DATABASE_URL="postgres://db.example.vn/baophusa", CONN_HEALTH_CHECKS="1"
    )
    assert checked["db"]["CONN_HEALTH_CHECKS"] is True


def test_conn_max_age_is_configurable():
    values = settings_values(
        SECRET_KEY="x", DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal", CONN_MAX_AGE="7"
    )

    assert values["db"]["CONN_MAX_AGE"] == 7


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("0", False), ("", False)])
def test_debug_from_the_environment(value, expected):
    assert settings_values(SECRET_KEY="x", DEBUG=value)["debug"] is expected


def test_allowed_hosts_from_the_environment():
    values = settings_values(SECRET_KEY="x", ALLOWED_HOSTS="baophusa.vn,www.baophusa.vn")

    assert values["allowed_hosts"] == ["baophusa.vn", "www.baophusa.vn"]


def test_redis_cache_from_cache_url():
    values = settings_values(SECRET_KEY="x", CACHE_URL="redis://127.0.0.1:6379/1")

    # django-redis, where a failed call is a logged miss (portal/cache.py).
    assert values["cache"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert values["cache"]["OPTIONS"]["IGNORE_EXCEPTIONS"] is True
    # A hung Redis may not hold a request (the server kills none).
    assert values["cache"]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.25
    assert values["cache"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.25


def test_redis_timeout_from_the_environment():
    values = settings_values(
        SECRET_KEY="x", CACHE_URL="redis://127.0.0.1:6379/1", REDIS_TIMEOUT="0.5"
    )

    assert values["cache"]["OPTIONS"]["SOCKET_TIMEOUT"] == 0.5
    assert values["cache"]["OPTIONS"]["SOCKET_CONNECT_TIMEOUT"] == 0.5


@pytest.mark.parametrize("url", ["dummycache://", "locmemcache://portal"])
def test_other_caches_from_cache_url_are_left_as_django_has_them(url):
    values = settings_values(SECRET_KEY="x", CACHE_URL=url)

    assert values["cache"]["BACKEND"].startswith("django.core.cache.backends.")
    assert "OPTIONS" not in values["cache"]


def variables_read_by_settings() -> set[str]:
    source = (ROOT / "portal" / "settings.py").read_text()
    return set(re.findall(r"\benv(?:\.\w+)?\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", source))


def test_every_variable_is_documented():
    variables = variables_read_by_settings()
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()

    assert {"SECRET_KEY", "DATABASE_URL", "SITE_TAGLINE", "PORTAL_ENV_FILE"} <= variables
    assert {v for v in variables if f"| `{v}` |" not in readme} == set()
    assert {v for v in variables if not re.search(rf"^#? ?{v}\b", example, re.M)} == set()
