from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Ý kiến bạn đọc"

    def ready(self):
        from articles.fragments import ARTICLE_PAGE_KEYS

        # Connects the comment lists' receiver of content_changed.
        from . import fragments

        # The article page's comments block is read with the article's parts.
        if fragments.block_keys not in ARTICLE_PAGE_KEYS:
            ARTICLE_PAGE_KEYS.append(fragments.block_keys)
