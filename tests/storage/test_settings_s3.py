"""portal/settings.py with MEDIA_STORAGE: what a fresh process configures from the environment."""

import json

from tests.portal.test_settings import run

CODE = (
    "import json; from django.conf import settings as s; "
    "o = s.STORAGES['default'].get('OPTIONS', {}); print(json.dumps({"
    "'backend': s.STORAGES['default']['BACKEND'], 'media_url': s.MEDIA_URL,"
    "'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'],"
    "'serve_media': s.SERVE_MEDIA, 'ckeditor': s.CKEDITOR_STORAGE_BACKEND,"
    "'options': {k: v for k, v in o.items() if k != 'client_config'},"
    "'timeouts': [o['client_config'].connect_timeout, o['client_config'].read_timeout]"
    " if 'client_config' in o else None}))"
)
S3 = {
    "MEDIA_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "baophusa-media",
    "AWS_ACCESS_KEY_ID": "portal",
    "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
}


def configured(**env) -> dict:
    result = run(
        ["-c", CODE], DJANGO_SETTINGS_MODULE="portal.settings", SECRET_KEY="x", DEBUG="1", **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_local_disk_is_the_default():
    media = configured()
    assert media["backend"] == "django.core.files.storage.FileSystemStorage"
    assert media["media_url"] == "/media/"
    assert media["img_src"] == ["'self'", "data:"]
    assert media["serve_media"] is True  # DEBUG on: Django serves MEDIA_ROOT itself
    assert media["ckeditor"] == "portal.storage.media_storage"


def test_a_cdn_host_is_the_media_url_and_the_csp_allows_it():
    media = configured(
        **S3,
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_CUSTOM_DOMAIN="media.baophusa.example",
        MEDIA_STORAGE_TIMEOUT="2",
    )
    assert media["backend"] == "storages.backends.s3.S3Storage"
    assert media["media_url"] == "https://media.baophusa.example/"
    assert "https://media.baophusa.example" in media["img_src"]
    assert media["serve_media"] is False  # a bucket serves its own files
    options = media["options"]
    assert options["bucket_name"] == "baophusa-media"
    assert options["endpoint_url"] == "https://s3.example.vn"
    assert options["custom_domain"] == "media.baophusa.example"
    assert options["default_acl"] == "public-read"
    assert options["querystring_auth"] is False
    assert options["file_overwrite"] is False
    assert media["timeouts"] == [2.0, 2.0]


def test_without_a_cdn_the_media_url_is_the_endpoint_and_bucket():
    media = configured(**S3, AWS_S3_ENDPOINT_URL="http://127.0.0.1:8333/")
    assert media["media_url"] == "http://127.0.0.1:8333/baophusa-media/"
    assert "http://127.0.0.1:8333" in media["img_src"]


def test_a_bucket_without_a_public_host_stops_with_one_line():
    result = run(["manage.py", "check"], SECRET_KEY="x", **S3, AWS_S3_ENDPOINT_URL="", DEBUG="1")
    assert result.returncode != 0
    assert "AWS_S3_CUSTOM_DOMAIN" in result.stderr


def test_an_unknown_storage_is_refused():
    result = run(["manage.py", "check"], SECRET_KEY="x", MEDIA_STORAGE="ftp", DEBUG="1")
    assert result.returncode != 0
    assert "MEDIA_STORAGE" in result.stderr
