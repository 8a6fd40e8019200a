"""The read beacon holds against abuse: one count per address whatever the browser,
nothing stored for what is not a published article, bounded under a flood, and
no reader request pays for writing the counts to the database."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.urls import reverse

from articles import popularity
from articles.models import Article, ArticleView, Section
from tests.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126 Mobile"
NOW = (datetime.now(UTC) + timedelta(hours=2)).replace(minute=30, second=0, microsecond=0)


def beacon(client, pk, *, ip="203.0.113.7", user_agent=BROWSER):
    return client.post(
        reverse("articles:count_view", kwargs={"pk": pk}),
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=ip,
    )


def total_counted():
    popularity.flush_views()
    return sum(ArticleView.objects.values_list("count", flat=True))


def hidden_ids():
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=NOW + timedelta(hours=6))
    return {"draft": draft.pk, "scheduled": scheduled.pk, "missing": scheduled.pk + 1000}


@pytest.fixture
def redis_keys(settings, redis_url):
    """The site's cache on the real Redis, under a prefix of its own; returns a
    function listing every key stored under it."""
    prefix = f"test-reads-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        },
    }
    server = redis.Redis.from_url(redis_url)
    yield lambda: sorted(key.decode() for key in server.scan_iter(match=f"{prefix}:*"))
    server.close()


# Once per address


def test_a_reader_rotating_their_user_agent_counts_once(client):
    article = make_article()
    with time_machine.travel(NOW, tick=False):
        for n in range(201):
            assert beacon(client, article.pk, user_agent=f"{BROWSER} Build/{n}").status_code == 204

        assert total_counted() == 1


def test_the_same_address_counts_again_after_half_an_hour(client):
    article = make_article()
    with time_machine.travel(NOW, tick=False):
        beacon(client, article.pk)
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        beacon(client, article.pk)
        assert total_counted() == 2


def test_an_ipv6_subscriber_changing_address_within_its_64_counts_once(client):
    article = make_article()
    with time_machine.travel(NOW, tick=False):
        for host in ("1", "2", "dead:beef", "ffff:ffff:ffff"):
            beacon(client, article.pk, ip=f"2001:db8:42:7::{host}")
        beacon(client, article.pk, ip="2001:db8:42:8::1")  # another subscriber

        assert total_counted() == 2


# Nothing for what readers may not see


@pytest.mark.parametrize("kind", ["draft", "scheduled", "missing"])
def test_an_id_that_is_no_published_article_counts_nothing(client, kind):
    pk = hidden_ids()[kind]
    with time_machine.travel(NOW, tick=False):
        assert beacon(client, pk).status_code == 404
        assert beacon(client, pk).status_code == 404  # not remembered as read either

        assert popularity.flush_views() == 0
        hour = popularity.hour_start(NOW)
        assert cache.get(f"views:{hour:%Y%m%d%H}:{pk}") is None


def test_an_id_that_is_no_published_article_stores_no_key_on_redis(client, redis_keys):
    published = make_article()
    with time_machine.travel(NOW, tick=False):
        Section.objects.cached_menu()  # the 404 page's menu, kept for every page
        before = redis_keys()
        for pk in hidden_ids().values():
            for n in range(3):
                assert beacon(client, pk, ip=f"198.51.100.{n}").status_code == 404
        assert redis_keys() == before

        beacon(client, published.pk)  # the same beacon on a published article does store
        assert redis_keys() != before


# Bounded under a flood


@pytest.fixture
def allowance(monkeypatch):
    monkeypatch.setattr(popularity, "READS_PER_ADDRESS", 5, raising=False)
    return 5


def test_an_address_counts_at_most_its_allowance_an_hour(client, allowance):
    articles = [make_article() for _ in range(allowance * 3)]
    with time_machine.travel(NOW, tick=False):
        for article in articles:
            beacon(client, article.pk)
        beacon(client, articles[-1].pk, ip="198.51.100.9")  # another reader still counts

        assert total_counted() == allowance + 1
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        beacon(client, articles[-1].pk)
        assert total_counted() == allowance + 2


def test_past_its_allowance_an_address_costs_no_query(client, allowance, django_assert_num_queries):
    articles = [make_article() for _ in range(allowance + 3)]
    with time_machine.travel(NOW, tick=False):
        for article in articles[:allowance]:
            beacon(client, article.pk)
        with django_assert_num_queries(0):
            for article in articles[allowance:]:
                assert beacon(client, article.pk).status_code == 204


def test_a_flood_from_one_address_stores_no_more_keys_than_its_allowance(
    client, allowance, redis_keys
):
    articles = [make_article() for _ in range(allowance * 4)]
    with time_machine.travel(NOW, tick=False):
        for article in articles[:allowance]:
            beacon(client, article.pk)
        after_allowance = redis_keys()
        for article in articles[allowance:]:
            for n in range(3):
                beacon(client, article.pk, user_agent=f"{BROWSER} Build/{n}")

        assert redis_keys() == after_allowance


# The flush is a periodic job, never a reader's request


def test_the_beacon_never_writes_the_counts_to_the_database(client, monkeypatch):
    def flush(**kwargs):
        raise AssertionError("a reader's beacon ran the flush")

    monkeypatch.setattr(popularity, "flush_views", flush)
    article = make_article()
    for minute in range(0, 30, 3):  # the old beacon flushed once a minute
        with time_machine.travel(NOW + timedelta(minutes=minute), tick=False):
            assert beacon(client, article.pk, ip=f"198.51.100.{minute}").status_code == 204
    assert not ArticleView.objects.exists()
