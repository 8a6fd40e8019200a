"""The portal's WSGI application (portal/wsgi.py) as the night's server runs it
(bench/night.py), with one header on every answer, for wrk to count how the page
cache answered:

    X-Bench-Answer: copy /path     a worker's copy, before Django (pagecache/copies.py)
    X-Bench-Answer: shared /path   Django, answered by the page cache from the shared cache
    X-Bench-Answer: render /path   Django rendered it: the page cache did not answer

    python -m portal.serve --working-dir bench night_app:application

Two middlewares are added to the portal's own: one first (Django was entered) and
one right below the page cache's (it runs only when the page cache hands the
request on). They mark the request's environ; the header is added outside the
workers' copies and the gzip layer, so no copy keeps it.

With ``BENCH_RENDER_LOG`` (a folder), each worker also writes a line per GET it
rendered, "START END PATH" (Unix times), to ``renders-<pid>.log`` there: from
them bench/night.py finds how many renders of one page ran at once.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings

ENTERED, RENDERED = "bench.entered", "bench.rendered"
PAGE_CACHE = "pagecache.middleware.AnonymousPageCacheMiddleware"
RENDER_LOG = os.environ.get("BENCH_RENDER_LOG")
_logs: dict[int, int] = {}  # this process's log file, by pid (workers may be forked)


def log_render(started: float, path: str) -> None:
    pid = os.getpid()
    if pid not in _logs:
        name = os.path.join(RENDER_LOG, f"renders-{pid}.log")
        _logs[pid] = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    # One short write to a file opened for appending: lines of threads never mix.
    os.write(_logs[pid], f"{started:.6f} {time.time():.6f} {path}\n".encode())


def entered(get_response):
    def middleware(request):
        request.META[ENTERED] = True
        return get_response(request)

    return middleware


def rendered(get_response):
    def middleware(request):
        request.META[RENDERED] = True
        started = time.time()
        response = get_response(request)
        if RENDER_LOG and request.method == "GET":
            log_render(started, request.path_info)
        return response

    return middleware


portal_middleware = list(settings.MIDDLEWARE)
portal_middleware.insert(portal_middleware.index(PAGE_CACHE) + 1, f"{__name__}.rendered")
settings.MIDDLEWARE = [f"{__name__}.entered", *portal_middleware]

from portal.wsgi import application as portal  # noqa: E402  (builds the middleware chain)


def how_answered(environ: dict) -> str:
    if RENDERED in environ:
        return "render"
    return "shared" if ENTERED in environ else "copy"


def application(environ, start_response):
    def marked(status, headers, exc_info=None):
        answer = f"{how_answered(environ)} {environ.get('PATH_INFO', '')}"
        return start_response(status, [*headers, ("X-Bench-Answer", answer)], exc_info)

    return portal(environ, marked)
