"""Time the search over the bench data (the target: under 100 ms at 100,000 articles).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench SECRET_KEY=x \\
        .venv/bin/python bench/search.py [--runs 20]

Needs the articles of ``manage.py seed_bench`` with their search data
(``manage.py rebuild_search --missing``: COPY bypasses ``Article.save``). Each
query is run as the search page runs it (count, then the first page of 20 with
snippets), once untimed, then ``--runs`` times; it prints median and worst.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from articles.search import body_text, highlight, search_articles, snippet  # noqa: E402

QUERIES = [
    "nông dân",  # very common: thousands of matches
    "nong dan",  # the same without accents
    "dong thap muoi",  # three words, common
    "khánh thành cầu",
    "Tràm Chim",
    "đường",
    "bao hiem y te hoc sinh",
    "xoai cat hoa loc tieu chuan vietgap",  # rare combination
    "dong thapp",  # a typo: no exact match, the trigram fallback answers
    "zzzzqqq",  # nothing at all
]


def run_page(query):
    result = search_articles(query)
    page = Paginator(result.articles, 20).get_page(1)
    for article in page:
        highlight(article.title, result.terms)
        snippet(f"{article.sapo} {body_text(article.body)}", result.terms)
    return page.paginator.count, result.near_misses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    total = Article.objects.published().count()
    print(f"{connection.vendor}, {total} published articles, {args.runs} runs per query\n")
    print(f"{'query':40} {'hits':>7} {'median ms':>10} {'max ms':>8}")
    for query in QUERIES:
        hits, fuzzy = run_page(query)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            run_page(query)
            times.append((time.perf_counter() - start) * 1000)
        label = f"{query} (near-miss)" if fuzzy else query
        print(f"{label:40} {hits:>7} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    main()
