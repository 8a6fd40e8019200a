from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        # Registers the deploy check on STATIC_ROOT (stale CKEditor pages).
        from . import staticfiles  # noqa: F401
