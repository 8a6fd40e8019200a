"""Tags for an article's head: JSON-LD and absolute URLs for share previews."""

from django import template

from articles import seo
from portal.dates import iso_datetime

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    return seo.json_ld(seo.news_article(context["request"], article))


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def share_image_url(context, article):
    return seo.cover_url(context["request"], article)


@register.filter
def vn_modified(article):
    return iso_datetime(seo.modified_at(article))
