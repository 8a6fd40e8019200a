"""The environment the benchmark's servers and in-process tools give the portal:
`make serve`'s production settings on plain HTTP, with the bench's database and
cache, and a developer's .env left out."""

import os
import secrets


def serving_environment(*, database_url: str, cache_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "PORTAL_ENV_FILE": os.devnull,  # the run's settings, not a developer's .env
        "DEBUG": "0",  # as `make serve` sets them, also for the commands run here
        "DEMO": "1",  # seed_bench lives in the demo app
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SERVE_MEDIA": "1",
        # Each post comes from its own address (X-Forwarded-For, set by post.lua),
        # so what is measured is posting, not the per-address limit.
        "COMMENTS_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
    }
