"""The people at work during the night (bench/night.py), each a process of its own
with the server's DATABASE_URL and CACHE_URL, going through the portal's services
as the admin does, so every purge is the real one:

    python bench/actors.py moderators DEADLINE [--per-second 3]
    python bench/actors.py newsroom DEADLINE

- moderators approve the newest pending comment of the bench articles
  (``comments.services.moderate``), a few a second: on a busy night they keep up
  with the stories being read.
- the newsroom (``articles.services.save_article``, ``articles.workflow``): every
  minute it writes an article in a bench section and publishes it; every few
  seconds it edits one of the most-read published articles (a line "Cập nhật lúc"
  at the end of its body) and saves a draft the same way.

DEADLINE is a Unix time. Each prints one JSON line: per task, how many times it
ran, what it did, its errors and its time (p50 and max, ms).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import close_old_connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import workflow  # noqa: E402
from articles.models import Article, Author, Byline, Section  # noqa: E402
from articles.services import save_article  # noqa: E402
from comments.models import Comment  # noqa: E402
from comments.services import moderate  # noqa: E402

BENCH = "bench-"  # seed_bench's sections and authors: --clear removes what is written here
PUBLISH_EVERY, EDIT_EVERY, DRAFT_EVERY = 60.0, 5.0, 5.0
LIVE = 20  # the newest published articles: the stories the newsroom keeps updating
UPDATE_LINE = re.compile(r"<p>Cập nhật lúc [0-9:]+: [^<]*</p>\s*$")


class Task:
    def __init__(self, name: str, every: float, act: Callable[[], str], first: float = 0.0):
        self.name, self.every, self.act = name, every, act
        self.next_at = time.monotonic() + first
        self.times, self.outcomes, self.errors = [], {}, []

    def run(self) -> None:
        started = time.monotonic()
        self.next_at += self.every
        try:
            outcome = self.act()
        except Exception as error:  # counted and shown; the night goes on
            self.errors.append(f"{type(error).__name__}: {error}"[:300])
            close_old_connections()
            return
        self.times.append(time.monotonic() - started)
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def summary(self) -> dict:
        ms = [t * 1000 for t in self.times]
        return {
            "runs": len(ms) + len(self.errors),
            "outcomes": self.outcomes,
            "errors": len(self.errors),
            "first_errors": self.errors[:3],
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "max_ms": round(max(ms), 1) if ms else None,
        }


def work_until(deadline: float, tasks: list[Task]) -> dict:
    """Each task at its pace until ``deadline`` (Unix time); a task that falls
    behind runs again at once, never twice as fast to catch up."""
    while time.time() < deadline:
        task = min(tasks, key=lambda t: t.next_at)
        wait = task.next_at - time.monotonic()
        if wait > 0:
            time.sleep(min(wait, max(deadline - time.time(), 0)))
            if time.time() >= deadline:
                break
        task.run()
        task.next_at = max(task.next_at, time.monotonic())
    return {task.name: task.summary() for task in tasks}


# ---------------------------------------------------------------- moderators
def approve_newest() -> str:
    comment = (
        Comment.objects.filter(
            status=Comment.Status.PENDING, article__section__slug__startswith=BENCH
        )
        .only("id", "status", "article_id")
        .order_by("-created_at")
        .first()
    )
    if comment is None:
        return "queue empty"
    done = moderate(comment=comment, moderator=None, status=Comment.Status.APPROVED)
    return "approved" if done else "decided by someone else"


def moderators(deadline: float, per_second: float) -> dict:
    return work_until(deadline, [Task("approve", 1 / per_second, approve_newest)])


# ---------------------------------------------------------------- the newsroom
def bench_articles():
    return Article.objects.filter(section__slug__startswith=BENCH)


def with_update_line(body: str) -> str:
    line = f"<p>Cập nhật lúc {timezone.localtime():%H:%M:%S}: số phiếu đã kiểm tiếp tục tăng.</p>"
    return UPDATE_LINE.sub("", body).rstrip() + line


def edit(article: Article) -> None:
    article.body = with_update_line(article.body)
    save_article(article=article, by=None, update_fields=["body"])


def publish_new(source: Article) -> str:
    """A journalist's draft (the text of ``source``), then the editor's Xuất bản:
    two saves, as in the admin."""
    author = Author.objects.filter(slug__startswith=BENCH).order_by("?").first()
    article = Article(
        section=Section.objects.filter(slug__startswith=BENCH).order_by("?").first(),
        title=f"Kết quả kiểm phiếu lúc {timezone.localtime():%H:%M}: {source.title}"[:300],
        sapo=source.sapo,
        body=with_update_line(source.body),
        location=source.location,
        status=Article.Status.DRAFT,
    )

    def byline():
        Byline.objects.create(article=article, author=author, position=0)

    save_article(article=article, by=None, related=byline)
    workflow.publish(article=article, by=None)
    return "published"


def newsroom(deadline: float) -> dict:
    rng = random.Random(os.getpid())
    live = list(
        bench_articles().published().order_by("-published_at").values_list("pk", flat=True)[:LIVE]
    )
    drafts = list(bench_articles().filter(status=Article.Status.DRAFT).values_list("pk", flat=True))

    def edit_live() -> str:
        edit(bench_articles().published().get(pk=rng.choice(live)))
        return "edited"

    def publish() -> str:
        return publish_new(bench_articles().get(pk=rng.choice(live)))

    def save_draft() -> str:
        if not drafts:
            return "no draft"
        edit(bench_articles().get(pk=rng.choice(drafts)))
        return "saved"

    return work_until(
        deadline,
        [
            Task("publish", PUBLISH_EVERY, publish, first=PUBLISH_EVERY / 2),
            Task("edit published", EDIT_EVERY, edit_live, first=1.0),
            Task("save draft", DRAFT_EVERY, save_draft, first=1.0 + DRAFT_EVERY / 2),
        ],
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("who", choices=("moderators", "newsroom"))
    parser.add_argument("deadline", type=float)
    parser.add_argument("--per-second", type=float, default=3.0, help="approvals a second")
    args = parser.parse_args()
    if args.who == "moderators":
        result = moderators(args.deadline, args.per_second)
    else:
        result = newsroom(args.deadline)
    print(json.dumps(result, ensure_ascii=False))
