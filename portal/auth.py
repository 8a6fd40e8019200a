"""Staff login throttling (django-axes): the first authentication backend and the lockout page."""

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a locked-out address and username before any password is checked.

    django-axes needs the request to know the address. A login without one
    (``Client.login()`` in tests, ``authenticate()`` in a shell) comes from no
    network client, so there is nothing to throttle: it is passed on to the
    next backend instead of raising. Every login over HTTP, the admin's
    included, passes its request.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets: 429, in Vietnamese, saying for how long."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, int(cool_off.total_seconds() // 60))
    cooloff_text = f"{minutes // 60} giờ" if minutes % 60 == 0 else f"{minutes} phút"
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_text": cooloff_text,
    }
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    add_never_cache_headers(response)
    return response
