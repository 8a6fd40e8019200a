"""A replica that is stopped, hung or lagging is skipped: the primary answers, soon."""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from pagecache.copies import worker_copies
from portal import replica
from tests.factories import make_article

from .helpers import ALIAS, REPLICA_TEST, close, on_replica, statements, wait_until_replayed

pytestmark = REPLICA_TEST


def fresh_page(client, url):
    """``url`` rendered again (not from the page cache), timed."""
    cache.clear()
    worker_copies.clear()
    started = time.monotonic()
    page = client.get(url)
    return page, time.monotonic() - started


def replica_reads(url, client):
    with CaptureQueriesContext(connections[ALIAS]) as captured:
        page, _ = fresh_page(client, url)
    assert page.status_code == 200
    return [q["sql"] for q in captured if '"articles_article"' in q["sql"]]


@pytest.fixture
def article():
    made = make_article(title="Lũ đầu nguồn về sớm, nông dân thu hoạch lúa chạy lũ")
    wait_until_replayed()
    return made


@pytest.fixture
def owned(replica_cluster):
    if not replica_cluster.owned:
        pytest.skip("TEST_REPLICA_URL names a replica these tests do not own: not stopped")
    return replica_cluster


def test_a_stopped_replica_is_skipped(client, article, owned, settings, monkeypatch, caplog):
    url = article.get_absolute_url()
    monkeypatch.setattr(replica, "CHECK_SECONDS", 60)
    assert replica_reads(url, client)  # in use, and known to be usable for a minute
    owned.run("halt")
    try:
        # While its state is trusted, the page's query fails on the replica and
        # the page is answered again, from the primary.
        page, _ = fresh_page(client, url)
        assert page.status_code == 200
        assert article.title in page.text
        assert "Read replica failed for" in caplog.text
        # Then it is known to be down: the primary answers at once.
        for _ in range(3):
            with statements(ALIAS) as tried:
                page, seconds = fresh_page(client, url)
            assert page.status_code == 200
            assert article.title in page.text
            assert tried == []
            assert seconds < 1.0
    finally:
        owned.run("start")
    # Back once the time it is remembered as down has passed.
    settings.DATABASE_REPLICA_DOWN_SECONDS = 0.5
    close(ALIAS)
    deadline = time.monotonic() + 30
    while not replica_reads(url, client):
        assert time.monotonic() < deadline, "the replica is not used again after its restart"
        time.sleep(0.3)


def test_a_hung_replica_costs_the_connect_timeout_once(client, article, owned, settings):
    """A replica that takes connections and never answers (its postmaster stopped
    by SIGSTOP): the first page waits the connect timeout, the next ones nothing."""
    settings.DATABASE_REPLICA_DOWN_SECONDS = 30
    timeout = 2  # libpq's smallest connect timeout
    connections.settings[ALIAS]["OPTIONS"]["connect_timeout"] = timeout
    close(ALIAS)  # the next connection is a new one, to the hung postmaster
    postmaster = owned.postmaster_pid()
    os.kill(postmaster, signal.SIGSTOP)
    try:
        page, seconds = fresh_page(client, article.get_absolute_url())
        assert page.status_code == 200
        assert article.title in page.text
        assert timeout - 0.5 < seconds < timeout + 1.5
        for _ in range(3):
            page, seconds = fresh_page(client, article.get_absolute_url())
            assert page.status_code == 200
            assert seconds < 0.5
    finally:
        os.kill(postmaster, signal.SIGCONT)
        connections.settings[ALIAS]["OPTIONS"]["connect_timeout"] = 3
        close(ALIAS)


@pytest.fixture
def paused():
    """The replica's replay paused (it keeps receiving the primary's WAL); resumed after."""

    def pause():
        on_replica("SELECT pg_wal_replay_pause()")

    yield pause
    on_replica("SELECT pg_wal_replay_resume()")
    wait_until_replayed()


def test_a_lagging_replica_is_skipped(client, article, paused, settings):
    url = article.get_absolute_url()
    settings.DATABASE_REPLICA_MAX_LAG = 60
    paused()
    Article.objects.filter(pk=article.pk).update(title="Lũ về sớm: tỉnh hỗ trợ thu hoạch lúa")
    # Behind, within the bound: the replica answers, with what it has replayed.
    page, _ = fresh_page(client, url)
    assert "Lũ đầu nguồn về sớm, nông dân thu hoạch lúa chạy lũ" in page.text

    settings.DATABASE_REPLICA_MAX_LAG = 1
    time.sleep(2.2)  # past the bound, and past the second its state is kept
    with CaptureQueriesContext(connections[ALIAS]) as captured:
        page, _ = fresh_page(client, url)
    assert page.status_code == 200
    assert "Lũ về sớm: tỉnh hỗ trợ thu hoạch lúa" in page.text
    assert [q["sql"] for q in captured if '"articles_article"' in q["sql"]] == []


def test_an_idle_primary_is_no_lag(client, article, settings):
    """Nothing committed for longer than the bound: the replica, caught up, still serves."""
    settings.DATABASE_REPLICA_MAX_LAG = 1
    time.sleep(1.5)
    assert replica_reads(article.get_absolute_url(), client)


def test_while_one_thread_waits_for_a_hung_replica_the_others_read_the_primary(
    article, owned, settings
):
    """granian's threads share one state: one of them checks the replica, the
    others answer meanwhile from the primary instead of waiting in turn."""
    settings.PAGE_CACHE_SECONDS = 0  # every request renders its page
    settings.DATABASE_REPLICA_DOWN_SECONDS = 30
    connections.settings[ALIAS]["OPTIONS"]["connect_timeout"] = 2
    close(ALIAS)
    url = article.get_absolute_url()
    postmaster = owned.postmaster_pid()

    def read(_):
        try:
            started = time.monotonic()
            page = Client().get(url)
            return page.status_code, article.title in page.text, time.monotonic() - started
        finally:
            connections.close_all()

    os.kill(postmaster, signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            first = pool.submit(read, 0)
            time.sleep(0.3)  # that thread is checking the replica now
            others = list(pool.map(read, range(6)))
            answers = [first.result(), *others]
    finally:
        os.kill(postmaster, signal.SIGCONT)
        connections.settings[ALIAS]["OPTIONS"]["connect_timeout"] = 3
        close(ALIAS)
    assert all(status == 200 and shown for status, shown, _ in answers)
    assert answers[0][2] > 1.5  # the one that checked
    assert max(seconds for _, _, seconds in others) < 1.0
