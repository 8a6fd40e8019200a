"""Single flight (pagecache/middleware.py): at most one render of a page at a time.

Readers arriving together at a page the cache lacks get one render between them:
the others wait for it, or get the page's previous copy at once when the cache
still holds one (after a purge). Nothing waits longer than the render's lease,
nothing waits on a cache that is down, and a previous copy stands in only for a
render under way.

The concurrent readers are threads of one process calling portal.wsgi.application,
as a server's threads do, with the shared cache on the real Redis; the article
page's render is patched to count, and to hold until the others have shown what
they do meanwhile.
"""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connections
from django.test import RequestFactory
from django.utils import timezone

import articles.views
from articles.models import Article
from articles.workflow import unpublish
from deploy.cluster import free_port
from pagecache import copies, middleware, purge
from pagecache.keys import lease_key, page_key, shared_key
from tests.factories import make_article
from tests.pagecache.helpers import WSGIClient
from tests.portal.test_cache_down import Server, redis_at

READERS = 8
OLD_TITLE = "Tiêu đề cũ của bài về mùa nước nổi"
NEW_TITLE = "Tiêu đề mới của bài về mùa nước nổi"
# How long a held render waits for the other readers to show what they do: a
# bound for a broken build only; a working one never comes near it.
PATIENCE = 5

# Threads read the article on their own connections: it must be committed.
# serialized_rollback: later tests start from the migrated data again.
threaded = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# An anonymous reader's GET through the portal's WSGI application, as a server sends it.
reader = WSGIClient()


def at_once(path: str, readers: int, answered: list) -> list:
    """``readers`` GETs of ``path`` let go together, each in its own thread, as a
    server's threads answer them; each answer joins ``answered`` as it comes."""
    barrier = threading.Barrier(readers)
    errors = []

    def read():
        try:
            barrier.wait(timeout=PATIENCE)
            answered.append(reader.get(path))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=4 * PATIENCE)
    assert errors == []
    assert len(answered) == readers
    return answered


def until(condition) -> bool:
    """Whether ``condition`` comes true within PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def lifetime(answer) -> int:
    """The max-age an answer's Cache-Control gives it."""
    directives = dict(d.partition("=")[::2] for d in answer.headers["Cache-Control"].split(", "))
    return int(directives["max-age"])


def renders_counted(monkeypatch, hold=lambda: True) -> list:
    """Every render of the article page from now on, held until ``hold()``
    returns; the list records what each ``hold()`` returned."""
    renders = []
    real = articles.views.render

    def render(*args, **kwargs):
        renders.append(hold())
        return real(*args, **kwargs)

    monkeypatch.setattr(articles.views, "render", render)
    return renders


def waiting_readers(monkeypatch) -> set:
    """The threads that waited for another's render (the middleware's sleep)."""
    waiting = set()
    real = middleware.sleep

    def sleep(seconds):
        waiting.add(threading.get_ident())
        real(seconds)

    monkeypatch.setattr(middleware, "sleep", sleep)
    return waiting


@threaded
def test_readers_arriving_together_at_an_uncached_page_get_one_render(redis_cache, monkeypatch):
    url = make_article(title=NEW_TITLE).get_absolute_url()
    waiting = waiting_readers(monkeypatch)
    renders = renders_counted(monkeypatch, hold=lambda: until(lambda: len(waiting) == READERS - 1))

    answers = at_once(url, READERS, [])

    assert renders == [True]  # one render, and every other reader waited for it
    assert [a.status_code for a in answers] == [200] * READERS
    assert len({a.text for a in answers}) == 1
    assert NEW_TITLE in answers[0].text
    assert min(map(lifetime, answers)) >= 55


@threaded
def test_after_a_purge_one_reader_renders_and_the_others_get_the_previous_copy_at_once(
    redis_cache, monkeypatch
):
    article = make_article(title=OLD_TITLE)
    url = article.get_absolute_url()
    before = reader.get(url)
    Article.objects.filter(pk=article.pk).update(title=NEW_TITLE)
    purge.retire({f"articles:{article.pk}"})  # what the receiver does after the commit
    answered = []
    renders = renders_counted(monkeypatch, hold=lambda: until(lambda: len(answered) == READERS - 1))

    at_once(url, READERS, answered)

    assert renders == [True]  # one render, and the others were answered while it ran
    *previous, rendered = answered
    assert NEW_TITLE in rendered.text
    assert lifetime(rendered) >= 55
    for answer in previous:
        assert answer.status_code == 200
        assert answer.text == before.text
        # Kept by no cache: no lifetime, nothing to revalidate it with.
        assert answer.headers["Cache-Control"] == "public, max-age=0"
        assert "ETag" not in answer.headers
        assert "Last-Modified" not in answer.headers
    kept = [entry["content"].decode() for entry, _, _ in copies.worker_copies.entries.values()]
    assert len(kept) == 1
    assert NEW_TITLE in kept[0]
    assert NEW_TITLE in reader.get(url).text
    assert len(renders) == 1


