"""Start granian, the production WSGI server, with the portal's settings.

    python -m portal.serve                                   # portal.wsgi:application
    python -m portal.serve --working-dir bench baseline_app:application

`make serve` runs this (after collectstatic and migrate), and so does the
benchmark, for the portal and for its baseline alike. Why granian and not
gunicorn: docs/performance.md, "Production serving".

Environment: HOST and PORT (127.0.0.1:8000), WEB_CONCURRENCY (worker processes,
default one per core), WEB_THREADS (requests a worker runs at once in threads,
default 4: while one waits on the database or Redis, another runs),
WORKER_MAX_RSS_MB (a worker using more memory than this is replaced, default
512), ACCESS_LOG (1 to log every request).
"""

import os
import shutil
import sys


def command(args: list[str]) -> list[str]:
    workers = os.environ.get("WEB_CONCURRENCY") or str(os.cpu_count() or 1)
    options = [
        "--interface", "wsgi",
        "--host", os.environ.get("HOST", "127.0.0.1"),
        "--port", os.environ.get("PORT", "8000"),
        "--workers", workers,
        "--blocking-threads", os.environ.get("WEB_THREADS", "4"),
        "--backlog", "2048",
        "--no-ws",
        "--respawn-failed-workers",
        # Replaces a worker whose memory keeps growing (the guard gunicorn's
        # max_requests gives), without restarting healthy ones under load.
        # Hence granian's warning at start about net.ipv4.tcp_migrate_req:
        # what it means and the production setting are in README.md.
        "--workers-max-rss", os.environ.get("WORKER_MAX_RSS_MB", "512"),
        "--workers-kill-timeout", "20",
        "--log-level", "warning",
    ]  # fmt: skip
    if os.environ.get("ACCESS_LOG") == "1":
        options.append("--access-log")
    executable = shutil.which("granian", path=os.path.dirname(sys.executable)) or "granian"
    return [executable, *options, *(args or ["portal.wsgi:application"])]


if __name__ == "__main__":
    argv = command(sys.argv[1:])
    os.execv(argv[0], argv)
