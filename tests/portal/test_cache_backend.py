"""The Redis cache backend (portal/cache.py): django-redis, one client per cache object,
every call the callers make answering as they expect, on real Redis and on a dead one."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django_redis.cache import RedisCache

from deploy.cluster import free_port
from portal.cache import redis_cache
from tests.portal.test_cache_down import redis_at


@pytest.fixture
def redis_backend(settings, redis_url):
    settings.CACHES = {
        "default": redis_cache(
            {"LOCATION": redis_url, "KEY_PREFIX": f"test-backend-{uuid.uuid4().hex}"}, timeout=2
        )
    }
    backend = caches["default"]
    yield backend
    backend.delete_many(["page", "count", "gone", "added", "many:1", "many:2"])


def test_a_redis_url_gets_django_redis_with_failures_as_misses():
    config = redis_cache({"LOCATION": "redis://127.0.0.1:6379/1"}, timeout=0.25)

    assert config["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert config["OPTIONS"] == {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.25,
    }


def test_options_given_in_the_url_win():
    config = redis_cache(
        {"LOCATION": "redis://h/1", "OPTIONS": {"SOCKET_TIMEOUT": 2}}, timeout=0.25
    )

    assert config["OPTIONS"]["SOCKET_TIMEOUT"] == 2


@pytest.mark.parametrize("timeout", [0, -1])
def test_no_timeout_is_refused(timeout):
    # django-redis reads 0 as no timeout at all: a hung Redis would hold every request.
    with pytest.raises(ImproperlyConfigured, match="REDIS_TIMEOUT"):
        redis_cache({"LOCATION": "redis://h/1"}, timeout=timeout)


def test_one_client_per_cache_object_and_one_pool_per_process(redis_backend):
    assert isinstance(redis_backend, RedisCache)
    client = redis_backend.client.get_client()
    redis_backend.set("count", 1, 30)
    redis_backend.get("count")

    assert redis_backend.client.get_client() is client
    assert redis_backend.client.get_client(write=False) is client  # one server
    # Django keeps a cache object per thread; they share the process's pool.
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(backend=caches["default"]))
    thread.start()
    thread.join()
    assert seen["backend"] is not redis_backend
    assert seen["backend"].client.get_client().connection_pool is client.connection_pool


def test_every_call_the_site_makes_on_real_redis(redis_backend):
    cache = redis_backend
    cache.set("page", {"content": "Tin bão số 3".encode()}, 30)
    cache.set_many({"many:1": 1, "many:2": 2}, 30)

    assert cache.get_many(["page", "many:1", "gone"]) == {
        "page": {"content": "Tin bão số 3".encode()},
        "many:1": 1,
    }
    assert cache.get("gone", "mặc định") == "mặc định"
    with pytest.raises(ValueError):
        cache.incr("gone")  # popularity and the page cache add the key then
    assert cache.add("added", 1, 30) is True
    assert cache.add("added", 1, 30) is False
    assert cache.incr("added") == 2
    assert cache.decr("added") == 1
    assert cache.delete("added") is True
    assert cache.get("added") is None


def test_every_call_the_site_makes_on_a_dead_redis(settings, caplog):
    settings.CACHES = redis_at(free_port())
    cache = caches["default"]

    # A miss, whatever the call: nothing raises.
    assert cache.get("page") is None
    assert cache.get("page", "mặc định") == "mặc định"
    assert cache.get_many(["page", "count"]) == {}
    assert cache.add("count", 1, 30) is None  # neither added (True) nor there (False)
    assert cache.incr("count") is None
    assert cache.decr("count") is None
    assert cache.set("page", b"x", 30) is None
    assert cache.set_many({"page": b"x"}, 30) is None
    assert not cache.delete("page")
    assert cache.clear() is None
    assert len([r for r in caplog.records if r.name == "django_redis.cache"]) == 10
