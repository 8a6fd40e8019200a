"""Each worker's own copies of cached pages (portal/pagecache.py, WorkerCopies).

A hit on a copy costs no round trip to the shared cache; a purge made by this
worker is seen at once, one made by another worker within
PAGE_CACHE_RECHECK_SECONDS; the copies stay within their memory.
"""

import os
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal import pagecache
from tests.factories import make_article

pytestmark = pytest.mark.django_db


class CountingCache:
    """The shared cache, counting the calls the page cache makes to it."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def counted(*args, **kwargs):
            self.calls.append(name)
            return attr(*args, **kwargs)

        return counted


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(pagecache.worker_copies, "clock", clock)
    return clock


@pytest.fixture
def shared(monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr(pagecache, "cache", counting)
    return counting


def another_worker_purges():
    """What purge_pages does in another process: the shared generation moves on,
    and this worker's copies are not told."""
    try:
        cache.incr(pagecache.GENERATION_KEY)
    except ValueError:
        cache.set(pagecache.GENERATION_KEY, 1, timeout=None)


def test_a_hit_on_a_copy_asks_the_shared_cache_nothing(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article()
    first = client.get(article.get_absolute_url())
    shared.calls.clear()

    second = client.get(article.get_absolute_url())

    assert shared.calls == []
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "public" in second["Cache-Control"]


def test_a_copy_is_checked_again_after_the_recheck_time(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article()
    client.get(article.get_absolute_url())
    clock.now += 1.5
    shared.calls.clear()

    response = client.get(article.get_absolute_url())

    assert shared.calls == ["get_many"]  # the generation and the page, one round trip
    assert response.status_code == 200


def test_another_workers_purge_reaches_this_worker_within_the_recheck_time(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    url = article.get_absolute_url()
    assert "Tiêu đề cũ" in client.get(url).content.decode()
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")
    another_worker_purges()

    clock.now += 0.5
    assert "Tiêu đề cũ" in client.get(url).content.decode()  # still inside the bound
    clock.now += 0.6
    assert "Tiêu đề mới" in client.get(url).content.decode()


def test_this_workers_purge_is_seen_at_once(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    client.get(article.get_absolute_url())

    article.title = "Tiêu đề mới của bài về mùa nước nổi"
    article.save()
    pagecache._bump_generation()  # what the purge does once the save commits

    assert "Tiêu đề mới" in client.get(article.get_absolute_url()).content.decode()


def test_no_copies_are_answered_when_the_recheck_time_is_zero(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 0
    article = make_article()
    client.get(article.get_absolute_url())
    shared.calls.clear()

    assert client.get(article.get_absolute_url()).status_code == 200
    assert shared.calls == ["get_many"]


def test_copies_stay_within_their_memory_oldest_used_dropped_first(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    articles = [make_article() for _ in range(3)]
    size = len(client.get(articles[0].get_absolute_url()).content)
    settings.PAGE_CACHE_WORKER_BYTES = size * 2 + size // 2  # room for two pages, not three
    pagecache.worker_copies.clear()
    for article in articles:
        client.get(article.get_absolute_url())

    copies = pagecache.worker_copies
    kept = [e["content"].decode() for e in copies.entries.values()]
    assert len(kept) == 2
    assert articles[0].title not in kept[0] + kept[1]
    assert copies.size <= settings.PAGE_CACHE_WORKER_BYTES
    assert copies.size == sum(len(e["content"]) for e in copies.entries.values())


def test_an_address_that_is_not_a_page_costs_no_lookup_next_time(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article()
    comments = reverse("comments:list", args=[article.pk])
    client.get(comments, HTTP_X_REQUESTED_WITH="fetch")
    shared.calls.clear()

    response = client.get(comments, HTTP_X_REQUESTED_WITH="fetch")

    assert response.status_code == 200
    assert "get_many" not in shared.calls
    assert "csrfmiddlewaretoken" in response.content.decode()  # rendered for this reader


def test_a_missing_article_is_cached_once_it_is_published(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article(status="draft")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404

    article.status = article.Status.PUBLISHED
    article.save()
    pagecache._bump_generation()
    first = client.get(url)

    assert first.status_code == 200
    assert "public" in first["Cache-Control"]
    assert client.get(url).content == first.content


@pytest.fixture
def redis_cache(settings):
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must export TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
        pytest.skip("TEST_REDIS_URL is not set: export TEST_REDIS_URL=redis://127.0.0.1:6379/15")
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-pages-{uuid.uuid4().hex}",
        }
    }
    yield cache
    cache.clear()


def test_two_workers_on_redis_each_serve_their_copy_and_follow_a_purge(
    client, clock, redis_cache, settings, monkeypatch
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    url = article.get_absolute_url()
    worker_a = pagecache.worker_copies
    worker_b = pagecache.WorkerCopies(clock=clock)

    assert "Tiêu đề cũ" in client.get(url).content.decode()  # worker A renders and shares it
    monkeypatch.setattr(pagecache, "worker_copies", worker_b)
    assert "Tiêu đề cũ" in client.get(url).content.decode()  # worker B takes it from Redis
    assert list(worker_b.entries) == list(worker_a.entries)

    # Worker A saves the article: its own copies go at once, B's within a second.
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")
    monkeypatch.setattr(pagecache, "worker_copies", worker_a)
    pagecache._bump_generation()
    assert "Tiêu đề mới" in client.get(url).content.decode()
    monkeypatch.setattr(pagecache, "worker_copies", worker_b)
    assert "Tiêu đề cũ" in client.get(url).content.decode()
    clock.now += 1.1
    assert "Tiêu đề mới" in client.get(url).content.decode()
