"""``/healthz``: whether this app server can serve, for a load balancer.

One round trip to each part the site needs, in this order: the primary
database (``SELECT 1`` on ``default``), every other database alias (the read
replica, when DATABASE_REPLICA_URL adds one), the shared cache (a value set and
read back) and the media storage (``exists()`` of one name). 200 when every part
answers, 503 naming those that did not; JSON either way, each part with ``ok``
and the milliseconds it took (``ms``). The page is public, so it says which
parts failed and never why: the exception's type and message, which can name
the hosts and ports behind the site, go to the log (logger ``portal.health``,
a warning per failing part, without traceback).

The view reads no session and sets no cookie (nothing reads ``request.user`` or
the CSRF token), the page cache never keeps it (it is no ``public_page``) and it
says ``Cache-Control: no-store``. No middleware before it queries the database,
so a database that is down is a 503 from here, naming it. Each call is bounded
by its own setting: DB_CONNECT_TIMEOUT for each database (PostgreSQL's connect
timeout), REDIS_TIMEOUT for each of the two cache calls, MEDIA_STORAGE_TIMEOUT
(to connect, then to read, at most two tries) for a bucket.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.dummy import DummyCache
from django.core.files.storage import default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

# What an operator reads for each part (the JSON's "detail").
LABELS = {
    "database": "cơ sở dữ liệu chính",
    "replica": "bản sao cơ sở dữ liệu",
    "cache": "bộ nhớ đệm (Redis)",
    "storage": "kho lưu trữ ảnh",
}
NOT_CONFIGURED = "không cấu hình"
# A name the storage is asked about: its answer (there or not) is beside the point.
PROBE_NAME = "healthz"


def _database(alias: str) -> None:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # A broken connection is not kept for the next request.
        connection.close()
        raise


def _cache() -> None:
    if isinstance(cache, DummyCache):
        return  # dummycache:// keeps nothing by design
    # The backend answers a failed call as a miss (portal/cache.py): a value set
    # and read back is the one public way to see that Redis answered.
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=5)
    if cache.get(key) != value:
        raise ConnectionError("the cache did not give back what was just set")


def _storage() -> None:
    default_storage.exists(PROBE_NAME)


def _checks() -> dict:
    checks = {"database": lambda: _database("default")}
    for alias in settings.DATABASES:
        if alias != "default":
            checks[alias] = lambda alias=alias: _database(alias)
    checks["cache"] = _cache
    checks["storage"] = _storage
    return checks


@never_cache
@require_safe
def healthz(request):
    """Each part's state as JSON: 200 if all answer, else 503 naming those that failed."""
    parts, failing = {}, []
    for name, check in _checks().items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:
            log.warning("Health check: %s failed: %s: %s", name, type(exc).__name__, exc)
            failing.append(name)
            parts[name] = {"ok": False}
        else:
            parts[name] = {"ok": True}
        parts[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    if "replica" not in parts:
        parts["replica"] = {"ok": None, "detail": NOT_CONFIGURED}
    if failing:
        detail = "Không hoạt động: " + ", ".join(LABELS.get(name, name) for name in failing) + "."
    else:
        detail = "Mọi phần đều hoạt động."
    body = {"ok": not failing, "failing": failing, "detail": detail, "parts": parts}
    return JsonResponse(
        body, status=503 if failing else 200, json_dumps_params={"ensure_ascii": False}
    )
