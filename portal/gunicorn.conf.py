"""gunicorn settings for `make serve` and production.

Workers: WEB_CONCURRENCY, default 2 x cores + 1 (sync workers: Django views are
short and the database is the slow part).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# The application is imported once, before the workers are forked: a worker
# starts (and restarts, see below) in milliseconds instead of importing Django
# again, and the workers share the imported code's memory. Nothing opens a
# connection at import time; each worker opens its own when it needs one.
preload_app = True
# Workers are replaced now and then as a guard against slow memory growth. At
# thousands of cached pages a second, 10,000 requests would restart each worker
# every few seconds and empty its copies of the pages (portal/pagecache.py).
max_requests = 100_000
max_requests_jitter = 10_000
timeout = 30
graceful_timeout = 20
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
