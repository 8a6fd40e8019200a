"""Settings for the test suite: the portal's own, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")
os.environ["PORTAL_ENV_FILE"] = os.devnull  # a developer's .env never leaks into tests

from portal import settings as portal_settings
from portal.settings import *  # noqa: F403

# The demo app's seeds are tested too.
if "demo" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Templates resolve {% static %} without a collectstatic manifest.
STORAGES = {
    **portal_settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Static files straight from the source folders, looked up per request, so the
# suite never depends on (or races with) a collectstatic run in var/static.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
