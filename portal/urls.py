from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from articles import editor_uploads
from articles.sitemaps import SITEMAPS, NewsSitemap
from portal.health import healthz
from portal.http import public_page
from portal.media import serve_media
from portal.views import favicon

# The sitemaps list every public article, section, author and tag: they change
# with the listings (articles/signals.py).
LISTINGS = ("listings",)

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),  # "admin/" unless ADMIN_URL says otherwise
    path("ckeditor/upload/", editor_uploads.upload, name="ckeditor_upload"),
    path("ckeditor/browse/", editor_uploads.browse, name="ckeditor_browse"),
    path("y-kien/", include("comments.urls")),
    path("favicon.ico", favicon, name="favicon"),
    # For a load balancer: no session, never cached (portal/health.py).
    path("healthz", healthz, name="healthz"),
    path(
        "robots.txt",
        public_page(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    path(
        "sitemap.xml",
        public_page(sitemap_views.index, tags=LISTINGS),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        public_page(sitemap_views.sitemap, query={"p": int}, tags=LISTINGS),
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap, query={"p": int}, tags=LISTINGS),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Uploaded files from MEDIA_ROOT, for a single machine without a web server
    # or object storage in front (development, `make serve`).
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{prefix}(?P<path>.*)$", serve_media, name="media"))
