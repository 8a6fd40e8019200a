"""The read replica: which reads it serves, and whether it may serve them now.

With ``DATABASE_REPLICA_URL`` set, the settings add a ``replica`` database (a
PostgreSQL streaming replica of ``default``), this module's router and its
middleware. Reads go to the replica only while a request for a reader page is
being answered: an anonymous (no session cookie) GET or HEAD whose view is a
public page (``portal.http.public_page``) or is marked ``@replica_reads``.
Everything else reads the primary: staff and the admin (a session), posting and
moderation (POST), the comment endpoints, management commands and jobs, and
every read inside a transaction (``atomic``) or after the request's first write.
Writes always go to the primary.

The replica is skipped, and its reads go to the primary, while it is down (a
failed connection, which costs at most the connect timeout once, then is
remembered for ``DATABASE_REPLICA_DOWN_SECONDS``) or lagging past
``DATABASE_REPLICA_MAX_LAG`` seconds. Its state is checked at most once a second
per process, by one thread, and kept in memory; the other threads go on with
the last answer meanwhile. A reader page that fails on the replica (a
connection broken since the last check) is answered again from the primary.
"""

import logging
import threading
from contextlib import suppress
from contextvars import ContextVar
from time import monotonic

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

ALIAS = "replica"
# How often a usable (or lagging) replica's state is read again, in seconds.
CHECK_SECONDS = 1.0

# Whether this request's reads may go to the replica (the middleware sets it
# for a reader page; the first write clears it), and whether one did.
_reader_reads: ContextVar[bool] = ContextVar("replica_reader_reads", default=False)
_used: ContextVar[bool] = ContextVar("replica_used", default=False)

# The replica's lag, as the replica sees it. An idle primary sends no commits,
# so the age of the last replayed one grows without any lag: a replica that has
# replayed all it received, while it is receiving, is caught up. (Just after a
# restart it has replayed more than it received: streaming starts again at the
# beginning of the WAL segment it was in.) The second column is NULL before any
# WAL has been streamed, the third when no transaction has been replayed since
# the replica started.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn()
           AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""


def configured() -> bool:
    """Whether a replica database is configured."""
    return ALIAS in connections.settings


def replica_reads(view):
    """Let ``view``'s anonymous GET and HEAD requests read the replica, like a public page's.

    For a reader view that shows only what everyone sees and writes nothing.
    """
    view.replica_reads = True
    return view


def _reads_replica(view) -> bool:
    # public_page leaves page_tags on its wrapper (and as_view copies it from a
    # decorated dispatch onto the view function).
    return hasattr(view, "page_tags") or getattr(view, "replica_reads", False)


class ReplicaHealth:
    """Whether the replica may serve reads now: reachable and no further behind than the bound."""

    def __init__(self):
        self._lock = threading.Lock()
        self._usable = False
        self._next_check = 0.0

    def usable(self) -> bool:
        if monotonic() < self._next_check:
            return self._usable
        # One thread checks; the others keep the last answer meanwhile.
        if not self._lock.acquire(blocking=False):
            return self._usable
        try:
            if monotonic() >= self._next_check:
                self._usable, wait = self._check()
                self._next_check = monotonic() + wait
            return self._usable
        finally:
            self._lock.release()

    def failed(self) -> None:
        """A query on the replica failed: ask it again before its next read.

        Without the lock, which a check may hold for the connect timeout."""
        self._usable = False
        self._next_check = 0.0

    reset = failed

    @staticmethod
    def _check() -> tuple[bool, float]:
        """(usable, seconds until the next check), from one query on the replica."""
        connection = connections[ALIAS]
        try:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                in_recovery, caught_up, lag = cursor.fetchone()
        except DatabaseError as exc:
            down = settings.DATABASE_REPLICA_DOWN_SECONDS
            log.warning("Read replica unreachable, reading the primary for %s s: %s", down, exc)
            with suppress(DatabaseError):
                connection.close()
            return False, down
        if not in_recovery:
            log.error("DATABASE_REPLICA_URL names a server that is no standby: not used")
            return False, CHECK_SECONDS
        lag = 0.0 if caught_up else lag
        if lag is None or lag > settings.DATABASE_REPLICA_MAX_LAG:
            log.warning(
                "Read replica %s behind, reading the primary",
                "unknown seconds" if lag is None else f"{lag:.1f} s",
            )
            return False, CHECK_SECONDS
        return True, CHECK_SECONDS


health = ReplicaHealth()


class ReplicaRouter:
    """Reads of a reader page to the replica while it is usable; everything else to the primary."""

    def db_for_read(self, model, **hints):
        if (
            _reader_reads.get()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and configured()
            and health.usable()
        ):
            _used.set(True)
            return ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # What the request reads after a write, it reads where it wrote. (Without
        # an answer here Django would write an instance read from the replica
        # back to the replica.)
        _reader_reads.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an article read from one and its
        # section from the other are the same database.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, ALIAS, None}

    def allow_migrate(self, db, app_label, **hints):
        return db != ALIAS


class ReplicaReadsMiddleware:
    """Marks the reads of an anonymous reader page for the replica, for the time of its view.

    After the session and authentication middlewares: a request with a session
    (staff) reads the primary. Removed from the chain when no replica is configured.
    """

    def __init__(self, get_response):
        if not configured():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        reads = _reader_reads.set(False)
        used = _used.set(False)
        try:
            response = self.get_response(request)
            if response.status_code == 503 and _used.get():
                # The replica failed under this page (a connection lost since
                # the last check): the reader gets it from the primary.
                log.warning("Read replica failed for %s, answering from the primary", request.path)
                health.failed()
                with suppress(DatabaseError):
                    connections[ALIAS].close()
                request.replica_failed = True
                _reader_reads.set(False)
                _used.set(False)
                response = self.get_response(request)
            return response
        finally:
            _reader_reads.reset(reads)
            _used.reset(used)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not getattr(request, "replica_failed", False)
            and _reads_replica(view_func)
        ):
            _reader_reads.set(True)
        return None