class Clock:
    """The middleware's clock and sleep: time passes only while a request waits."""

    def __init__(self):
        self.now, self.slept = 0.0, []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(middleware, "monotonic", clock.monotonic)
    monkeypatch.setattr(middleware, "sleep", clock.sleep)
    return clock


def lease_held(url: str, settings) -> None:
    """The lease on rendering ``url``, taken by a worker that died rendering it."""
    page = page_key(RequestFactory().get(url).environ, url)
    assert cache.add(lease_key(shared_key(page)), 1, timeout=settings.PAGE_CACHE_RENDER_SECONDS)


@pytest.mark.django_db
def test_a_lease_left_by_a_dead_worker_delays_a_reader_at_most_the_lease(
    client, clock, settings, monkeypatch
):
    settings.PAGE_CACHE_RENDER_SECONDS = 5
    url = make_article(title=NEW_TITLE).get_absolute_url()
    lease_held(url, settings)
    renders = renders_counted(monkeypatch)

    response = client.get(url)

    assert response.status_code == 200
    assert NEW_TITLE in response.content.decode()
    assert len(renders) == 1
    assert clock.now == pytest.approx(5)  # it waited out the lease, and no longer
    assert max(clock.slept) <= middleware.POLL_SECONDS
    assert client.get(url).content == response.content  # kept: answered without a render
    assert len(renders) == 1


@pytest.mark.django_db
def test_an_article_taken_down_is_not_shown_from_its_previous_copy_after_its_410(
    client, clock, settings, django_capture_on_commit_callbacks
):
    article = make_article(title=OLD_TITLE)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        unpublish(article=article, by=None)

    assert client.get(url).status_code == 410  # the render after the purge
    copies.worker_copies.clear()  # another worker, which has not answered it yet
    lease_held(url, settings)  # and another reader's render under way

    response = client.get(url)
    assert response.status_code == 410  # waited for that render, then rendered
    assert OLD_TITLE not in response.content.decode()


@pytest.mark.django_db
def test_an_expired_page_stands_in_for_its_render_only_a_little_past_its_end(
    client, clock, settings
):
    settings.PAGE_CACHE_SECONDS, settings.PAGE_CACHE_STALE_SECONDS = 60, 10
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        article = make_article(title=OLD_TITLE)
        url = article.get_absolute_url()
        before = client.get(url)
    Article.objects.filter(pk=article.pk).update(title=NEW_TITLE)

    with time_machine.travel(start + timedelta(seconds=65), tick=False):  # 5 s past its end
        lease_held(url, settings)
        stand_in = client.get(url)
    assert clock.slept == []
    assert stand_in.content == before.content
    assert stand_in["Cache-Control"] == "public, max-age=0"

    with time_machine.travel(start + timedelta(seconds=75), tick=False):  # 15 s past it
        lease_held(url, settings)
        waited = client.get(url)
    assert clock.slept  # no previous copy any more: it waited for the render
    assert NEW_TITLE in waited.content.decode()


@pytest.fixture(params=["refused", "hung"])
def cache_down(request, settings):
    """Redis refusing connections, or accepting them and never answering."""
    if request.param == "refused":
        settings.CACHES = redis_at(free_port())
        yield
        return
    server = Server()
    server.start()
    settings.CACHES = redis_at(server.port)
    yield
    server.stop()


@pytest.mark.django_db
def test_with_the_cache_down_every_reader_renders_and_none_waits(
    client, clock, cache_down, monkeypatch
):
    url = make_article(title=NEW_TITLE).get_absolute_url()
    renders = renders_counted(monkeypatch)

    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert NEW_TITLE in response.content.decode()

    assert len(renders) == 3
    assert clock.slept == []
