"""``{% cover article sizes="…" %}``: a cover image with its renditions."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import renditions

register = template.Library()

# Above the fold the browser should fetch at once; below it, only when near.
EAGER = mark_safe('fetchpriority="high"')
LAZY = mark_safe('loading="lazy"')


@register.simple_tag
def cover(article, sizes="100vw", eager=False, css_class=""):
    if not article.cover_image:
        return ""
    loading = EAGER if eager else LAZY
    info = article.cover_renditions or {}
    if not info.get("widths"):
        # Stored before renditions existed: the original, still with its alt text.
        return format_html(
            '<img class="{}" src="{}" alt="{}" {} decoding="async">',
            css_class,
            article.cover_image.url,
            article.cover_alt,
            loading,
        )
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img class="{}" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" {} '
        'decoding="async"></picture>',
        renditions.srcset(article.cover_image, info, "webp"),
        sizes,
        css_class,
        renditions.fallback_url(article.cover_image, info),
        renditions.srcset(article.cover_image, info, "jpg"),
        sizes,
        info["width"],
        info["height"],
        article.cover_alt,
        loading,
    )
