"""Write the read counts kept in the cache to the database: the periodic job behind
"Đọc nhiều", every five minutes from cron or a systemd timer (docs/operations.md).
No reader's request does this work."""

from django.core.management.base import BaseCommand

from articles.popularity import FLUSH_HOURS, flush_views


class Command(BaseCommand):
    help = "Ghi lượt đọc đang đếm trong cache vào cơ sở dữ liệu (cho mục Đọc nhiều)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=FLUSH_HOURS, help="Số giờ gần nhất cần ghi."
        )

    def handle(self, *args, hours, **options):
        written = flush_views(hours=hours)
        self.stdout.write(f"Đã ghi {written} dòng lượt đọc.")
