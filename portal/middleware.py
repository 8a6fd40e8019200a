import codecs
import logging

from csp.middleware import CSPMiddleware
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)


# Where UnreadableCharsetApplication leaves the charset it took out of CONTENT_TYPE.
NOT_TEXT_CHARSET = "portal.not_text_charset"


def _is_bytes_codec(charset: str) -> bool:
    """A codec Python knows that turns bytes into bytes, not into text (hex, base64)."""
    try:
        codecs.lookup(charset)
    except LookupError:
        return False  # unknown: Django ignores it by itself
    try:
        "".encode(charset)
    except LookupError:
        return True
    return False


class UnreadableCharsetApplication:
    """A WSGI application in front of Django's, for a charset Django cannot survive.

    A ``Content-Type`` whose charset names a codec that exists but decodes no
    text (``charset=hex``, ``base64``) makes Django fail while it builds the
    request, before any middleware runs, as soon as there is a query string: an
    empty 500. Here that charset is taken out and noted in the environ, so the
    request is built and UnreadableRequestMiddleware answers its 400.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        content_type = environ.get("CONTENT_TYPE", "")
        if "charset" in content_type.lower():
            kept, dropped = [], None
            for part in content_type.split(";"):
                name, _, value = part.strip().partition("=")
                charset = value.strip().strip('"')
                if name.lower() == "charset" and _is_bytes_codec(charset):
                    dropped = charset
                    continue
                kept.append(part)
            if dropped is not None:
                environ = {**environ, "CONTENT_TYPE": ";".join(kept), NOT_TEXT_CHARSET: dropped}
        return self.application(environ, start_response)


class UnreadableRequestMiddleware:
    """A request the site cannot read answers the Vietnamese 400 page here, early.

    A NUL in the path or the query string: PostgreSQL refuses it in any text, so
    a slug, a search or an admin filter would fail deep inside with a 500.

    A form body Django will not parse: a urlencoded form declaring a charset
    other than UTF-8 (Django raises BadRequest), a multipart one declaring a
    codec that decodes no text, such as base64 or hex (LookupError), or one that
    cannot replace what it cannot decode, such as idna (UnicodeError). Django's
    400 handler, like its 500 one, checks the CSRF token, so reads the body
    again, fails again and ends in an empty 500. Parsed here, before the CSRF
    check, the body is refused before anything else reads it. Django already
    answers the other parse errors (too big, too many fields, a broken multipart
    body) with a 400.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NOT_TEXT_CHARSET in request.META:
            return self.refuse(request, f"charset {request.META[NOT_TEXT_CHARSET]!r} is no text")
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            return self.refuse(request, "a NUL character in the address")
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (parsed once; every later reader gets this result)
            except (BadRequest, LookupError, UnicodeError) as exc:
                return self.refuse(request, str(exc))
        return self.get_response(request)

    @staticmethod
    def refuse(request, reason: str) -> HttpResponse:
        log.warning("Bad request to %r: %s", request.path, reason)
        return render(request, "400.html", status=400)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached answers 503 with the Vietnamese page at once.

    Pages already in the cache are answered before they get here; everything
    recovers by itself once connections succeed again: Django closes a
    connection that failed at the end of the request, and the next one opens a
    new connection.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            body = loader.get_template("503.html").render()
            response = HttpResponse(body, status=503)
            response["Retry-After"] = "30"
            response["Cache-Control"] = "no-store"
            return response
        return None


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, which builds the policy for every response, even
    one exempt from it; an exempt response (the comment fragment) skips that."""

    def process_response(self, request, response):
        if getattr(response, "_csp_exempt", False):
            return response
        return super().process_response(request, response)
