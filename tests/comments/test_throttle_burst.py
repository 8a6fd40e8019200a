"""The comment rate limit under a burst from one address, and with the cache down.

- On real Redis, 40 simultaneous posts from one address with a limit of 5 are
  answered with exactly 5 acceptances (PostgreSQL: SQLite serializes every
  writer, so the posts would not overlap there).
- With Redis refused or hung, the limit holds from the stored comments.
"""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from comments import throttle
from comments.models import Comment
from deploy.cluster import free_port
from portal.cache import redis_cache
from tests.comments.test_load import FROM_THE_ARTICLE_PAGE, post
from tests.factories import make_article, make_comment
from tests.portal.test_cache_down import Server, redis_at

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
BURST = 40
LIMIT = 5


def send(client, article, n, **extra):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Huỳnh Văn Nghệ", "body": f"Ý kiến thứ {n} về bài này."},
        **extra,
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a burst needs PostgreSQL (SQLite serializes every writer); CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_burst_from_one_address_gets_exactly_the_limit(live_server, settings, redis_url):
    settings.CACHES = {
        "default": redis_cache(
            {"LOCATION": redis_url, "KEY_PREFIX": f"test-burst-{uuid.uuid4().hex}"}, timeout=5
        )
    }
    settings.COMMENTS_RATE_LIMIT = f"{LIMIT}/d"  # no window boundary inside the test
    article = make_article()
    url = live_server.url + reverse("comments:post", args=[article.pk])
    start = threading.Barrier(BURST)

    def send_at_once(n: int) -> int:
        start.wait(timeout=30)
        status, _ = post(
            url,
            {"name": f"Bạn đọc {n}", "body": f"Ý kiến số {n} gửi cùng lúc."},
            FROM_THE_ARTICLE_PAGE,
        )
        return status

    with ThreadPoolExecutor(max_workers=BURST) as pool:
        statuses = Counter(pool.map(send_at_once, range(BURST)))

    assert statuses == {201: LIMIT, 429: BURST - LIMIT}, statuses
    assert Comment.objects.filter(article=article).count() == LIMIT


@pytest.fixture(params=["refused", "hung"])
def cache_down(request, settings):
    if request.param == "refused":
        settings.CACHES = redis_at(free_port())
    else:
        server = Server()
        server.start()
        request.addfinalizer(server.stop)
        settings.CACHES = redis_at(server.port)
    return request.param


@pytest.mark.django_db
def test_with_the_cache_down_the_limit_holds_from_the_database(client, settings, cache_down):
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    article = make_article()
    # Outside the period or from elsewhere: not counted.
    make_comment(article=article, ip_address="192.0.2.9")
    old = make_comment(article=article, ip_address="192.0.2.1")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    url = reverse("comments:post", args=[article.pk])
    assert client.post(url, {"name": "An", "body": " "}, **SCRIPT).status_code == 400

    answers = [send(client, article, n, REMOTE_ADDR="192.0.2.1", **SCRIPT) for n in range(3)]

    assert [a.status_code for a in answers] == [201, 201, 429], cache_down
    assert "gửi nhiều ý kiến trong thời gian ngắn" in answers[2].json()["message"]
    assert 0 < int(answers[2]["Retry-After"]) <= 600
    assert send(client, article, 4, REMOTE_ADDR="192.0.2.2", **SCRIPT).status_code == 201
    assert Comment.objects.filter(ip_address="192.0.2.1").count() == 3  # the old one and two


@pytest.mark.django_db
def test_with_the_cache_down_retry_after_is_when_the_oldest_counted_comment_leaves(
    client, settings
):
    settings.CACHES = redis_at(free_port())
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    article = make_article()
    start = timezone.now()
    for minute in (0, 3):
        with time_machine.travel(start + timedelta(minutes=minute), tick=False):
            assert send(client, article, minute, **SCRIPT).status_code == 201
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        refused = send(client, article, 4, **SCRIPT)
    with time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False):
        allowed = send(client, article, 10, **SCRIPT)

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(6 * 60)
    assert allowed.status_code == 201


@pytest.mark.django_db
def test_with_the_cache_down_one_ipv6_network_shares_one_allowance(client, settings):
    settings.CACHES = redis_at(free_port())
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()

    def status(n, ip):
        return send(client, article, n, REMOTE_ADDR=ip, **SCRIPT).status_code

    assert status(1, "2001:db8:1:2::10") == 201
    assert status(2, "2001:db8:1:2:ffff::99") == 429
    assert status(3, "2001:db8:1:3::10") == 201
    assert status(4, "") == 201  # no address: an allowance of its own
    assert status(5, "") == 429


@pytest.mark.django_db
def test_with_no_cache_at_all_the_limit_still_holds(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.COMMENTS_RATE_LIMIT = "1/10m"
    article = make_article()

    assert send(client, article, 1, **SCRIPT).status_code == 201
    assert send(client, article, 2, **SCRIPT).status_code == 429


def test_slots_given_back_free_the_allowance_even_after_a_refusal(settings):
    """Two posts overlap the last slot: one is refused, the other is not stored."""
    settings.COMMENTS_RATE_LIMIT = "2/10m"
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4")
    stored = throttle.take_slot(request)
    mistyped = throttle.take_slot(request)
    refused = throttle.take_slot(request)

    assert stored.retry_after is None and mistyped.retry_after is None
    assert refused.retry_after is not None
    mistyped.give_back()
    assert throttle.take_slot(request).retry_after is None  # one stored: one slot left
    assert throttle.take_slot(request).retry_after is not None
