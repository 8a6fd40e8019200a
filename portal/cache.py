"""The shared cache on Redis: django-redis, where a failed call is a miss.

Every reader page reads the cache (the page cache, the section menu, the
most-read lists, the comment lists, the read beacon): it is a speed-up, never
the truth. So the rule for a Redis that is down or hung lives here, in the
backend, and no caller catches anything: with ``IGNORE_EXCEPTIONS`` a failed
call is logged (``DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS``) and answers as a miss
(``get`` its default, ``get_many`` ``{}``, ``add``/``incr``/``set`` None), each
bounded by ``timeout`` seconds, and the next call tries Redis again, so the site
uses its cache again as soon as Redis answers. A missing key still raises
``ValueError`` from ``incr``, as Django documents.

django-redis builds its Redis client once per cache object (Django keeps one
per thread) and its connection pool once per process and URL: no call builds a
client.
"""

from django.core.exceptions import ImproperlyConfigured


def redis_cache(config: dict, *, timeout: float) -> dict:
    """``config`` (a CACHES entry parsed from a ``redis://`` URL) as this site uses it."""
    if not timeout > 0:
        # django-redis reads 0 as "no timeout": a hung Redis would hold every request.
        raise ImproperlyConfigured(f"REDIS_TIMEOUT must be more than 0 seconds, not {timeout}.")
    options = {
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": timeout,
        "SOCKET_TIMEOUT": timeout,
        **config.get("OPTIONS", {}),
    }
    return {**config, "BACKEND": "django_redis.cache.RedisCache", "OPTIONS": options}
