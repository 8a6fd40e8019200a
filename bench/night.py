"""The election night: `bench/run.py --scenario night` (bench/README.md, "The night").

One server at a time, each on its own loopback port, the data prepared by run.py:

1. baseline: the minimal Django view, at the night's connections.
2. the night: the portal (bench/night_app.py, which says how each page was
   answered) under every kind of reader at once, one wrk per page kind with the
   connections in proportion, while the moderators and the newsroom work
   (bench/actors.py); then the workers' resident memory.
3. miss: the portal with PAGE_CACHE_SECONDS=0, each reader kind alone: every
   page rendered, the other caches (menu, comment lists) warm.
4. cold: the portal with CACHE_URL=dummycache://, each reader kind alone.

Writes bench/results/night.md (the tables) and bench/results/night.json.
"""

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime

from harness import (
    BENCH,
    RESULTS,
    Server,
    django_side,
    last_json,
    post_args,
    posts_verdict,
    say,
    warm,
    wrk_command,
    wrk_errors,
    wrk_result,
)

ZIPF = 1.1  # readers' articles: weight 1/rank^1.1, the newest first
HOT_SHARE = 0.01  # "the most-read 1%" of the articles
POSTS_PER_SECOND = 5  # all comment connections together
APPROVALS_PER_SECOND = 3
FETCH = "X-Requested-With: fetch"
RENDER_LOG = RESULTS / "renders"  # night_app.py's lines, one per render (BENCH_RENDER_LOG)
# The targets of the night and of a miss (docs/performance.md).
P99_MS, HOT_HIT_RATIO, WORKER_MB, MISS_RATIO = 150, 0.95, 120, 0.1


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    share: int  # connections out of 64
    zipf: float = 0.0
    headers: tuple[str, ...] = ()


KINDS = (
    Kind("article", "article", 44, ZIPF),
    Kind("home", "home", 6),
    Kind("section", "section", 6),
    Kind("comments-list", "comments:list", 4, ZIPF, (FETCH,)),
    Kind("comments-post", "comments:post", 4, ZIPF),
)
READERS = KINDS[:4]
PAGES = ("article", "home", "section")  # what the page cache keeps
SHARES = sum(k.share for k in KINDS)


def split(total: int) -> dict[str, int]:
    """The night's connections per kind, in proportion to their shares, at least one."""
    return {k.key: max(1, round(total * k.share / SHARES)) for k in KINDS}


def most_at_once(intervals: list[tuple[float, float]]) -> int:
    """The most intervals (start, end) open at one time."""
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    most = now = 0
    for _, step in events:  # an end sorts before a start at the same time
        now += step
        most = max(most, now)
    return most


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


