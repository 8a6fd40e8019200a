from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from articles.models import Section


def site(request):
    """The paper's identity, the section menu and now (the header shows today's date)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_province": settings.SITE_PROVINCE,
        "site_tagline": settings.SITE_TAGLINE,
        "site_address": settings.SITE_ADDRESS,
        "site_description": settings.SITE_DESCRIPTION,
        # Read from the cache once per page, and only by a page that shows it.
        "menu_sections": SimpleLazyObject(Section.objects.cached_menu),
        "now": timezone.now(),
    }
