from csp.middleware import CSPMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader


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
