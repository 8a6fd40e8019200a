"""The storage tests' bucket: the session's SeaweedFS (``s3_server``, tests/s3.py).

Each test stores under a prefix of its own (``AWS_LOCATION``), so tests never
see each other's files; what readers get is read back over plain HTTP.
"""

import urllib.error
import urllib.request
import uuid

import pytest

from portal.s3 import s3_media
from tests.s3 import use_storage


@pytest.fixture
def s3_media_prefix(s3_server, settings):
    """The site's media in the test bucket, under a prefix of this test's own,
    its URLs the endpoint's own (path-style, as `make cluster` serves them);
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


def bucket_keys(server, prefix: str) -> list[str]:
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