class Night:
    def __init__(self, bench):
        self.bench, self.args = bench, bench.args
        self.conns = self.args.connections[-1]
        self.split = split(self.conns)
        self.started = datetime.now()
        self.baseline: dict | None = None
        self.night: dict[str, dict] = {}
        self.tables: dict[str, list[dict]] = {"miss": [], "cold": []}
        self.actors: dict[str, dict] = {}
        self.rss: dict[int, float] = {}
        self.at_once: dict[str, dict] = {}
        self.notes: list[str] = []
        self.posts_ok = True
        self.children: list[subprocess.Popen] = []

    # ------------------------------------------------------------ the run
    def run(self) -> None:
        prepared = django_side(self.bench.env, "night", RESULTS)
        self.files, self.articles = prepared["files"], prepared["articles"]
        self.hot = max(1, round(self.articles * HOT_SHARE))
        try:
            self.measure_baseline()
            self.measure_night()
            self.measure_table("miss", "portal-nopagecache")
            self.measure_table("cold", "portal-nocache")
        finally:
            for child in self.children:  # wrk and the actors, if interrupted
                if child.poll() is None:
                    child.terminate()

    def start(self, name: str, front: bool = False) -> Server:
        server = self.bench.server(name, front=front)
        self.bench.servers.append(server)
        server.start()
        return server

    def wrk_args(self, kind: Kind, server: Server, conns: int, deadline: float) -> list[str]:
        paths = self.files[kind.key]
        if kind.key != "comments-post":
            hot = self.hot if kind.key == "article" else 0
            return [paths, str(kind.zipf), str(hot), *kind.headers]
        self.bench.runs += 1
        threads = min(self.args.threads, conns)
        pause_ms = 1000 * conns / POSTS_PER_SECOND
        args = post_args(
            paths,
            server.url,
            self.bench.tag,
            self.bench.runs,
            threads,
            pause_ms=pause_ms,
            zipf=kind.zipf,
        )
        return [*args, f"{deadline:.3f}"]

    def launch(self, kind: Kind, server: Server, conns: int, duration: int) -> subprocess.Popen:
        script = "post.lua" if kind.key == "comments-post" else "night.lua"
        run_for = duration + (5 if script == "post.lua" else 0)  # to read the last answers
        args = self.wrk_args(kind, server, conns, time.time() + duration)
        return self.spawn(wrk_command(server.url, script, args, conns, run_for, self.args.threads))

    def spawn(self, cmd: list[str]) -> subprocess.Popen:
        child = subprocess.Popen(
            cmd, cwd=BENCH / "wrk", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        self.children.append(child)
        return child

    def warm_then_measure(self, start_wrk) -> dict:
        """``start_wrk(seconds)`` for --warmup, then for --row-duration: the second's result."""
        a = self.args
        if a.warmup:
            start_wrk(a.warmup).communicate(timeout=a.warmup + 60)
        return wrk_result(*start_wrk(a.row_duration).communicate(timeout=a.row_duration + 60))

    def wrk_together(self, server: Server, kinds, duration: int) -> dict[str, dict]:
        """One wrk per kind, all at once, each with its share of the connections."""
        running = {k.key: self.launch(k, server, self.split[k.key], duration) for k in kinds}
        return {
            key: wrk_result(*child.communicate(timeout=duration + 60))
            for key, child in running.items()
        }

    def row(self, result: dict, duration: int, conns: int, post: bool = False) -> dict:
        elapsed = duration if post else result["duration_us"] / 1e6
        rps = result["requests"] / elapsed
        base = self.baseline["rps"] if self.baseline else None
        return {
            **result,
            "conns": conns,
            "rps": rps,
            "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000,
            "errors": wrk_errors(result),
            "ratio": rps / base if base else None,
        }

    def measure_baseline(self) -> None:
        a = self.args
        server = self.start("baseline")
        say(f"baseline, {self.conns} connections: warm-up {a.warmup}s, then {a.row_duration}s")
        path = RESULTS / "url-night-baseline.txt"
        path.write_text("/\n")
        result = self.warm_then_measure(
            lambda seconds: self.spawn(
                wrk_command(server.url, "get.lua", [str(path)], self.conns, seconds, 1)
            )
        )
        self.baseline = {**self.row(result, a.row_duration, self.conns), "ratio": 1.0}
        server.stop()

    def measure_night(self) -> None:
        a, env = self.args, self.bench.env
        RENDER_LOG.mkdir(exist_ok=True)
        for old in RENDER_LOG.glob("renders-*.log"):
            old.unlink()
        server = self.start("portal-night", front=self.args.front == "nginx")
        articles = self.lines("article")
        say(f"warming: the {a.hot} most-read articles, their comments, home and sections")
        warm(server, [*articles[: a.hot], *self.lines("home"), *self.lines("section")])
        warm(server, self.lines("comments-list")[: a.hot], {"X-Requested-With": "fetch"})
        if a.warmup:
            say(f"the readers alone for {a.warmup}s (warm-up)")
            self.wrk_together(server, READERS, a.warmup)
        before = django_side(env, "posted", self.bench.tag)["rows"]
        say(f"the night: {self.conns} connections {self.split}, {a.duration}s, with the staff")
        started = time.time()
        deadline = started + a.duration
        actors = {
            "moderators": self.actor("moderators", deadline, "--per-second", APPROVALS_PER_SECOND),
            "newsroom": self.actor("newsroom", deadline),
        }
        results = self.wrk_together(server, KINDS, a.duration)
        self.rss = server.workers_rss()
        for who, child in actors.items():
            out, _ = child.communicate(timeout=120)
            failed = {"runs": 0, "outcomes": {}, "errors": 1, "p50_ms": None, "max_ms": None}
            failed["first_errors"] = [f"the process ended with status {child.returncode}"]
            self.actors[who] = last_json(out) if child.returncode == 0 else {"process": failed}
        server.stop()
        for kind in KINDS:
            post = kind.key == "comments-post"
            self.night[kind.key] = self.row(
                results[kind.key], a.duration, self.split[kind.key], post
            )
        self.check_posts(before, results["comments-post"])
        self.at_once = self.renders_at_once(started, deadline)
        unmarked = sum(self.night[k]["unmarked"] for k in PAGES)
        if unmarked:
            self.notes.append(f"{unmarked} page answers carried no X-Bench-Answer header")

    def actor(self, who: str, deadline: float, *options) -> subprocess.Popen:
        cmd = [sys.executable, str(BENCH / "actors.py"), who, f"{deadline:.3f}", *map(str, options)]
        child = subprocess.Popen(
            cmd, cwd=BENCH.parent, env=self.bench.env, stdout=subprocess.PIPE, text=True
        )
        self.children.append(child)
        return child

    def check_posts(self, before: int, result: dict) -> None:
        time.sleep(1)
        after = django_side(self.bench.env, "posted", self.bench.tag)
        self.posts_ok, text = posts_verdict(result["stored"], result["refused"], before, after)
        self.notes.append(f"comments:post during the night: {text}")

    def measure_table(self, table: str, name: str) -> None:
        a = self.args
        server = self.start(name)
        for kind in READERS:
            say(f"{table}: {kind.label}, {self.conns} connections: {a.warmup}s + {a.row_duration}s")
            result = self.warm_then_measure(
                lambda seconds, kind=kind: self.launch(kind, server, self.conns, seconds)
            )
            self.tables[table].append(
                {"key": kind.key, **self.row(result, a.row_duration, self.conns)}
            )
        server.stop()

    def renders_at_once(self, start: float, end: float) -> dict[str, dict]:
        """Per page kind, from the workers' render lines of the night: the pages
        rendered, the renders, the most renders of one page at once and the
        pages rendered more than once at a time."""
        kind_of = {path: kind for kind in PAGES for path in self.lines(kind)}
        renders: dict[str, list] = {}
        for log in RENDER_LOG.glob("renders-*.log"):
            for line in log.read_text().splitlines():
                began, ended, path = line.split(" ", 2)
                if path in kind_of and start <= float(began) <= end:
                    renders.setdefault(path, []).append((float(began), float(ended)))
        found = {kind: {"pages": 0, "renders": 0, "most": 0, "overlapping": 0} for kind in PAGES}
        for path, intervals in renders.items():
            counts, most = found[kind_of[path]], most_at_once(intervals)
            counts["pages"] += 1
            counts["renders"] += len(intervals)
            counts["most"] = max(counts["most"], most)
            counts["overlapping"] += most > 1
        return found

    def lines(self, name: str) -> list[str]:
        with open(self.files[name]) as f:
            return f.read().split()

    # ------------------------------------------------------------ the report
    def page_cache(self) -> list[dict]:
        rows = []
        for key in PAGES:
            r = self.night.get(key)
            if r is None:
                continue
            answers = r["front"] + r["copy"] + r["shared"] + r["render"]
            rows.append({"label": key, "answers": answers, **r})
            if key == "article":
                rows.append(
                    {
                        "label": f"the most-read 1% of articles ({self.hot})",
                        "answers": r["hot_answers"],
                        "render": r["hot_renders"],
                    }
                )
        return rows

    def report(self) -> str:
        sections = [self.intro()]
        if self.night:
            sections += [self.night_table(), self.cache_table(), self.staff()]
        for table, title in (
            ("miss", "Miss: page cache off, the other caches warm"),
            ("cold", "Cold: every cache off (dummycache)"),
        ):
            if self.tables[table]:
                sections.append(f"### {title}\n\n" + self.kind_table(self.tables[table]))
        if self.night:
            sections.append(self.targets())
        if self.notes:
            sections.append("\n".join(f"- {n}" for n in self.notes))
        return "\n\n".join(sections) + "\n"

    def intro(self) -> str:
        a, b = self.args, self.bench
        workers = b.env.get("WEB_CONCURRENCY", f"default (one per core, {os.cpu_count()})")
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        smoke = " (a smoke run: a night is 2 to 5 minutes)" if a.duration < 120 else ""
        return (
            f"Night run {self.started:%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {a.articles} articles, {a.comments} comments "
            f"(seed {a.seed}); the night {a.duration}s{smoke} at {self.conns} connections "
            f"({', '.join(f'{k}: {n}' for k, n in self.split.items())}), after {a.warmup}s "
            f"of the readers alone; baseline, miss and cold rows {a.row_duration}s each after "
            f"{a.warmup}s warm-up; articles drawn with Zipf exponent {ZIPF} over all "
            f"{self.articles} published bench articles, the newest first; posts about "
            f"{POSTS_PER_SECOND}/s, approvals {APPROVALS_PER_SECOND}/s; granian workers "
            f"{workers}, `python -m portal.serve`"
            f"{', the night behind nginx (deploy/nginx.conf)' if a.front else ''}; "
            "load average (1, 5, 15 min): "
            f"{b.load_before} at the start, {load} at the end."
        )

    def night_table(self) -> str:
        lines = [
            "| page kind | conns | requests | req/s | p50 ms | p99 ms | errors | × baseline |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        if self.baseline:
            lines.append(self.line("baseline: minimal Django view", self.baseline))
        for kind in KINDS:
            if kind.key in self.night:
                lines.append(self.line(kind.label, self.night[kind.key], ratio=False))
        readers = [self.night[k.key] for k in READERS if k.key in self.night]
        total = sum(r["rps"] for r in readers)
        base = self.baseline["rps"] if self.baseline else None
        share = f"{total / base:.2f}" if base else ""
        lines.append(
            f"| every reader page | {sum(r['conns'] for r in readers)} | "
            f"{sum(r['requests'] for r in readers)} | {total:.0f} | | | "
            f"{sum(r['errors'] for r in readers)} | {share} |"
        )
        return "### The night\n\n" + "\n".join(lines)

    @staticmethod
    def line(label: str, r: dict, ratio: bool = True) -> str:
        times = f"{r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f}"
        shown = f"{r['ratio']:.3f}" if ratio and r.get("ratio") is not None else ""
        return f"| {label} | {r['conns']} | {r['requests']} | {times} | {r['errors']} | {shown} |"

    def cache_table(self) -> str:
        front = bool(self.args.front)  # nginx's column only when it stood in front
        columns = ["pages", "answers", *(["front cache (nginx)"] if front else [])]
        columns += [
            "worker's copy", "shared cache", "rendered", "hit ratio", "purged pages",
            "renders per purged page (mean / most)", "cold renders (pages)",
            "renders of one page at once (most)", "pages rendered twice at once",
        ]  # fmt: skip
        lines = ["| " + " | ".join(columns) + " |", "|---" + "|---:" * (len(columns) - 1) + "|"]

        def total_line(label, answers, render, hit) -> str:
            blanks = " |" * (len(columns) - 6 - front)
            return (
                f"| {label} | {answers} |{' |' * (front + 2)} {render} | {percent(hit)} |{blanks}"
            )

        totals = {"answers": 0, "render": 0}
        for r in self.page_cache():
            hit = ratio(r["answers"] - r["render"], r["answers"])
            if "copy" not in r:  # the most-read share: answers and renders only
                lines.append(total_line(r["label"], r["answers"], r["render"], hit))
                continue
            totals["answers"] += r["answers"]
            totals["render"] += r["render"]
            at_once = self.at_once.get(r["label"], {"most": "–", "overlapping": "–"})
            mean = ratio(r["rerenders"], r["purged_pages"])
            per_purge = f"{mean:.2f} / {r['longest_run']}" if mean is not None else "–"
            cells = [r["label"], r["answers"], *([r["front"]] if front else [])]
            cells += [
                r["copy"], r["shared"], r["render"], percent(hit), r["purged_pages"], per_purge,
                f"{r['cold_renders']} ({r['cold_pages']})", at_once["most"],
                at_once["overlapping"],
            ]  # fmt: skip
            lines.append("| " + " | ".join(map(str, cells)) + " |")
        hit = ratio(totals["answers"] - totals["render"], totals["answers"])
        lines.append(total_line("every page", totals["answers"], totals["render"], hit))
        return "### The page cache during the night\n\n" + "\n".join(lines)

    def staff(self) -> str:
        lines = []
        for who, tasks in self.actors.items():
            for name, t in tasks.items():
                done = ", ".join(f"{n} {what}" for what, n in t["outcomes"].items()) or "nothing"
                errors = f"; errors: {t['first_errors']}" if t["errors"] else ""
                lines.append(
                    f"- {who}, {name}: {t['runs']} times ({done}), {t['errors']} errors, "
                    f"{t['p50_ms'] or '–'} ms p50, {t['max_ms'] or '–'} ms at most{errors}"
                )
        memory = ", ".join(f"{pid}: {mb:.0f} MB" for pid, mb in self.rss.items()) or "not found"
        lines.append(f"- granian workers' resident memory at the end of the night: {memory}")
        return "### The staff, the posts and the memory\n\n" + "\n".join(lines)

    def kind_table(self, rows: list[dict]) -> str:
        lines = [
            "| page kind | conns | requests | req/s | p50 ms | p99 ms | errors | × baseline |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        labels = {k.key: k.label for k in KINDS}
        lines += [self.line(labels[r["key"]], r) for r in rows]
        return "\n".join(lines)

    def checks(self):
        """(target, result, met) for each of the night's targets and the miss ratios."""
        for kind in READERS:
            if r := self.night.get(kind.key):
                yield f"p99 < {P99_MS} ms: {kind.label}", f"{r['p99']:.1f} ms", r["p99"] < P99_MS
        article = self.night.get("article", {})
        hot = ratio(
            article.get("hot_answers", 0) - article.get("hot_renders", 0),
            article.get("hot_answers", 0),
        )
        yield (
            f"hit ratio ≥ {HOT_HIT_RATIO:.0%}, most-read 1%",
            percent(hot),
            (hot or 0) >= HOT_HIT_RATIO,
        )
        pages = sum(r["errors"] for r in self.night.values())
        staff = sum(t["errors"] for tasks in self.actors.values() for t in tasks.values())
        yield "zero errors (answers + staff)", f"{pages} + {staff}", pages + staff == 0
        yield "comment posts stored exactly once", "yes" if self.posts_ok else "no", self.posts_ok
        most = max((c["most"] for c in self.at_once.values()), default=0)
        yield "at most one render of a page at a time", f"at most {most}", most <= 1
        most = max(self.rss.values(), default=0)
        yield f"≤ {WORKER_MB} MB per worker", f"{most:.0f} MB at most", 0 < most <= WORKER_MB
        for r in self.tables["miss"]:
            if r["key"] in PAGES:
                yield (
                    f"miss ≥ {MISS_RATIO}×: {r['key']}",
                    f"{r['ratio']:.3f}×",
                    r["ratio"] >= MISS_RATIO,
                )

    def targets(self) -> str:
        lines = ["| target | result | |", "|---|---|---|"]
        lines += [
            f"| {name} | {value} | {'met' if ok else '**missed**'} |"
            for name, value, ok in self.checks()
        ]
        return "### Against the targets\n\n" + "\n".join(lines)

    def write(self) -> None:
        if self.baseline is None:
            return
        text = self.report()
        print("\n" + text)
        (RESULTS / "night.md").write_text(text)
        data = {
            "run": self.intro(),
            "args": {
                k: v
                for k, v in vars(self.args).items()
                if isinstance(v, int | float | str | list | None)
            },
            "connections": self.split,
            "baseline": self.baseline,
            "night": self.night,
            "miss": self.tables["miss"],
            "cold": self.tables["cold"],
            "staff": self.actors,
            "workers_rss_mb": self.rss,
            "renders_at_once": self.at_once,
            "notes": self.notes,
            "posts_ok": self.posts_ok,
        }
        (RESULTS / "night.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        say(f"written to {RESULTS / 'night.md'} and night.json")
