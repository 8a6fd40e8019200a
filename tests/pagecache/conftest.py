import uuid

import pytest
from django.core.cache import cache

from portal.cache import redis_cache as redis_cache_config


@pytest.fixture
def redis_cache(settings, redis_url):
    """The shared cache on the real Redis (TEST_REDIS_URL), as the site configures it."""
    config = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": f"test-pages-{uuid.uuid4().hex}",
    }
    settings.CACHES = {"default": redis_cache_config(config, timeout=1)}
    yield cache
    cache.clear()
