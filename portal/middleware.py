import logging

from csp.middleware import CSPMiddleware
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)


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
