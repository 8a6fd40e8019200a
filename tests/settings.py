"""Settings for the test suite: the portal's own, with a throwaway key and fast hashing."""

import os
import tempfile

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

# The suite reads and writes one database: tests/replica adds the replica
# itself, pointed at its copy of the test database.
DATABASES.pop("replica", None)  # noqa: F405
DATABASE_ROUTERS = []

# Static files straight from the source folders, looked up per request, so the
# suite never depends on (or races with) a collectstatic run in var/static.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# On SQLite the test database is a file of this run's own, not memory: the
# browser tests' live server answers an article form and its page's heartbeat
# in parallel threads, and an in-memory database is one connection they share.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"baophusa-test-{os.getpid()}.sqlite3")
    }
