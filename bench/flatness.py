"""Is the time per request flat in the number of comments and of articles? Each reader
endpoint and the moderation queue, timed at 10,000 and at 1,000,000 comments (the same
100,000 articles) and at 1,000 and at 100,000 articles (the same 10,000 comments), with
the EXPLAIN (ANALYZE, BUFFERS) plans of their queries; target: within 1.5x. Run by hand:

    .venv/bin/python bench/flatness.py                 # 200 requests per endpoint and size
    .venv/bin/python bench/flatness.py --requests 400 --rounds 8

Three databases. The large one (portal_bench: 100,000 articles, 1,000,000 comments,
seeded by `bench/run.py --size full`) is only read, on a default_transaction_read_only
connection. The small one (portal_flat_small: 100,000 articles, 10,000 comments) and
the few one (portal_flat_few: 1,000 articles, 10,000 comments) are created, migrated
and seeded unless their marker says so already (a few minutes, then a minute), then
reused. Each pass is this file in a subprocess with its own DATABASE_URL,
CACHE_URL=dummycache:// and PAGE_CACHE_SECONDS=0, calling portal.wsgi.application
in-process. Each round runs the three in turn, the order reversed every other round,
so that the machine's load falls on all alike.
Endpoints: the article page and comments:list of the 20 newest published bench
articles with a whole first page of comments, in turn; home; the busiest bench
section; the moderation queue: the page-1 query of its changelist (ORM) and the
changelist view for an unsaved superuser (filtered by a date that keeps every
comment, so that it claims none: nothing written); in the small database also the
real request as superuser `flatness`.
Report: bench/results/flatness.md. Exit status 1 when an endpoint is not flat.
"""

import argparse
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from environment import serving_environment

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
REPORT = BENCH / "results" / "flatness.md"
SEED, LIMIT = 2024, 1.5
SIZES = {  # database: (bench articles, comments)
    "few": (1_000, 10_000),
    "small": (100_000, 10_000),
    "large": (100_000, 1_000_000),
}
# What grows from one database to the other, all else equal: (from, to, index in SIZES).
COMPARED = {"comments": ("small", "large", 1), "articles": ("few", "small", 0)}
MARKER = "seed_bench articles={} comments={} seed={}"  # as seed_bench's bench_marker()
ENDPOINTS = ("article", "home", "section", "comments:list", "queue: page-1 query", "queue: view")
PASS = sys.argv[1:2] in (["state"], ["measure"], ["explain"])

if PASS:  # this file run as a pass: Django, in the environment the run gave it
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.models import Count
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from articles.models import Article, Section
    from comments.models import Comment, PendingComment
    from portal.wsgi import application

    _spec = importlib.util.spec_from_file_location("bench_profile", BENCH / "profile.py")
    bench_profile = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(bench_profile)


# ---------------------------------------------------------------- the passes
TARGETS = 20  # articles, each with a whole first page of comments in every database


def targets() -> tuple[dict, list]:
    """The paths of each endpoint, and [pk, approved comments] of the busiest target.

    The article page and comments:list of the newest articles whose first page of
    comments is full: each page shows as many comments in every database, so
    that only the size of the tables differs (the newest articles of a database
    with 10,000 comments mostly have none, and a page without comments is spared
    its queries)."""
    hot = list(
        Article.objects.published()
        .filter(section__slug__startswith="bench-")
        .filter(comment_count__gte=settings.COMMENTS_PAGE_SIZE)
        .select_related("section")
        .only("id", "slug", "section__slug", "comment_count")
        .order_by("-published_at")[:TARGETS]
    )
    busiest = Section.objects.filter(slug__startswith="bench-").annotate(n=Count("articles"))
    paths = {
        "article": [a.get_absolute_url() for a in hot],
        "home": [reverse("articles:home")],
        "section": [busiest.order_by("-n").first().get_absolute_url()],
        "comments:list": [reverse("comments:list", args=[a.pk]) for a in hot],
    }
    heaviest = max(hot, key=lambda a: a.comment_count)
    return paths, [heaviest.pk, heaviest.comment_count]


def get(path: str, fetch: bool = False, cookie: str = "") -> None:
    environ, status = bench_profile.environ_for(path, fetch), []
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    body = application(environ, lambda s, h, *e: status.append(s))
    b"".join(body)
    body.close()
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]} (expected 200)")


# A plain load of the queue claims comments for the moderator (comments/claims.py),
# a write; filtered by a date that keeps every comment, it lists the same first page
# and claims nothing, so the large database is only read.
EVERY_DAY = {"created_at__gte": "2000-01-01 00:00:00+07:00"}


