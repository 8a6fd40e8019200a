"""Each worker's own copies of cached pages, answered before Django (pagecache/copies.py).

Requests go through portal.wsgi.application, as the server sends them (the test
client calls Django's handler directly, without the copies in front of it).
A hit on a copy costs no round trip to the shared cache and no Django; a purge
made by this worker is seen at once, one made by another worker within
PAGE_CACHE_RECHECK_SECONDS; the copies stay within their memory.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from articles.services import save_article
from pagecache import copies, middleware, purge
from pagecache.keys import generation_key
from tests.factories import make_article
from tests.pagecache.helpers import WSGIClient, call


@pytest.fixture
def client():
    return WSGIClient()


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
    monkeypatch.setattr(copies.worker_copies, "clock", clock)
    return clock


@pytest.fixture
def shared(monkeypatch):
    counting = CountingCache(cache)
    monkeypatch.setattr(middleware, "cache", counting)
    return counting


def another_worker_retires(*tags):
    """What purge.retire does in another process: the shared generations move
    on and the purge is journaled, and this worker's copies are not told."""
    cache.set_many({generation_key(tag): uuid.uuid4().hex for tag in tags})
    purge.record_purge(tags, 3600)


def retitled(article, title, django_capture_on_commit_callbacks):
    """The article retitled as the newsroom does it: announced after the commit,
    and the page cache's receiver retires its pages in this worker."""
    article.title = title
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=article, by=None)


def test_a_hit_on_a_copy_asks_the_shared_cache_nothing(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article()
    first = client.get(article.get_absolute_url())
    shared.calls.clear()

    second = client.get(article.get_absolute_url())

    assert shared.calls == []
    assert second.status_code == 200
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]
    assert "public" in second.headers["Cache-Control"]
    # The headers it left Django with, the security ones among them.
    assert second.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in second.headers["Content-Security-Policy"]
    assert int(second.headers["Content-Length"]) == len(second.content)


