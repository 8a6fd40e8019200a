"""The benchmark: the portal under load on PostgreSQL and Redis, against a
minimal Django view served by the same server settings (portal/serve.py). See bench/README.md.

    .venv/bin/python bench/run.py --connections 16,64 --duration 20s
    .venv/bin/python bench/run.py --scenario night --duration 3m   # bench/night.py
    .venv/bin/python bench/run.py --scenario failures             # bench/failures.py
"""

import argparse
import os
import platform
import secrets
import shutil
import signal
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from environment import serving_environment
from failures import Failures
from harness import (
    BENCH,
    RESULTS,
    STATIC_ROOT,
    Server,
    django_side,
    ensure_database,
    fetch,
    free_port,
    post_args,
    posts_verdict,
    require_loopback,
    run,
    say,
    seconds,
    warm,
    wrk,
    wrk_errors,
)
from night import RENDER_LOG, Night

FETCH = "X-Requested-With: fetch"
STATIC_PATH = "/static/bench/article.html"
SIZES = {"quick": (10_000, 100_000), "full": (100_000, 1_000_000)}


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    server: str  # baseline, baseline-mw, portal, portal-nopagecache, portal-nocache: Bench.server()
    target: str  # a key of targets.json (a path file or a single path), or a path
    script: str = "get.lua"
    headers: tuple[str, ...] = ()
    front_only: bool = False  # only with --front nginx


