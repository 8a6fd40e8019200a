"""Delete confirmations that list only what a person made.

Django lists, among what a delete takes with it, the rows of many-to-many
tables ("Liên kết bài viết–thẻ: Article_tags object (1)"): links between two
things, named in English by Django. The things themselves stay listed.
"""

from django.apps import apps
from django.utils.text import capfirst


def _link_models():
    return [
        model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created
    ]


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            item = _without(item, prefixes)
            if item:
                kept.append(item)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class DeletesWithoutLinkRows:
    """A ModelAdmin whose delete confirmation leaves out many-to-many links."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = _link_models()
        prefixes = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in links)
        plural = {str(model._meta.verbose_name_plural) for model in links}
        counts = {name: n for name, n in counts.items() if str(name) not in plural}
        return _without(deleted, prefixes), counts, perms_needed, protected
