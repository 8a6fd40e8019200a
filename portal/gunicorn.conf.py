"""gunicorn settings for `make serve` and production.

Workers: WEB_CONCURRENCY, default 2 x cores + 1 (sync workers: Django views are
short and the database is the slow part).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
max_requests = 10_000
max_requests_jitter = 1_000
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
