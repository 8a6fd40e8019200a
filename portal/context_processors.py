from django.conf import settings
from django.utils import timezone

from articles.models import Section


def site(request):
    """The paper's name, the section menu and now (the header shows today's date)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_tagline": settings.SITE_TAGLINE,
        "menu_sections": Section.objects.cached_menu,
        "now": timezone.now(),
    }
