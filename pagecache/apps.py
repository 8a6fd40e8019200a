from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Bộ nhớ đệm trang"

    def ready(self):
        # Connects the receiver of articles.signals.content_changed.
        from . import purge  # noqa: F401
