from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Tin bài"

    def ready(self):
        # Connects receivers: the most-read lists' and the kept parts' of
        # content_changed, and the front page's of its picks' writes (which
        # announce them).
        from . import fragments, frontpage, popularity  # noqa: F401