def queue():
    """The queue's ModelAdmin and a GET of its changelist (every day) by an unsaved
    superuser."""
    url = reverse("admin:comments_pendingcomment_changelist")
    request = RequestFactory().get(url, EVERY_DAY)
    request.user = get_user_model()(username="flatness", is_superuser=True, is_staff=True)
    return admin.site.get_model_admin(PendingComment), request


def queue_page(changelist) -> list:  # the query ChangeList.get_results() runs for page 1
    return list(changelist.paginator.page(1).object_list)


def queue_view() -> None:  # filter choices, capped count, page 1 and the HTML
    model_admin, request = queue()
    response = model_admin.changelist_view(request).render()
    if response.status_code != 200:
        raise SystemExit(f"moderation queue: {response.status_code} (expected 200)")


def timed(calls: list, n: int, warmup: int) -> dict:
    """Wall and database time (ms) and queries of n calls (in turn), after the warm-up."""
    spent = []  # the duration of each query of the current call

    def wrapper(execute, *args):
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            spent.append(time.perf_counter() - started)

    for i in range(warmup):
        calls[i % len(calls)]()
    out = {"wall": [], "db": [], "queries": []}
    with connection.execute_wrapper(wrapper):
        for i in range(n):
            spent.clear()
            started = time.perf_counter()
            calls[i % len(calls)]()
            out["wall"].append((time.perf_counter() - started) * 1000)
            out["db"].append(sum(spent) * 1000)
            out["queries"].append(len(spent))
    return out


def measure(n: str, warmup: str, http_admin: str) -> dict:
    paths, _ = targets()
    model_admin, request = queue()
    changelist = model_admin.get_changelist_instance(request)
    jobs = {name: [lambda p=p: get(p) for p in paths[name]] for name in ENDPOINTS[:3]}
    jobs["comments:list"] = [lambda p=p: get(p, fetch=True) for p in paths["comments:list"]]
    jobs["queue: page-1 query"] = [lambda: queue_page(changelist)]
    jobs["queue: view"] = [queue_view]
    if http_admin == "1":  # the real request, logged in: only where writing is allowed
        users = get_user_model().objects
        user = users.filter(username="flatness").first() or users.create_superuser("flatness")
        client = Client()
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        jobs["queue: HTTP as superuser"] = [lambda: get(request.path, cookie=cookie)]
    return {name: timed(calls, int(n), int(warmup)) for name, calls in jobs.items()}


def explain(repeats: str) -> dict:
    """The queries of one request of each endpoint (CaptureQueriesContext), and each
    one's EXPLAIN (ANALYZE, BUFFERS), run `repeats` times: the median execution time."""
    paths, heaviest = targets()
    model_admin, request = queue()
    runs = {name: lambda name=name: get(paths[name][0]) for name in ENDPOINTS[:3]}
    runs["comments:list"] = lambda: get(reverse("comments:list", args=[heaviest[0]]), fetch=True)
    runs["queue"] = lambda: queue_page(model_admin.get_changelist_instance(request))
    queries = []
    for name, run_once in runs.items():
        run_once()  # warm
        with CaptureQueriesContext(connection) as ctx:
            run_once()
        for n, query in enumerate(ctx.captured_queries, 1):
            sql, times = query["sql"], []
            with connection.cursor() as cursor:
                for _ in range(int(repeats)):
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    times.append(float(re.search(r"Execution Time: ([\d.]+)", plan)[1]))
            tables = ", ".join(dict.fromkeys(re.findall(r'(?:FROM|JOIN) "(\w+)"', sql)))
            label = f"{name} q{n} ({tables})"
            queries.append({"label": label, "sql": sql, "plan": plan})
            queries[-1]["ms"] = statistics.median(times)
    return {"heaviest": heaviest, "queries": queries}


def state() -> dict:
    executor = MigrationExecutor(connection)
    section = Section.objects.filter(slug__startswith="bench-").order_by("id").first()
    return {
        "marker": section.description if section else None,
        "unapplied": len(executor.migration_plan(executor.loader.graph.leaf_nodes())),
        "articles": Article.objects.filter(section__slug__startswith="bench-").count(),
        "comments": Comment.objects.count(),
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "postgres": connection.cursor().connection.info.parameter_status("server_version"),
    }


# ---------------------------------------------------------------- the run
def say(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def environment(url: str) -> dict:
    """bench/run.py's server environment, without any cache."""
    env = serving_environment(database_url=url, cache_url="dummycache://")
    return env | {"PAGE_CACHE_SECONDS": "0"}


def code_stamp() -> float:
    """The newest modification time of the portal's code and templates (no git here)."""
    files = (
        p for d in ("articles", "comments", "portal", "templates") for p in (ROOT / d).rglob("*")
    )
    return max(p.stat().st_mtime for p in files if p.suffix in (".py", ".html"))


def side(env: dict, *args):
    cmd = [sys.executable, __file__, *map(str, args)]
    out = subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout.strip().splitlines()[-1])


