"""The benchmark: the portal under load on PostgreSQL and Redis, against a
minimal Django view served by the same server settings (portal/serve.py). See bench/README.md.

    .venv/bin/python bench/run.py --connections 16,64 --duration 20s
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from environment import serving_environment

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
VENV_BIN = Path(sys.executable).parent
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
FETCH = "X-Requested-With: fetch"
SIZES = {"quick": (10_000, 100_000), "full": (100_000, 1_000_000)}


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    server: str  # baseline, baseline-mw, portal, portal-nopagecache, portal-nocache: Bench.server()
    target: str  # a key of targets.json (a path file or a single path), or a path
    script: str = "get.lua"
    headers: tuple[str, ...] = ()


# In the order they run; one server at a time.
SCENARIOS = [
    Scenario("baseline", "baseline: minimal Django view", "baseline", "/"),
    Scenario("baseline-mw", "baseline + startproject middleware", "baseline-mw", "/"),
    Scenario("article", "article, cached", "portal", "article"),
    Scenario("home", "home", "portal", "home"),
    Scenario("section", "section", "portal", "section"),
    # The fragment comments.js asks for.
    Scenario("comments-list", "comments:list", "portal", "comments-list", headers=(FETCH,)),
    Scenario("comments-post", "comments:post", "portal", "comments-post", "post.lua"),
    # A page-cache miss as a live site has it: Redis still holds the menu, the
    # comment lists and the next publication time.
    Scenario("article-nopagecache", "article, page cache off", "portal-nopagecache", "article"),
    # Nothing cached at all (CACHE_URL=dummycache://): every part from the database.
    Scenario("article-nocache", "article, every cache off", "portal-nocache", "article"),
]


class Server:
    """A granian (or `make serve`) in its own process group, on a free loopback port."""

    def __init__(self, name: str, command: list[str], env: dict, port: int):
        self.name, self.command, self.env, self.port = name, command, env, port
        self.log = RESULTS / f"server-{name}.log"
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 600) -> None:
        say(f"starting {self.name} on {self.url}: {' '.join(self.command)}")
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text()[-3000:]}")
            if fetch(self.url + "/", timeout=2)[0]:
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f}s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # Its own session: the group is make, the granian main process and its workers.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        say(f"stopped {self.name}")


def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def fetch(url: str, *, timeout: float = 10, headers: dict | None = None):
    """(status, headers, body), or (None, None, b"") when nothing answered."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except (OSError, urllib.error.URLError):
        return None, None, b""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seconds(text: str) -> int:
    match = re.fullmatch(r"(\d+)([sm]?)", text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 20s, 2m)")
    return int(match[1]) * (60 if match[2] == "m" else 1)


