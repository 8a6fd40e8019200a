"""Fill every article's stored search data again (after a bulk load, or a change
to how text is folded). An article's save keeps it current otherwise."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from articles.models import Article
from articles.search import remember_all_words, store_search_data


class Command(BaseCommand):
    help = "Tính lại dữ liệu tìm kiếm (không dấu, vector toàn văn) của mọi bài viết."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--missing", action="store_true", help="Chỉ các bài chưa có dữ liệu tìm kiếm."
        )

    def handle(self, *args, batch, missing, **options):
        rows = Article.objects.order_by("pk")
        if missing:
            rows = rows.filter(search_title="")
        started, done, last_pk = time.monotonic(), 0, 0
        while True:
            chunk = list(
                rows.filter(pk__gt=last_pk).values_list("pk", "title", "sapo", "body")[:batch]
            )
            if not chunk:
                break
            with transaction.atomic():
                store_search_data(chunk)
            done, last_pk = done + len(chunk), chunk[-1][0]
            self.stdout.write(f"{done} bài…", ending="\r")
        if connection.vendor == "postgresql":
            remember_all_words(connection)
        self.stdout.write(
            f"{done} bài đã có dữ liệu tìm kiếm ({time.monotonic() - started:.1f} s)."
        )
