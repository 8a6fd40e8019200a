"""A real streaming replica of the test database, for the tests of portal/replica.py.

The session's replica is made by deploy/replica.sh (a second cluster on a free
port, copied from the primary with pg_basebackup) unless ``TEST_REPLICA_URL``
names one already running. For the tests of this package only, the ``replica``
alias points at it, under the name of the primary's test database (physical
replication copies that database there, and every row the tests commit), with
the router of the settings' DATABASE_REPLICA_URL block. The tests are
transactional: a row in a test's open transaction would never reach the replica.
"""

import copy
import os
import subprocess
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import override_settings

from deploy.cluster import free_port
from portal import replica as replica_module

from .helpers import ALIAS, NOT_POSTGRES, ON_POSTGRES, SCRIPT, close


@dataclass
class Replica:
    url: str
    owned: bool  # made by this session (deploy/replica.sh), so it may be stopped
    env: dict = field(default_factory=dict)

    def run(self, command: str) -> str:
        done = subprocess.run(
            [str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            raise RuntimeError(f"deploy/replica.sh {command} failed:\n{done.stderr}")
        return done.stdout.strip()

    def postmaster_pid(self) -> int:
        return int((Path(self.env["REPLICA_DIR"]) / "postmaster.pid").read_text().split()[0])


@pytest.fixture(scope="session")
def replica_cluster():
    if not ON_POSTGRES:
        pytest.skip(NOT_POSTGRES)
    if url := os.environ.get("TEST_REPLICA_URL"):
        yield Replica(url=url, owned=False)
        return
    primary = settings.DATABASES["default"]
    port = free_port()
    made = Replica(
        url="",
        owned=True,
        env={
            **os.environ,
            "PRIMARY_HOST": primary["HOST"] or "127.0.0.1",
            "PRIMARY_PORT": str(primary["PORT"] or 5432),
            "PRIMARY_USER": primary["USER"] or "postgres",
            "REPLICA_PORT": str(port),
            "REPLICA_DIR": f"/tmp/baophusa-replica-test-{port}",
        },
    )
    started = time.monotonic()
    try:
        made.url = made.run("start")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        with suppress(RuntimeError):
            made.run("stop")
        if os.environ.get("CI") == "true":
            pytest.fail(f"no read replica could be made: {exc}")
        pytest.skip(f"no read replica could be made: {exc}")
    print(f"\nread replica made in {time.monotonic() - started:.1f} s: {made.url}")
    try:
        yield made
    finally:
        made.run("stop")


@pytest.fixture(scope="package", autouse=True)
def replica_alias(request):
    """The ``replica`` alias and the router, for this package's tests (on PostgreSQL)."""
    if not ON_POSTGRES:
        yield None
        return
    replica_cluster = request.getfixturevalue("replica_cluster")
    request.getfixturevalue("django_db_setup")
    parts = urlsplit(replica_cluster.url)
    default = connections["default"].settings_dict  # the test database, once set up
    alias = copy.deepcopy(default)
    alias.update(
        HOST=parts.hostname or "127.0.0.1",
        PORT=str(parts.port or 5432),
        USER=parts.username or default["USER"],
        PASSWORD=parts.password or "",
        TEST={**default["TEST"], "MIRROR": "default"},  # neither flushed nor created
    )
    connections.settings[ALIAS] = alias
    replica_module.health.reset()
    try:
        with override_settings(DATABASE_ROUTERS=["portal.replica.ReplicaRouter"]):
            yield replica_cluster
    finally:
        close(ALIAS)
        del connections.settings[ALIAS]
        replica_module.health.reset()


@pytest.fixture(autouse=True)
def _fresh_health(replica_alias):
    """Each test finds the replica's state unknown, as a new process would."""
    replica_module.health.reset()
    yield
    replica_module.health.reset()
