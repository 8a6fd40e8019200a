from django.conf import settings
from django.utils import timezone


def site(request):
    """The paper's identity and now (the header shows today's date)."""
    return {
        "site_name": settings.SITE_NAME,
        "site_province": settings.SITE_PROVINCE,
        "site_tagline": settings.SITE_TAGLINE,
        "site_address": settings.SITE_ADDRESS,
        "site_description": settings.SITE_DESCRIPTION,
        "now": timezone.now(),
    }
