"""Settings for the test suite: the portal's own, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")
os.environ["PORTAL_ENV_FILE"] = os.devnull  # a developer's .env never leaks into tests

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
