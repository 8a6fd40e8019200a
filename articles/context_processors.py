from django.utils.functional import SimpleLazyObject

from .models import Section


def menu(request):
    """The section menu of the header and footer."""
    # Read from the cache once per page, and only by a page that shows it.
    return {"menu_sections": SimpleLazyObject(Section.objects.cached_menu)}
