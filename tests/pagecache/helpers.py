"""Requests through portal.wsgi.application, as the server sends them: the test
client calls Django's handler directly, without the workers' copies
(pagecache/copies.py) and the compression in front of it."""

from contextlib import contextmanager
from types import SimpleNamespace

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from portal.wsgi import application


@contextmanager
def connection_kept():
    """As Django's test client does: a request must not close the connection the
    test's transaction runs in (the handler does so at the end of each request)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def call(environ):
    """The portal's WSGI application, as the server calls it: (status, headers, body)."""
    answered = []
    with connection_kept():
        body = application(
            environ, lambda status, headers, exc=None: answered.append((status, headers))
        )
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
    return *answered[0], content


class WSGIClient:
    """GET through the portal's WSGI application."""

    def get(self, path, **extra):
        status, headers, content = call(RequestFactory().get(path, **extra).environ)
        return SimpleNamespace(
            status_code=int(status.split()[0]),
            headers=dict(headers),
            content=content,
            text=content.decode(),
        )
