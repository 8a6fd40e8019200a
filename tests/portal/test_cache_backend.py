"""portal.cache.RedisCache: Django's Redis backend with one client per pool, on real Redis."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from portal.cache import RedisCache


@pytest.fixture
def redis_cache(redis_url):
    backend = RedisCache(redis_url, {"KEY_PREFIX": f"test-backend-{uuid.uuid4().hex}"})
    yield backend
    backend.delete_many(["page", "count", "gone"])


def test_it_is_djangos_backend(redis_cache):
    assert isinstance(redis_cache, DjangoRedisCache)


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client()

    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client(write=True) is client  # one server: one pool


def test_values_round_trip_through_redis(redis_cache):
    redis_cache.set("page", {"content": "Tin bão số 3".encode()}, 30)
    redis_cache.set("count", 1, 30)
    redis_cache.incr("count")

    assert redis_cache.get_many(["page", "count", "gone"]) == {
        "page": {"content": "Tin bão số 3".encode()},
        "count": 2,
    }
    assert redis_cache.get("gone", "mặc định") == "mặc định"
