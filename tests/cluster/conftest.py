"""nginx in front of two real app servers, on the test database, for the session.

The pieces are deploy/cluster.py's, the ones `make cluster` starts: two
``python -m portal.serve`` processes (DEBUG off, the test database, the Redis of
TEST_REDIS_URL) and nginx with deploy/nginx.conf, three times: ``front`` in front
of both app servers, as in production, and ``front_a`` and ``front_b`` in front of
one each, so that a test can tell what each server answers through a front cache
(and ``spare_front``, one more for a test, that has asked nothing yet). The test
process writes through the services on the same database (the tests are
transactional: the servers see only committed rows) and its purges reach the
same Redis. PostgreSQL only: the servers and the tests share the database.
"""

import http.cookiejar
import itertools
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import environ
import pytest
from django.conf import settings
from django.db import connections

from deploy import cluster
from portal.cache import redis_cache

ROOT = Path(__file__).resolve().parents[2]
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
NOT_POSTGRES = "the app servers share the test database: run with DATABASE_URL=postgres://..."


def _missing(what: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} (CI must provide it: .ci/run)")
    pytest.skip(what)


@dataclass
class Topology:
    front: "cluster.Nginx"
    front_a: "cluster.Nginx"
    front_b: "cluster.Nginx"
    servers: list
    cache_url: str
    # Another nginx, started, in front of the servers given (stopped at the end).
    new_front: Callable[[list], "cluster.Nginx"]


@pytest.fixture(scope="session")
def topology(django_db_setup, tmp_path_factory):
    if not ON_POSTGRES:
        pytest.skip(NOT_POSTGRES)
    if not os.access(cluster.NGINX, os.X_OK):
        _missing("nginx is not installed (apt-get install nginx)")
    cache_url = os.environ.get("TEST_REDIS_URL")
    if not cache_url:
        _missing("TEST_REDIS_URL is not set: export TEST_REDIS_URL=redis://127.0.0.1:6379/15")

    base = tmp_path_factory.mktemp("cluster")
    static_root, media_root = base / "static", base / "media"
    media_root.mkdir()
    db = connections["default"].settings_dict  # the test database, once set up
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = cluster.app_environment(
        database_url=database_url,
        cache_url=cache_url,
        site_url="http://127.0.0.1",
        secret_key="cluster-test-key-not-secret",
        static_root=static_root,
        media_root=media_root,
    )
    # A comment limit no test reaches: every post comes from 127.0.0.1.
    env["COMMENTS_RATE_LIMIT"] = "1000/1m"
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    started = []
    try:
        servers = []
        for name in ("a", "b"):
            server = cluster.AppServer(
                port=cluster.free_port(), env=env, log=base / f"app-{name}.log"
            ).start()
            started.append(server)
            servers.append(server)
        for server in servers:
            server.wait()

        def front(name, upstreams):
            nginx = cluster.Nginx(
                prefix=base / f"nginx-{name}",
                port=cluster.free_port(),
                upstreams=[s.address for s in upstreams],
                static_root=static_root,
                media_root=media_root,
            )
            started.append(nginx)
            return nginx.start()

        spares = itertools.count(1)
        yield Topology(
            front=front("both", servers),
            front_a=front("a", servers[:1]),
            front_b=front("b", servers[1:]),
            servers=servers,
            cache_url=cache_url,
            new_front=lambda upstreams: front(f"spare-{next(spares)}", upstreams),
        )
    finally:
        for piece in reversed(started):
            piece.stop()


@pytest.fixture
def shared_cache(topology, settings):
    """This process's cache on the app servers' Redis: its purges are theirs."""
    settings.CACHES = {
        "default": redis_cache(environ.Env.cache_url_config(topology.cache_url), timeout=1.0)
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def spare_front(topology):
    """An nginx of its own in front of both servers, that has asked neither
    anything yet: its first requests go to each in turn."""
    nginx = topology.new_front(topology.servers)
    yield nginx
    nginx.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A client of one address, with its cookies, that shows redirects as they come."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def get(self, path: str, headers: dict | None = None):
        return self.request(path, headers=headers)

    def post(self, path: str, data: dict, headers: dict | None = None):
        # As a browser on this site's page sends it.
        return self.request(path, data, {"Origin": self.base, **(headers or {})})


def get(url: str, headers: dict | None = None):
    scheme, _, host, path = url.split("/", 3)
    return Browser(f"{scheme}//{host}").get(f"/{path}", headers)
