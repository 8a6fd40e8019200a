"""Media in an S3-compatible bucket: the settings of django-storages' ``S3Storage``.

In a bucket every file is public (``public-read``), its URL carries no signature
(a CDN can keep it) and starts with MEDIA_URL: the CDN's host when
``AWS_S3_CUSTOM_DOMAIN`` names one, else the endpoint and the bucket (path-style,
as SeaweedFS and MinIO serve it). A name is never reused for other content
(``file_overwrite`` off, random names), so files are sent cacheable for a year.

Every call to the bucket is bounded: ``timeout`` seconds to connect and as many
for each read, and at most ``ATTEMPTS`` tries.

Imported by portal/settings.py only with ``MEDIA_STORAGE=s3``: the S3 client's
configuration costs a fifth of a second to import.
"""

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
# One try and one retry: a storage that is down costs a call two timeouts at most.
ATTEMPTS = 2
CACHE_CONTROL = "public, max-age=31536000"


def s3_media(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    custom_domain: str = "",
    url_protocol: str = "https:",
    addressing_style: str = "",
    location: str = "",
    timeout: float = 3.0,
) -> tuple[dict, str]:
    """The ``STORAGES["default"]`` entry for ``bucket``, and the MEDIA_URL its URLs start with.

    Empty keys leave boto3 to find credentials (its environment variables, an
    instance role); an empty endpoint means AWS S3 itself.
    """
    if not bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    if not (custom_domain or endpoint_url):
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs the media's public host: AWS_S3_CUSTOM_DOMAIN "
            "(a CDN, or <bucket>.s3.<region>.amazonaws.com) or AWS_S3_ENDPOINT_URL."
        )
    if not timeout > 0:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_TIMEOUT must be more than 0 seconds, not {timeout}."
        )
    custom_domain = custom_domain.strip("/")
    endpoint_url = endpoint_url.rstrip("/")
    # A custom endpoint (SeaweedFS, MinIO, most providers) serves path-style
    # addresses; AWS itself the virtual-host ones.
    style = addressing_style or ("path" if endpoint_url else "virtual")
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "custom_domain": custom_domain or None,
        "url_protocol": url_protocol,
        "location": location.strip("/"),
        "default_acl": "public-read",
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": CACHE_CONTROL},
        "client_config": Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": ATTEMPTS, "mode": "standard"},
            s3={"addressing_style": style},
        ),
    }
    base = f"{url_protocol}//{custom_domain}/" if custom_domain else f"{endpoint_url}/{bucket}/"
    if options["location"]:
        base += options["location"] + "/"
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}, base