# In the order they run; one server at a time.
SCENARIOS = [
    Scenario("baseline", "baseline: minimal Django view", "baseline", "/"),
    Scenario("baseline-mw", "baseline + startproject middleware", "baseline-mw", "/"),
    Scenario("article", "article, cached", "portal", "article"),  # the newest (--hot)
    # With --front nginx: the most-read article alone (the one a storm sends a
    # country to), and nginx serving from disk a file of that page's bytes,
    # which the front-cached article is compared with.
    Scenario(
        "article-one", "the most-read article alone", "portal", "hot-article", front_only=True
    ),
    Scenario("static", "static file, that article's bytes", "portal", STATIC_PATH, front_only=True),
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
        wanted = [s.key for s in self.scenarios if s.server == "portal" and not s.front_only]
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
        if self.args.scenario:  # bench/night.py and bench/failures.py have their own
            return []
        keys, front = self.args.scenarios, self.args.front == "nginx"
        return [s for s in SCENARIOS if (not keys or s.key in keys) and (front or not s.front_only)]

    @property
    def nocache_env(self) -> dict:
        return {**self.env, "CACHE_URL": "dummycache://"}

    def server(self, name: str, front: bool = False) -> Server:
        """``front``: nginx in front (deploy/nginx.conf), what the server's url reaches."""
        port = free_port()
        env = {**self.env, "HOST": "127.0.0.1", "PORT": str(port)}
        serve = [sys.executable, "-m", "portal.serve"]
        if name.startswith("baseline"):
            env["BASELINE_MIDDLEWARE"] = "default" if name == "baseline-mw" else "none"
            cmd = [*serve, "--working-dir", str(BENCH), "baseline_app:application"]
        elif name == "portal-night":  # the portal, saying how it answered (night_app.py)
            env["BENCH_RENDER_LOG"] = str(RENDER_LOG)
            cmd = [*serve, "--working-dir", str(BENCH), "night_app:application"]
        else:
            if name == "portal-nocache":
                env["CACHE_URL"] = "dummycache://"
            if name == "portal-nopagecache":
                env["PAGE_CACHE_SECONDS"] = "0"
            cmd = serve
            if self.args.server == "make":
                cmd = ["make", "-s", "serve", "HOST=127.0.0.1", f"PORT={port}"]
        return Server(name, cmd, env, port, front=front)

    def measure(self) -> None:
        order = []
        for s in self.scenarios:
            if s.server not in order:
                order.append(s.server)
        for name in order:
            server = self.server(name, front=name == "portal" and self.args.front == "nginx")
            self.servers.append(server)
            server.start()
            if name == "portal":  # fills the page cache (and PostgreSQL's buffers)
                say("warming: every article of the load once, and the lists")
                warm(server, [*self.lines("article"), *self.targets["paths"].values()])
                warm(server, self.lines("comments-list"), {"X-Requested-With": "fetch"})
                if server.front:
                    self.static_copy(server)
            for scenario in (s for s in self.scenarios if s.server == name):
                for conns in self.args.connections:
                    self.row(scenario, server, conns)
            server.stop()
        self.front_ratio()

    def static_copy(self, server: Server) -> None:
        """The hot article's page, as wrk gets it through nginx (uncompressed),
        written where nginx serves static files: the same bytes from disk."""
        path = self.lines("article")[0]
        status, _, body = fetch(server.url + path)
        if status != 200:
            raise RuntimeError(f"{path} through nginx: HTTP {status}")
        copy = STATIC_ROOT / STATIC_PATH.removeprefix("/static/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(body)
        self.targets["paths"]["hot-article"] = path
        self.note(f"the static file: {path} as nginx gave it, {len(body):,} bytes")

    def front_ratio(self) -> None:
        """The front-cached articles against the static file, at each connection count."""
        for conns in self.args.connections:
            rps = {r["key"]: r["rps"] for r in self.rows if r["conns"] == conns}
            for key, what in (("article-one", "the most-read article"), ("article", "articles")):
                if key in rps and "static" in rps:
                    self.note(
                        f"{what} through the front cache at {conns} connections: "
                        f"{rps[key] / rps['static']:.2f}× nginx serving the static file"
                    )

    def wrk_args(self, scenario: Scenario, server: Server, conns: int) -> list[str]:
        """The script's arguments; for posts, all but the deadline (added at launch)."""
        target = self.targets["files"].get(scenario.target)
        if target is None:  # one path: a file of one line
            path = RESULTS / f"url-{scenario.key}.txt"
            path.write_text(self.targets["paths"].get(scenario.target, scenario.target) + "\n")
            target = str(path)
        if scenario.script == "get.lua":
            return [target, *scenario.headers]
        self.runs += 1
        threads = min(self.args.threads, conns)
        return post_args(target, server.url, self.tag, self.runs, threads)

    def row(self, scenario: Scenario, server: Server, conns: int) -> None:
        a = self.args
        say(f"{scenario.label}, {conns} connections: warm-up {a.warmup}s, then {a.duration}s")
        post = scenario.script == "post.lua"
        for duration, measured in ((a.warmup, False), (a.duration, True)):
            if not duration:
                continue
            wargs = self.wrk_args(scenario, server, conns)
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
            errors = wrk_errors(result)
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
                        "queries",
                        0
                        if scenario.server.startswith("baseline") or scenario.key == "static"
                        else None,
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
        ok, text = posts_verdict(result["stored"], result["refused"], before, after)
        self.note(f"comments:post at {conns} connections: {text}")
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
            f"granian workers {workers}; served by `{served}`"
            f"{' behind nginx (deploy/nginx.conf) for the portal rows' if a.front else ''}; "
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
    p.add_argument(
        "--scenario",
        choices=("night", "failures"),
        help="instead of the --scenarios rows: night, the election night (bench/night.py); "
        "failures, each part of the topology failing in turn (bench/failures.py)",
    )
    p.add_argument(
        "--connections", help="comma-separated (default 16,64; the night: 64, or the last given)"
    )
    p.add_argument(
        "--duration", type=seconds, help="per row, e.g. 20s (default); the night's (default 3m)"
    )
    p.add_argument(
        "--row-duration",
        type=seconds,
        default=20,
        help="the night's baseline, miss and cold rows (default 20s)",
    )
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
    p.add_argument(
        "--front",
        choices=("nginx",),
        help="nginx in front of the portal (deploy/nginx.conf, as make cluster runs it): "
        "the rows of the portal and the night's readers through it, plus a static file "
        "of the article's size served by nginx",
    )
    p.add_argument("--max-minutes", type=float, default=90, help="stop everything after this")
    args = p.parse_args(argv)
    night = args.scenario == "night"
    if args.scenario and args.scenarios:
        p.error(f"--scenario {args.scenario} runs on its own: leave out --scenarios")
    args.connections = [
        int(c) for c in (args.connections or ("64" if night else "16,64")).split(",")
    ]
    if args.duration is None:
        args.duration = 180 if night else 20
    if min(args.duration, args.row_duration) < 1:
        p.error("--duration and --row-duration take at least 1s")
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
    own = {"night": Night, "failures": Failures}.get(args.scenario)
    scenario = own(bench) if own else None  # one with its own tables
    try:
        bench.prepare()
        scenario.run() if scenario else bench.measure()
    except KeyboardInterrupt as why:
        say(f"interrupted ({str(why) or 'Ctrl-C'}): stopping the servers")
        bench.note("Interrupted: the table is incomplete.")
        if scenario:
            scenario.notes.append("Interrupted: the tables are incomplete.")
        return 130
    finally:
        signal.alarm(0)
        bench.stop_all()
        if scenario:
            scenario.write()
        elif bench.rows:
            table = bench.table()
            print("\n" + table)
            (RESULTS / "latest.md").write_text(table)
            say(f"written to {RESULTS / 'latest.md'}")
    posts_ok = getattr(scenario or bench, "posts_ok", True)
    return 0 if posts_ok else 1


if __name__ == "__main__":
    sys.exit(main())
