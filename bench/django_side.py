"""The steps of bench/run.py that need the portal's Django, run as a subprocess in the
environment of the run (DATABASE_URL, CACHE_URL, ...). Each prints one JSON line.

    python bench/django_side.py state
    python bench/django_side.py prepare OUT_DIR HOT   # target files; empties the cache
    python bench/django_side.py queries OUT_DIR SCENARIO [SCENARIO ...]
    python bench/django_side.py posted TAG             # comments whose body carries TAG
    python bench/django_side.py night OUT_DIR          # the night's path files (bench/night.py)
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from comments.models import Comment  # noqa: E402

BENCH_SECTIONS = {"section__slug__startswith": "bench-"}
SAMPLE = 5  # requests per scenario whose queries are counted
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}  # as comments.js asks
# As a browser posts from the article page: its origin (the test client's host), no token.
SAME_ORIGIN = {"HTTP_ORIGIN": "http://127.0.0.1"}


def state() -> dict:
    section = Section.objects.filter(slug__startswith="bench-").order_by("id").first()
    return {
        "marker": section.description if section else None,
        "articles": Article.objects.filter(**BENCH_SECTIONS).count(),
    }


def prepare(out_dir: str, hot: int) -> dict:
    """The newest ``hot`` published bench articles are what the load asks for: news
    traffic gathers on recent stories, and a fixed set can be warmed into the cache."""
    out = Path(out_dir)
    articles = list(
        Article.objects.published()
        .filter(**BENCH_SECTIONS)
        .select_related("section")
        .only("id", "slug", "section__slug", "comments_open")
        .order_by("-published_at")[:hot]
    )
    if not articles:
        raise SystemExit("no published bench articles: run seed_bench first")
    files = {
        "article": [a.get_absolute_url() for a in articles],
        "comments-list": [reverse("comments:list", args=[a.pk]) for a in articles],
        "comments-post": [
            reverse("comments:post", args=[a.pk]) for a in articles if a.comments_open
        ],
    }
    targets = {"files": {}, "paths": {}}
    for name, lines in files.items():
        path = out / f"paths-{name}.txt"
        path.write_text("\n".join(lines) + "\n")
        targets["files"][name] = str(path)
    busiest = (
        Section.objects.filter(slug__startswith="bench-")
        .annotate(n=Count("articles"))
        .order_by("-n")
        .first()
    )
    targets["paths"] = {"home": reverse("articles:home"), "section": busiest.get_absolute_url()}
    (out / "targets.json").write_text(json.dumps(targets, indent=1))
    cache.clear()  # the bench cache only (CACHE_URL): no page from an earlier run
    return targets


def _paths(targets: dict, name: str) -> list[str]:
    if name in targets["paths"]:
        return [targets["paths"][name]] * SAMPLE
    return Path(targets["files"][name]).read_text().split()[:SAMPLE]


def queries(out_dir: str, *names: str) -> dict:
    """Queries per request through the test client, the way the load asks: each
    URL once to warm (it fills the page cache when there is one), then counted."""
    targets = json.loads((Path(out_dir) / "targets.json").read_text())
    client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
    result = {}
    for name in names:
        counts, statuses, sizes = [], set(), set()
        kind = "comments-list" if name in ("comments-list", "comments-post") else name
        kind = "article" if kind in ("article-nocache", "article-nopagecache") else kind
        for n, path in enumerate(_paths(targets, kind)):
            extra = FETCH if kind == "comments-list" else {}
            client.get(path, **extra)
            with CaptureQueriesContext(connection) as ctx:
                if name == "comments-post":
                    post = path + "gui/"
                    data = {"name": "Bạn đọc", "email": "", "website": ""}
                    data["body"] = f"Đếm truy vấn của một lần gửi ý kiến (#{os.getpid()}-{n})"
                    ip = f"10.0.{os.getpid() % 250}.{n + 1}"
                    sent = {**FETCH, **SAME_ORIGIN, "HTTP_X_FORWARDED_FOR": ip}
                    response = client.post(post, data, **sent)
                else:
                    response = client.get(path, **extra)
            counts.append(len(ctx))
            statuses.add(response.status_code)
            sizes.add(len(response.content))
        result[name] = {"queries": max(counts), "statuses": sorted(statuses), "empty": 0 in sizes}
    return result


def posted(tag: str) -> dict:
    bodies = Comment.objects.filter(body__contains=f"#{tag}-")
    duplicated = bodies.values("body").annotate(n=Count("id")).filter(n__gt=1).count()
    return {"rows": bodies.count(), "duplicated_bodies": duplicated}


def night(out_dir: str) -> dict:
    """Every published bench article, the most-read first: news traffic gathers on
    the newest stories, so the newest is rank 1 of the readers' Zipf draw."""
    articles = list(
        Article.objects.published()
        .filter(**BENCH_SECTIONS)
        .select_related("section")
        .only("id", "slug", "section__slug", "comments_open")
        .order_by("-published_at", "-id")
    )
    sections = Section.objects.filter(slug__startswith="bench-").order_by("position", "id")
    files = {
        "article": [a.get_absolute_url() for a in articles],
        "home": [reverse("articles:home")],
        "section": [s.get_absolute_url() for s in sections],
        "comments-list": [reverse("comments:list", args=[a.pk]) for a in articles],
        "comments-post": [
            reverse("comments:post", args=[a.pk]) for a in articles if a.comments_open
        ],
    }
    written = {}
    for name, lines in files.items():
        path = Path(out_dir) / f"paths-night-{name}.txt"
        path.write_text("\n".join(lines) + "\n")
        written[name] = str(path)
    return {"files": written, "articles": len(articles)}


ACTIONS = {
    "state": state,
    "prepare": prepare,
    "queries": queries,
    "posted": posted,
    "night": night,
}

if __name__ == "__main__":
    action, *args = sys.argv[1:]
    if action == "prepare":
        args[1] = int(args[1])
    print(json.dumps(ACTIONS[action](*args)))
