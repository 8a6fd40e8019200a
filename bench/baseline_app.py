"""The benchmark's baseline: one Django view, no database, no middleware.

What the framework itself answers on this machine under the portal's server
settings, for bench/run.py to divide by:

    python -m portal.serve --working-dir bench baseline_app:application

``BASELINE_MIDDLEWARE=default`` adds the middleware ``django-admin startproject``
generates (security, sessions, common, CSRF, auth, messages, clickjacking): the
cost of a stock middleware stack on a response that touches none of it.
"""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

STARTPROJECT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
WITH_MIDDLEWARE = os.environ.get("BASELINE_MIDDLEWARE") == "default"


def hello(request):
    return HttpResponse("Xin chào", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-baseline-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost", "[::1]"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=STARTPROJECT_MIDDLEWARE if WITH_MIDDLEWARE else [],
    INSTALLED_APPS=(
        [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
        ]
        if WITH_MIDDLEWARE
        else []
    ),
    USE_TZ=True,
)
django.setup()
application = get_wsgi_application()
