"""What search engines and share previews read about an article: schema.org
``NewsArticle`` data (JSON-LD) and absolute URLs for Open Graph tags."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from articles import renditions
from portal.dates import iso_datetime

# What json_script escapes: nothing in the data can close the <script> block.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def modified_at(article):
    """When readers' copy last changed: its revision ("Cập nhật lúc", set by
    articles/services.py), else its publication; never before the publication."""
    return max(article.revised_at or article.published_at, article.published_at)


def cover_url(request, article) -> str:
    if not article.cover_image:
        return ""
    return request.build_absolute_uri(renditions.share_image_url(article))


def logo_url(request) -> str:
    return request.build_absolute_uri(static("img/logo.png"))


def news_article(request, article) -> dict:
    """schema.org NewsArticle for an article; bylines and section already loaded."""
    url = request.build_absolute_uri(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title[:110],  # Google shows at most 110 characters
        "description": article.sapo,
        "datePublished": iso_datetime(article.published_at),
        "dateModified": iso_datetime(modified_at(article)),
        "articleSection": article.section.name,
        "inLanguage": "vi",
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline_authors()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri("/"),
            "logo": {"@type": "ImageObject", "url": logo_url(request), "width": 600, "height": 60},
        },
    }
    if article.cover_image:
        data["image"] = [cover_url(request, article)]
    return data


def json_ld(data: dict) -> SafeString:
    """A ``<script type="application/ld+json">`` block, safe whatever the data says."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