def test_a_copy_is_checked_again_after_the_recheck_time(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article()
    client.get(article.get_absolute_url())
    clock.now += 1.5
    shared.calls.clear()

    response = client.get(article.get_absolute_url())

    assert shared.calls == ["get_many"]  # the page and its tags' generations, one round trip
    assert response.status_code == 200


def test_another_workers_purge_reaches_this_worker_within_the_recheck_time(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    url = article.get_absolute_url()
    assert "Tiêu đề cũ" in client.get(url).text
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")
    another_worker_retires(f"articles:{article.pk}")

    clock.now += 0.5
    assert "Tiêu đề cũ" in client.get(url).text  # still inside the bound
    clock.now += 0.6
    assert "Tiêu đề mới" in client.get(url).text


def test_one_read_of_the_purge_journal_keeps_every_copy_good(client, clock, shared, settings):
    """However many pages a worker holds, one look-up a recheck period tells it
    that none went stale: the long tail of articles stays in the copies."""
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    first, second = make_article(), make_article()
    client.get(first.get_absolute_url())
    client.get(second.get_absolute_url())
    clock.now += 1.5
    client.get(first.get_absolute_url())  # through Django: reads the journal again
    shared.calls.clear()

    assert client.get(second.get_absolute_url()).status_code == 200
    assert shared.calls == []  # answered from its copy, its own tags not read again


def test_another_workers_purge_drops_only_the_copies_showing_it(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    changed = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    other = make_article()
    client.get(changed.get_absolute_url())
    client.get(other.get_absolute_url())
    type(changed).objects.filter(pk=changed.pk).update(title="Tiêu đề mới của bài về lũ")
    another_worker_retires(f"articles:{changed.pk}")
    clock.now += 1.5
    client.get(other.get_absolute_url())  # through Django: the journal names the purge

    shared.calls.clear()
    assert client.get(other.get_absolute_url()).status_code == 200
    assert shared.calls == []  # still a copy
    assert "Tiêu đề mới" in client.get(changed.get_absolute_url()).text  # its copy is gone


def test_this_workers_purge_is_seen_at_once(
    client, clock, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    client.get(article.get_absolute_url())

    retitled(article, "Tiêu đề mới của bài về mùa nước nổi", django_capture_on_commit_callbacks)

    assert "Tiêu đề mới" in client.get(article.get_absolute_url()).text


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
    copies.worker_copies.clear()
    for article in articles:
        client.get(article.get_absolute_url())

    worker = copies.worker_copies
    kept = [entry["content"].decode() for entry, _, _ in worker.entries.values()]
    assert len(kept) == 2
    assert articles[0].title not in kept[0] + kept[1]
    assert worker.size <= settings.PAGE_CACHE_WORKER_BYTES
    assert worker.size == sum(len(entry["content"]) for entry, _, _ in worker.entries.values())


def test_an_address_that_is_not_a_page_costs_no_lookup_next_time(client, clock, shared, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article()
    comments = reverse("comments:list", args=[article.pk])
    client.get(comments, HTTP_X_REQUESTED_WITH="fetch")
    shared.calls.clear()

    response = client.get(comments, HTTP_X_REQUESTED_WITH="fetch")

    assert response.status_code == 200
    assert "get_many" not in shared.calls
    assert "Ý kiến (0)" in response.content.decode()  # rendered by the view itself


def test_a_missing_article_is_cached_once_it_is_published(
    client, clock, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article(status="draft")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404

    article.status = article.Status.PUBLISHED
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=article, by=None)
    first = client.get(url)

    assert first.status_code == 200
    assert "public" in first.headers["Cache-Control"]
    assert client.get(url).content == first.content


def swap(monkeypatch, worker):
    """Make ``worker`` this process's copies: another worker, for the test's sake."""
    for module in (copies, middleware, purge):
        monkeypatch.setattr(module, "worker_copies", worker)


def test_two_workers_on_redis_each_serve_their_copy_and_follow_a_purge(
    client, clock, redis_cache, settings, monkeypatch
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 1
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    url = article.get_absolute_url()
    worker_a = copies.worker_copies
    worker_b = copies.WorkerCopies(clock=clock)

    assert "Tiêu đề cũ" in client.get(url).text  # worker A renders and shares it
    swap(monkeypatch, worker_b)
    assert "Tiêu đề cũ" in client.get(url).text  # worker B takes it from Redis
    assert list(worker_b.entries) == list(worker_a.entries)

    # Worker A saves the article: its own copies go at once, B's within a second.
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")
    swap(monkeypatch, worker_a)
    purge.retire({f"articles:{article.pk}"})  # what the receiver does after the commit
    assert "Tiêu đề mới" in client.get(url).text
    swap(monkeypatch, worker_b)
    assert "Tiêu đề cũ" in client.get(url).text
    clock.now += 1.1
    assert "Tiêu đề mới" in client.get(url).text


def test_a_session_or_a_conditional_request_is_not_answered_from_a_copy(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    url = article.get_absolute_url()
    first = client.get(url)
    assert len(copies.worker_copies.entries) == 1
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")

    assert "Tiêu đề cũ" in client.get(url).text  # the copy (nothing was purged)
    assert "Tiêu đề mới" in client.get(url, HTTP_COOKIE="sessionid=abc").text
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert revalidated.status_code == 304  # Django answered, from the shared cache


def test_a_head_request_gets_the_copys_headers_without_its_body(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    url = make_article().get_absolute_url()
    size = len(client.get(url).content)

    status, headers, content = call(RequestFactory().head(url).environ)
    assert content == b""
    assert status == "200 OK"
    assert dict(headers)["Content-Length"] == str(size)


def test_no_copies_when_every_cache_is_off(client, clock, settings):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    article = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    client.get(article.get_absolute_url())

    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới của bài về mùa nước nổi")
    assert "Tiêu đề mới" in client.get(article.get_absolute_url()).text
    assert not copies.worker_copies.entries


def test_copies_stay_consistent_under_threads(settings):
    """A worker serves several requests at once (portal/serve.py)."""
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    settings.PAGE_CACHE_WORKER_BYTES = 10 * 100  # ten pages of 100 bytes
    worker = copies.WorkerCopies()
    future = 2_000_000_000.0

    def work(n):
        for i in range(500):
            key, tag = (n, i % 25), f"articles:{i % 25}"
            generations = {"everywhere": 7, tag: i % 3}
            worker.saw(generations)
            entry = {"generations": generations, "expires": future, "content": b"x" * 100}
            worker.keep(key, entry, "200 OK", [])
            worker.get((n, (i * 7) % 25))
            if i % 50 == 0:
                worker.forget({tag})
            worker.mark_not_public(f"{n}-{i}")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))

    assert worker.size == sum(len(entry["content"]) for entry, _, _ in worker.entries.values())
    assert worker.size <= settings.PAGE_CACHE_WORKER_BYTES
    shown = {key for keys in worker.showing.values() for key in keys}
    assert shown == set(worker.entries)


def test_what_a_page_does_not_read_makes_no_new_page_nor_copy(client, clock, redis_cache, settings):
    """Neither a query parameter the page ignores nor a forwarding header Django
    ignores (USE_X_FORWARDED_HOST and SECURE_PROXY_SSL_HEADER are off)."""
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    settings.USE_X_FORWARDED_HOST, settings.SECURE_PROXY_SSL_HEADER = False, None
    url = make_article().get_absolute_url()
    first = client.get(url)
    for _ in range(400):
        noise = uuid.uuid4().hex
        response = client.get(
            f"{url}?utm_source={noise}&{noise}=1",
            HTTP_X_FORWARDED_HOST=f"{noise}.example.com",
            HTTP_X_FORWARDED_PROTO=noise,
        )
        assert response.content == first.content

    assert len(list(redis_cache.iter_keys("page:*"))) == 1
    assert len(copies.worker_copies.entries) == 1


def test_a_purge_drops_only_the_copies_showing_the_change(
    client, clock, shared, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    changed = make_article(title="Tiêu đề cũ của bài về mùa nước nổi")
    other = make_article()
    for article in (changed, other):
        client.get(article.get_absolute_url())
    assert len(copies.worker_copies.entries) == 2

    retitled(changed, "Tiêu đề mới của bài về mùa nước nổi", django_capture_on_commit_callbacks)

    assert len(copies.worker_copies.entries) == 1  # dropped at once
    shared.calls.clear()
    assert client.get(other.get_absolute_url()).status_code == 200
    assert shared.calls == []  # still the copy
    assert "Tiêu đề mới" in client.get(changed.get_absolute_url()).text
