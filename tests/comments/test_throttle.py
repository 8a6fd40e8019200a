"""The per-address limit on posting, and where the client address comes from."""

import json
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse

from comments import throttle
from comments.models import Comment
from portal.cache import redis_cache
from tests.factories import make_article

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}

pytestmark = pytest.mark.django_db


def send(client, article, n, **extra):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Huỳnh Văn Nghệ", "body": f"Ý kiến thứ {n} về bài này."},
        **extra,
    )


def test_beyond_the_limit_is_429_and_nothing_is_stored(client, settings):
    settings.COMMENTS_RATE_LIMIT = "3/10m"
    article = make_article()
    for n in range(3):
        assert send(client, article, n, **SCRIPT).status_code == 201
    response = send(client, article, 3, **SCRIPT)
    assert response.status_code == 429
    assert "gửi nhiều ý kiến trong thời gian ngắn" in json.loads(response.text)["message"]
    assert int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 3


def test_429_without_script_keeps_the_text(client, settings):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()
    assert send(client, article, 1).status_code == 303
    response = send(client, article, 2)
    assert response.status_code == 429
    assert "Ý kiến thứ 2 về bài này.</textarea>" in response.text
    assert Comment.objects.count() == 1


def test_the_limit_is_per_address(client, settings):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()
    assert send(client, article, 1, REMOTE_ADDR="192.0.2.1", **SCRIPT).status_code == 201
    assert send(client, article, 2, REMOTE_ADDR="192.0.2.1", **SCRIPT).status_code == 429
    assert send(client, article, 3, REMOTE_ADDR="192.0.2.2", **SCRIPT).status_code == 201


def test_refused_comments_do_not_use_up_the_allowance(client, settings):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()
    url = reverse("comments:post", args=[article.pk])
    for _ in range(3):
        assert client.post(url, {"name": "An", "body": "  "}, **SCRIPT).status_code == 400
    assert send(client, article, 1, **SCRIPT).status_code == 201


def test_one_ipv6_network_shares_one_allowance(client, settings):
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()
    assert send(client, article, 1, REMOTE_ADDR="2001:db8:1:2::10", **SCRIPT).status_code == 201
    assert send(client, article, 2, REMOTE_ADDR="2001:db8:1:2::99", **SCRIPT).status_code == 429
    assert send(client, article, 3, REMOTE_ADDR="2001:db8:1:3::10", **SCRIPT).status_code == 201


def test_client_address_from_the_trusted_proxy_header(client, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    article = make_article()
    # The client wrote the first entry; the proxy appended the address it saw.
    response = send(client, article, 1, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.77", **SCRIPT)
    assert response.status_code == 201
    assert Comment.objects.get().ip_address == "198.51.100.77"


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.9"}, "203.0.113.9"),
        ({"REMOTE_ADDR": "2001:DB8::1"}, "2001:db8::1"),
        ({"REMOTE_ADDR": "không phải địa chỉ"}, None),
        ({"REMOTE_ADDR": ""}, None),
        ({}, None),
    ],
)
def test_client_ip(meta, expected):
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert throttle.client_ip(request) == expected


def test_a_request_without_an_address_is_still_answered(client):
    article = make_article()
    response = send(client, article, 1, REMOTE_ADDR="", **SCRIPT)
    assert response.status_code == 201
    assert Comment.objects.get().ip_address is None


def test_limit_holds_across_two_separately_configured_cache_clients(client, settings, redis_url):
    """Two processes, each with its own Redis client, share one allowance per address."""
    # A prefix of their own, so nothing from an earlier run (or from another
    # test using the same Redis) is counted; the keys expire with the window.
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    article = make_article()
    seen = []

    def send_through_a_new_client(n):
        # A new CACHES setting: Django builds new cache objects, as in another process.
        settings.CACHES = {
            "default": redis_cache({"LOCATION": redis_url, "KEY_PREFIX": prefix}, timeout=2)
        }
        seen.append(caches["default"])
        return send(client, article, n, REMOTE_ADDR="192.0.2.200", **SCRIPT).status_code

    assert [send_through_a_new_client(n) for n in range(4)] == [201, 201, 429, 429]
    assert len({id(backend) for backend in seen}) == 4
    assert Comment.objects.count() == 2
