"""Fill every article's stored search data again (after a bulk load, or a change
to how text is folded). ``Article.save`` keeps it current otherwise."""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from articles.models import Article
from articles.search import remember_all_words, search_fields


class Command(BaseCommand):
    help = "Tính lại dữ liệu tìm kiếm (không dấu, vector toàn văn) của mọi bài viết."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument(
            "--missing", action="store_true", help="Chỉ các bài chưa có dữ liệu tìm kiếm."
        )

    def handle(self, *args, batch, missing, **options):
        postgres = connection.vendor == "postgresql"
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
            updates = [
                (pk, search_fields(title, sapo, body, postgres=False))
                for pk, title, sapo, body in chunk
            ]
            with transaction.atomic():
                if postgres:
                    self.update_postgres(updates)
                else:
                    Article.objects.bulk_update(
                        [Article(pk=pk, **fields) for pk, fields in updates],
                        ["search_title", "search_text"],
                    )
            done, last_pk = done + len(chunk), chunk[-1][0]
            self.stdout.write(f"{done} bài…", ending="\r")
        if postgres:
            remember_all_words(connection)
        self.stdout.write(
            f"{done} bài đã có dữ liệu tìm kiếm ({time.monotonic() - started:.1f} s)."
        )

    @staticmethod
    def update_postgres(updates):
        # One pipelined statement per row: bulk_update's CASE over 500 vectors is
        # quadratic. The vector is what articles.search.search_fields builds.
        table = connection.ops.quote_name(Article._meta.db_table)
        sql = (
            f"UPDATE {table} SET search_title = %s, search_text = %s, search_vector = "
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || "
            "setweight(to_tsvector('simple', %s), 'C') WHERE id = %s"
        )
        params = []
        for pk, fields in updates:
            folded_sapo, _, folded_body = fields["search_text"].partition("\n")
            params.append(
                (
                    fields["search_title"],
                    fields["search_text"],
                    fields["search_title"],
                    folded_sapo,
                    folded_body,
                    pk,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
