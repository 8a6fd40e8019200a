"""Where the time of one reader request goes: the portal's WSGI application called
in-process, without a server or a socket, under pyinstrument.

Run it against the bench data (bench/run.py prepares it), the same settings as
the benchmark's servers:

    .venv/bin/python bench/profile.py /bai-viet/...        # one path, the page cache on
    .venv/bin/python bench/profile.py --nocache PATH       # CACHE_URL=dummycache://
    .venv/bin/python bench/profile.py --no-page-cache PATH # PAGE_CACHE_SECONDS=0
    .venv/bin/python bench/profile.py --fetch /y-kien/12/  # as comments.js asks
    .venv/bin/python bench/profile.py --paths bench/results/paths-article.txt

It prints the mean time per request (after a warm-up pass over the paths) and
the profile of the measured pass. In-process times leave out the server and the
socket, so they are a lower bound of what a server answers, and their ratios
tell which part of the request to work on.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from environment import serving_environment  # noqa: E402


def bench_environment(nocache: bool) -> None:
    """bench/run.py's server environment (loopback PostgreSQL and Redis), in this process."""
    database = "postgres://postgres@127.0.0.1:5432/portal_bench"
    cache = "dummycache://" if nocache else "redis://127.0.0.1:6379/2"
    os.environ.update(
        serving_environment(
            database_url=os.environ.get("BENCH_DATABASE_URL", database),
            cache_url=cache if nocache else os.environ.get("BENCH_CACHE_URL", cache),
        )
    )


def environ_for(path: str, fetch: bool) -> dict:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if fetch:
        environ["HTTP_X_REQUESTED_WITH"] = "fetch"
    return environ


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("path", nargs="*", help="paths to request, in turn")
    p.add_argument("--paths", type=Path, help="a file of paths, one a line (bench/results/paths-*)")
    p.add_argument("--requests", type=int, default=500, help="measured requests (default 500)")
    p.add_argument("--nocache", action="store_true", help="CACHE_URL=dummycache://")
    p.add_argument("--no-page-cache", action="store_true", help="PAGE_CACHE_SECONDS=0")
    p.add_argument("--fetch", action="store_true", help="send X-Requested-With: fetch")
    p.add_argument("--interval", type=float, default=0.0001, help="pyinstrument's sampling")
    p.add_argument("--show-all", action="store_true", help="the libraries' frames too")
    args = p.parse_args()
    paths = list(args.path)
    if args.paths:
        paths += args.paths.read_text().split()
    if not paths:
        p.error("give a path or --paths")

    sys.path.insert(0, str(ROOT))
    bench_environment(args.nocache)
    if args.no_page_cache:
        os.environ["PAGE_CACHE_SECONDS"] = "0"
    from pyinstrument import Profiler

    from portal.wsgi import application

    def request(path: str) -> None:
        status = []
        body = application(environ_for(path, args.fetch), lambda s, h, *e: status.append(s))
        try:
            b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if not status[0].startswith(("200", "304")):
            raise SystemExit(f"{path}: {status[0]}")

    for path in paths[: args.requests]:  # warm-up: caches filled, code paths imported
        request(path)
    profiler = Profiler(interval=args.interval)
    started = time.perf_counter()
    with profiler:
        for i in range(args.requests):
            request(paths[i % len(paths)])
    elapsed = time.perf_counter() - started
    print(profiler.output_text(unicode=True, color=False, show_all=args.show_all))
    print(f"{args.requests} requests, {elapsed / args.requests * 1e6:.0f} µs each (profiled)")
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(args.requests):
        request(paths[i % len(paths)])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.requests} requests, {elapsed / args.requests * 1e6:.0f} µs each, "
        f"{cpu / args.requests * 1e6:.0f} µs of this process's CPU (not profiled)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