def marker(size: str) -> str:
    articles, comments = SIZES[size]
    return MARKER.format(articles, comments, SEED)


def prepare(args) -> tuple[dict, dict]:
    from run import ensure_database, require_loopback

    urls = {"few": args.few_url, "small": args.small_url, "large": args.large_url}
    for url in urls.values():
        require_loopback(url)
    sep = "&" if "?" in args.large_url else "?"
    urls["large"] += f"{sep}options=-c%20default_transaction_read_only%3Don"
    envs = {size: environment(url) for size, url in urls.items()}

    def manage(size, *command):  # in the few and small databases only
        cmd = [sys.executable, "manage.py", *command]
        subprocess.run(cmd, cwd=ROOT, env=envs[size], check=True)

    for size in ("few", "small"):
        ensure_database(urls[size])
        manage(size, "migrate", "--noinput", "-v", "0")
        if side(envs[size], "state")["marker"] != marker(size):
            articles, comments = SIZES[size]
            say(f"seeding the {size} database ({articles:,} articles, {comments:,} comments)")
            sizes = f"--articles={articles} --comments={comments} --seed={SEED}"
            manage(size, "seed_bench", "--clear", *sizes.split())
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():  # read by {% static %}
        manage("small", "collectstatic", "--noinput", "-v", "0")
    states = {size: side(env, "state") for size, env in envs.items()}
    for size, st in states.items():
        # A night run adds the newsroom's few articles to the seeded ones.
        if st["marker"] != marker(size) or st["unapplied"] or st["articles"] < SIZES[size][0]:
            raise SystemExit(f"the {size} database is not as expected: {st}")
    return envs, states


def main() -> int:
    if PASS:
        action = {"state": state, "measure": measure, "explain": explain}[sys.argv[1]]
        print(json.dumps(action(*sys.argv[2:])))
        return 0
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--requests", type=int, default=200, help="per endpoint and database (200)")
    p.add_argument("--warmup", type=int, default=20, help="untimed, at the start of a pass")
    p.add_argument("--rounds", type=int, default=4, help="passes per database (4)")
    p.add_argument("--explain-repeats", type=int, default=5, help="runs of each EXPLAIN (5)")
    p.add_argument("--few-url", default="postgres://postgres@127.0.0.1:5432/portal_flat_few")
    p.add_argument("--small-url", default="postgres://postgres@127.0.0.1:5432/portal_flat_small")
    p.add_argument("--large-url", default="postgres://postgres@127.0.0.1:5432/portal_bench")
    args = p.parse_args()
    load_before, stamp = os.getloadavg(), code_stamp()
    envs, states = prepare(args)
    samples = {size: {} for size in SIZES}
    passes = [size for r in range(args.rounds) for size in list(SIZES)[:: 1 if r % 2 else -1]]
    for n, size in enumerate(passes):
        first = n < len(SIZES)  # the first pass of each database takes the remainder
        count = args.requests // args.rounds + (args.requests % args.rounds if first else 0)
        say(f"pass {n + 1}/{len(passes)}: {size}, {count} requests per endpoint")
        admin_too = int(first and size == "small")  # the real request, where writes are allowed
        for name, got in side(envs[size], "measure", count, args.warmup, admin_too).items():
            into = samples[size].setdefault(name, {"wall": [], "db": [], "queries": []})
            for key, values in got.items():
                into[key] += values
    plans = {}
    for size in SIZES:
        say(f"EXPLAIN ANALYZE in the {size} database")
        plans[size] = side(envs[size], "explain", args.explain_repeats)
    stamps = (stamp, code_stamp())
    if stamps[1] != stamps[0]:
        say("the portal's code changed during the run: the numbers may mix two versions")
    text, flat = report(args, states, samples, plans, load_before, stamps)
    REPORT.write_text(text)
    print(text.split("\n## Execution")[0])
    say(f"written to {REPORT}")
    return 0 if flat else 1


