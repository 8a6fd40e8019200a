from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Ý kiến bạn đọc"

    def ready(self):
        # Connects the comment lists' receiver of content_changed.
        from . import fragments  # noqa: F401