def require_loopback(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if url.split(":", 1)[0] != "dummycache" and host not in LOOPBACK:
        raise SystemExit(f"{url}: the benchmark only talks to loopback addresses")


def ensure_database(url: str) -> None:
    """CREATE DATABASE when the one in DATABASE_URL is missing."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            say(f"created database {name}")


def run(cmd: list[str], env: dict, timeout: float, *, capture=False) -> str:
    out = subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return out.stdout or ""


def django_side(env: dict, *args, timeout: float = 300) -> dict:
    cmd = [sys.executable, str(BENCH / "django_side.py"), *map(str, args)]
    return json.loads(run(cmd, env, timeout, capture=True).strip().splitlines()[-1])


def wrk(url: str, script: str, args: list[str], conns: int, duration: int, threads: int) -> dict:
    cmd = [
        "wrk",
        f"-t{min(threads, conns)}",
        f"-c{conns}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        script,
        url,
        "--",
        *args,
    ]
    out = subprocess.run(
        cmd, cwd=BENCH / "wrk", capture_output=True, text=True, timeout=duration + 60
    )
    for line in out.stdout.splitlines():
        if line.startswith("BENCH "):
            return json.loads(line[6:])
    raise RuntimeError(f"wrk gave no result:\n{out.stdout}\n{out.stderr}")


def csrf_pair(server: Server, list_path: str) -> tuple[str, str] | None:
    """A CSRF cookie and the form's token, as a reader's browser gets them."""
    status, headers, body = fetch(server.url + list_path, headers={"X-Requested-With": "fetch"})
    cookies = (headers.get_all("Set-Cookie") or []) if headers else []
    cookie = next((m[1] for c in cookies if (m := re.match(r"csrftoken=([^;]+)", c))), None)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not cookie:
        return None
    return cookie, token[1].decode() if token else cookie


def warm(server: Server, paths: list[str], headers: dict | None = None) -> None:
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda p: fetch(server.url + p, headers=headers), paths))


class Bench:
    def __init__(self, args):
        self.args = args
        self.tag = secrets.token_hex(4)  # marks this run's posted comments
        self.runs = 0
        self.rows, self.notes = [], []
        self.servers: list[Server] = []
        self.load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        self.env = serving_environment(database_url=args.database_url, cache_url=args.cache_url)
        if args.workers:
            self.env["WEB_CONCURRENCY"] = str(args.workers)

    def prepare(self) -> None:
        a = self.args
        ensure_database(a.database_url)
        manage = [sys.executable, "manage.py"]
        run([*manage, "migrate", "--noinput", "-v", "0"], self.env, 1800)
        # As seed_bench's bench_marker() writes it into the bench sections.
        marker = f"seed_bench articles={a.articles} comments={a.comments} seed={a.seed}"
        if a.reseed or django_side(self.env, "state")["marker"] != marker:
            say(f"seeding {a.articles} articles, {a.comments} comments")
            seed = ["seed_bench", "--clear", f"--articles={a.articles}"]
            seed += [f"--comments={a.comments}", f"--seed={a.seed}"]
            run([*manage, *seed], self.env, 1800)
        else:
            say(f"scale data already there ({marker})")
        # Before the test client renders a page: {% static %} reads the manifest.
        run([*manage, "collectstatic", "--noinput", "-v", "0"], self.env, 600)
        self.targets = django_side(self.env, "prepare", RESULTS, a.hot)
        wanted = [s.key for s in self.scenarios if s.server == "portal"]
        self.queries = django_side(self.env, "queries", RESULTS, *wanted) if wanted else {}
        if any(s.key == "article-nocache" for s in self.scenarios):
            self.queries |= django_side(self.nocache_env, "queries", RESULTS, "article-nocache")
        if any(s.key == "article-nopagecache" for s in self.scenarios):
            env = {**self.env, "PAGE_CACHE_SECONDS": "0"}
            self.queries |= django_side(env, "queries", RESULTS, "article-nopagecache")

    def lines(self, name: str) -> list[str]:
        return Path(self.targets["files"][name]).read_text().split()

    @property
    def scenarios(self) -> list[Scenario]:
        keys = self.args.scenarios
        return [s for s in SCENARIOS if not keys or s.key in keys]

    @property
    def nocache_env(self) -> dict:
        return {**self.env, "CACHE_URL": "dummycache://"}

    def server(self, name: str) -> Server:
        port = free_port()
        env = {**self.env, "HOST": "127.0.0.1", "PORT": str(port)}
        serve = [sys.executable, "-m", "portal.serve"]
        if name.startswith("baseline"):
            env["BASELINE_MIDDLEWARE"] = "default" if name == "baseline-mw" else "none"
            cmd = [*serve, "--working-dir", str(BENCH), "baseline_app:application"]
        else:
            if name == "portal-nocache":
                env["CACHE_URL"] = "dummycache://"
            if name == "portal-nopagecache":
                env["PAGE_CACHE_SECONDS"] = "0"
            cmd = serve
            if self.args.server == "make":
                cmd = ["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={port}"]
        return Server(name, cmd, env, port)

    def measure(self) -> None:
        order = []
        for s in self.scenarios:
            if s.server not in order:
                order.append(s.server)
        for name in order:
            server = self.server(name)
            self.servers.append(server)
            server.start()
            if name == "portal":  # fills the page cache (and PostgreSQL's buffers)
                say("warming: every article of the load once, and the lists")
                warm(server, [*self.lines("article"), *self.targets["paths"].values()])
                warm(server, self.lines("comments-list"), {"X-Requested-With": "fetch"})
            for scenario in (s for s in self.scenarios if s.server == name):
                for conns in self.args.connections:
                    self.row(scenario, server, conns)
            server.stop()

    def wrk_args(self, scenario: Scenario, server: Server, conns: int) -> list[str] | None:
        """The script's arguments; for posts, all but the deadline (added at launch)."""
        target = self.targets["files"].get(scenario.target)
        if target is None:  # one path: a file of one line
            path = RESULTS / f"url-{scenario.key}.txt"
            path.write_text(self.targets["paths"].get(scenario.target, scenario.target) + "\n")
            target = str(path)
        if scenario.script == "get.lua":
            return [target, *scenario.headers]
        lists = self.lines("comments-list")
        pair = csrf_pair(server, lists[0])
        if pair is None:
            return None
        self.runs += 1
        text = urllib.parse.quote_plus("Ý kiến gửi trong lúc đo tải, cảm ơn tòa soạn.")
        threads = min(self.args.threads, conns)
        return [target, pair[1], pair[0], text, self.tag, str(self.runs % 250 + 1), str(threads)]

    def row(self, scenario: Scenario, server: Server, conns: int) -> None:
        a = self.args
        say(f"{scenario.label}, {conns} connections: warm-up {a.warmup}s, then {a.duration}s")
        post = scenario.script == "post.lua"
        for duration, measured in ((a.warmup, False), (a.duration, True)):
            if not duration:
                continue
            wargs = self.wrk_args(scenario, server, conns)
            if wargs is None:
                self.note(
                    f"{scenario.label}: skipped, comments:list gave no CSRF cookie "
                    "(is the endpoint still a placeholder?)"
                )
                return
            run_for, before = duration, 0
            if post:
                before = django_side(self.env, "posted", self.tag)["rows"]
                # No post starts after the deadline; wrk runs 5 s longer to read
                # the last answers, so that none is lost in flight.
                wargs.append(f"{time.time() + duration:.3f}")
                run_for += 5
            result = wrk(server.url, scenario.script, wargs, conns, run_for, a.threads)
            if not measured:
                continue
            elapsed = duration if post else result["duration_us"] / 1e6
            errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
            rps = result["requests"] / elapsed
            base = rps if scenario.key == "baseline" else self.baseline_rps(conns)
            q = self.queries.get(scenario.key, {})
            self.rows.append(
                {
                    "key": scenario.key,
                    "label": scenario.label,
                    "conns": conns,
                    "rps": rps,
                    "p50": result["p50_us"] / 1000,
                    "p99": result["p99_us"] / 1000,
                    "errors": errors,
                    "requests": result["requests"],
                    # The baselines touch no database.
                    "queries": q.get(
                        "queries", 0 if scenario.server.startswith("baseline") else None
                    ),
                    "ratio": rps / base if base else None,
                }
            )
            if q.get("empty"):
                self.note(f"{scenario.label}: an empty answer (a placeholder view?)")
            if any(status >= 400 for status in q.get("statuses", ())):
                self.note(f"{scenario.label}: the test client got HTTP {q['statuses']}")
            if post:
                self.check_posts(conns, before, result)

    def check_posts(self, conns: int, before: int, result: dict) -> None:
        time.sleep(1)
        after = django_side(self.env, "posted", self.tag)
        stored = after["rows"] - before
        ok = stored == result["stored"] > 0 and after["duplicated_bodies"] == 0
        verdict = "stored exactly once each" if ok else "MISMATCH"
        if not result["stored"]:
            verdict = "NO POST WAS ACCEPTED (see the errors column and the server log)"
        self.note(
            f"comments:post at {conns} connections: {result['stored']} answered 201/303, "
            f"{result['refused']} refused, {stored} new comments with this run's bodies, "
            f"{after['duplicated_bodies']} stored twice: {verdict}"
        )
        self.posts_ok = getattr(self, "posts_ok", True) and ok

    def baseline_rps(self, conns: int) -> float | None:
        rows = [r for r in self.rows if r["key"] == "baseline" and r["conns"] == conns]
        return rows[0]["rps"] if rows else None

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def stop_all(self) -> None:
        for server in self.servers:
            try:
                server.stop()
            except Exception as error:  # keep stopping the others
                print(f"could not stop {server.name}: {error}", file=sys.stderr)

    def table(self) -> str:
        a = self.args
        head = [
            "scenario",
            "conns",
            "req/s",
            "p50 ms",
            "p99 ms",
            "errors",
            "queries/req",
            "× baseline",
        ]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for r in self.rows:
            q = "?" if r["queries"] is None else str(r["queries"])
            ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
            lines.append(
                f"| {r['label']} | {r['conns']} | {r['rps']:.0f} | {r['p50']:.1f} | "
                f"{r['p99']:.1f} | {r['errors']} | {q} | {ratio} |"
            )
        served = "make serve" if a.server == "make" else "python -m portal.serve"
        workers = self.env.get("WEB_CONCURRENCY", f"default (one per core, {os.cpu_count()})")
        intro = (
            f"Run {datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {a.articles} articles, {a.comments} comments "
            f"(seed {a.seed}); {a.duration}s per row after {a.warmup}s warm-up; "
            f"granian workers {workers}; served by `{served}`; "
            f"wrk {a.threads} thread(s); {a.hot} newest articles as the article/comment targets."
        )
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        intro += (
            f" Load average (1, 5, 15 min): {self.load_before} at the start, {load} at the end."
        )
        notes = "".join(f"\n- {n}" for n in self.notes)
        return f"{intro}\n\n" + "\n".join(lines) + ("\n" + notes if notes else "") + "\n"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--connections", default="16,64", help="comma-separated (default 16,64)")
    p.add_argument("--duration", type=seconds, default=20, help="per row, e.g. 20s (default)")
    p.add_argument("--warmup", type=seconds, default=5, help="wrk warm-up before each row")
    p.add_argument(
        "--size",
        choices=SIZES,
        default="quick",
        help="quick: 10k articles/100k comments (default); full: 100k/1M",
    )
    p.add_argument("--articles", type=int, help="overrides --size")
    p.add_argument("--comments", type=int, help="overrides --size")
    p.add_argument("--seed", type=int, default=2024)
    p.add_argument("--reseed", action="store_true", help="seed again even if the data is there")
    p.add_argument("--hot", type=int, default=1000, help="newest articles the load asks for")
    p.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: portal/serve.py's)")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (default 1)")
    p.add_argument(
        "--server",
        choices=("make", "granian"),
        default="make",
        help="start the portal by `make serve` (default) or portal/serve.py itself",
    )
    p.add_argument(
        "--scenarios", help=f"comma-separated subset of: {', '.join(s.key for s in SCENARIOS)}"
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench"
        ),
    )
    p.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")
    )
    p.add_argument("--max-minutes", type=float, default=90, help="stop everything after this")
    args = p.parse_args(argv)
    args.connections = [int(c) for c in args.connections.split(",")]
    size = SIZES[args.size]
    args.articles = args.articles or size[0]
    args.comments = args.comments if args.comments is not None else size[1]
    args.scenarios = set(args.scenarios.split(",")) if args.scenarios else None
    unknown = (args.scenarios or set()) - {s.key for s in SCENARIOS}
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    for url in (args.database_url, args.cache_url):
        require_loopback(url)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    RESULTS.mkdir(exist_ok=True)

    def stop(signum, frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(int(args.max_minutes * 60))
    bench = Bench(args)
    try:
        bench.prepare()
        bench.measure()
    except KeyboardInterrupt as why:
        say(f"interrupted ({str(why) or 'Ctrl-C'}): stopping the servers")
        bench.note("Interrupted: the table is incomplete.")
        return 130
    finally:
        signal.alarm(0)
        bench.stop_all()
        if bench.rows:
            table = bench.table()
            print("\n" + table)
            (RESULTS / "latest.md").write_text(table)
            say(f"written to {RESULTS / 'latest.md'}")
    return 0 if getattr(bench, "posts_ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())
