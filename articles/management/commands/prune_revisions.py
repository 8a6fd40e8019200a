"""Thin the articles' old revisions (settings REVISIONS_KEEP_DAYS and
REVISIONS_THIN_HOURS, rule in articles/revisions.py ``prune``): a daily job
from cron or a systemd timer, like flush_views."""

from django.core.management.base import BaseCommand, CommandError

from articles.revisions import prune


class Command(BaseCommand):
    help = (
        "Tỉa lịch sử phiên bản của bài viết: bài chưa từng xuất bản giữ mọi phiên bản; "
        "bài đã xuất bản giữ mọi phiên bản trong REVISIONS_KEEP_DAYS ngày gần nhất, "
        "trước đó mỗi REVISIONS_THIN_HOURS giờ giữ phiên bản cuối."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ đếm số phiên bản sẽ xoá, không xoá."
        )

    def handle(self, *args, dry_run, **options):
        try:
            removed = prune(dry_run=dry_run)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if dry_run:
            self.stdout.write(f"Sẽ xoá {removed} phiên bản cũ (chạy thử: chưa xoá gì).")
        else:
            self.stdout.write(f"Đã xoá {removed} phiên bản cũ.")