def report(args, states, samples, plans, load_before, stamps) -> tuple[str, bool]:
    def med(size, e, key="wall"):
        return statistics.median(samples[size][e][key])

    def p90(size, e):
        return statistics.quantiles(samples[size][e]["wall"], n=10)[-1]

    code = f"{datetime.fromtimestamp(stamps[0]):%Y-%m-%d %H:%M:%S}"
    if stamps[1] != stamps[0]:
        code += f", **changed during the run** ({datetime.fromtimestamp(stamps[1])}): run again"
    load = [", ".join(f"{x:.1f}" for x in avg) for avg in (load_before, os.getloadavg())]
    urls = {"few": args.few_url, "small": args.small_url, "large": f"{args.large_url} (read only)"}
    held = [
        f"{size}: `{urls[size]}`, {st['articles']:,} articles, {st['comments']:,} comments "
        f"({st['pending']:,} pending)"
        for size, st in states.items()
    ]
    heaviest = {s: "article {}, {} approved".format(*plans[s]["heaviest"]) for s in plans}
    lines = [
        "# Flatness: 10,000 against 1,000,000 comments, 1,000 against 100,000 articles",
        "",
        f"Run {datetime.now():%Y-%m-%d %H:%M}, {platform.node()}: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, PostgreSQL {states['large']['postgres']}. "
        f"Load average (1, 5, 15 min): {load[0]} before, {load[1]} after.",
        "",
        f"Command: `{' '.join(['.venv/bin/python', 'bench/flatness.py', *sys.argv[1:]])}`. "
        f"Code: newest .py/.html file of the portal from {code}.",
        "",
        f"Bench data of seed {SEED}. {'; '.join(held)}. {args.requests} timed requests per "
        f"endpoint and database in {args.rounds} passes each (the order reversed every other "
        f"round), each after {args.warmup} untimed; all answers 200; no cache. See the "
        "docstring of bench/flatness.py. `queue: page-1 query`: the query of the queue's rows "
        "(pending, by `created_at, id`, with article, section and moderator, 50 a page); "
        "`queue: view`: the whole changelist view (filter choices, capped count, rows, HTML), "
        "filtered by a date that keeps every comment, so that it claims none.",
    ]
    flat = True
    for grows, (low, high, index) in COMPARED.items():
        a, b = (f"{SIZES[size][index]:,}" for size in (low, high))
        lines += [
            "",
            f"### {a} against {b} {grows}",
            "",
            f"| endpoint | median ms at {a} | median ms at {b} | ratio | within 1.5× |",
            "| --- | ---: | ---: | ---: | --- |",
        ]
        for e in ENDPOINTS:
            a, b = med(low, e), med(high, e)
            flat &= b / a <= LIMIT
            ok = "yes" if b / a <= LIMIT else "**no**"
            lines.append(f"| {e} | {a:.2f} | {b:.2f} | {b / a:.2f} | {ok} |")
    lines += [
        "",
        "| endpoint | p90 ms few | p90 ms 10k | p90 ms 1M | DB ms (median) few | 10k | 1M "
        "| queries at 1M |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for e in ENDPOINTS:
        q = "/".join(str(x) for x in sorted(set(samples["large"][e]["queries"])))
        p90s = " | ".join(f"{p90(size, e):.2f}" for size in SIZES)
        dbs = " | ".join(f"{med(size, e, 'db'):.2f}" for size in SIZES)
        lines.append(f"| {e} | {p90s} | {dbs} | {q} |")
    e = "queue: HTTP as superuser"
    lines += ["", "The real changelist request as superuser `flatness`, in the small database"]
    lines[-1] += f" only: median {med('small', e):.2f} ms, p90 {p90('small', e):.2f} ms."
    lines += [
        "",
        f"## Execution time of each query (EXPLAIN ANALYZE, median of {args.explain_repeats})",
        "",
        "The queries of one request: the article page of the newest target, comments:list "
        f"of the target with the most comments (few: {heaviest['few']}; 10k: "
        f"{heaviest['small']}; 1M: {heaviest['large']}), the queue's changelist and its page 1.",
        "",
        "| query | ms few | ms at 10k | ms at 1M | 1M / 10k | 10k / few |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    at = {size: {q["label"]: q["ms"] for q in plans[size]["queries"]} for size in ("few", "small")}
    for q in plans["large"]["queries"]:
        # nan: no such query (or 0.000 ms) in that database
        few, small = (at[size].get(q["label"]) or float("nan") for size in ("few", "small"))
        lines.append(
            f"| {q['label']} | {few:.3f} | {small:.3f} | {q['ms']:.3f} "
            f"| {q['ms'] / small:.2f} | {small / few:.2f} |"
        )
    lines += ["", "## Plans at 1,000,000 comments"]
    for q in plans["large"]["queries"]:
        lines += ["", f"### {q['label']}", "", "```sql", q["sql"], "```", "", "```text"]
        lines += [q["plan"], "```"]
    lines += ["", "## Plans at 1,000 articles (the queries whose plan differs)"]
    large_plans = {q["label"]: q["plan"] for q in plans["large"]["queries"]}
    for q in plans["few"]["queries"]:
        if _shape(q["plan"]) != _shape(large_plans.get(q["label"], "")):
            lines += ["", f"### {q['label']}", "", "```text", q["plan"], "```"]
    return "\n".join(lines) + "\n", flat


def _shape(plan: str) -> list[str]:
    """A plan's nodes without their figures: what to compare between databases."""
    return [re.sub(r"\(.*?\)", "", line).strip() for line in plan.splitlines() if "->" in line]


if __name__ == "__main__":
    sys.exit(main())
