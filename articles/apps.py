from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Tin bài"

    def ready(self):
        # Connects the most-read lists' receiver of content_changed.
        from . import popularity  # noqa: F401
