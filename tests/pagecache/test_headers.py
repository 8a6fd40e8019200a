"""A page answers the same whichever way it is answered (pagecache/middleware.py,
pagecache/copies.py): rendered, from the shared cache, or from this worker's copy.

Same status, same body, same headers (``Date`` and ``Age`` aside), the security
headers and ``Content-Length`` among them, for every kind of public page. The
requests go through portal.wsgi.application, as the server sends them, so that
the worker's copies sit in front of Django as in production.
"""

import pytest
import time_machine
from django.core.signals import request_started
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from articles.models import Tag
from pagecache.copies import worker_copies
from tests.factories import make_article, make_author, make_section
from tests.pagecache.helpers import call

pytestmark = pytest.mark.django_db

# Every URL pattern whose view is a @public_page, with an address of it.
PAGES = {
    "articles:home": lambda a: "/",
    "articles:detail": lambda a: a.get_absolute_url(),
    "articles:section": lambda a: a.section.get_absolute_url(),
    "articles:author": lambda a: a.bylines.get().author.get_absolute_url(),
    "articles:tag": lambda a: a.tags.get().get_absolute_url(),
    "articles:feed": lambda a: reverse("articles:feed"),
    "articles:section_feed": lambda a: reverse("articles:section_feed", args=[a.section.slug]),
    "articles:author_feed": lambda a: reverse(
        "articles:author_feed", args=[a.bylines.get().author.slug]
    ),
    "articles:tag_feed": lambda a: reverse("articles:tag_feed", args=[a.tags.get().slug]),
    "robots": lambda a: reverse("robots"),
    "sitemap": lambda a: reverse("sitemap"),
    "sitemap-news": lambda a: reverse("sitemap-news"),
    "sitemap-section": lambda a: reverse("sitemap-section", args=["bai-viet"]),
    "comments:list": lambda a: reverse("comments:list", args=[a.pk]),
}
# What each answer says of its own moment.
PER_ANSWER = {"date", "age"}


def public_patterns(resolver=None, namespace=""):
    """``(name, view)`` of every URL pattern whose view is a @public_page."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from public_patterns(pattern, inner)
        elif hasattr(pattern.callback, "page_query"):
            yield f"{namespace}{pattern.name}", pattern.callback


def test_every_public_page_is_checked_here():
    assert {name for name, _ in public_patterns()} == set(PAGES)


@pytest.fixture
def article():
    article = make_article(section=make_section(), authors=[make_author()])
    article.tags.add(Tag.objects.create(name="Mùa nước nổi"))
    return article


@pytest.fixture
def reached_django():
    """How many requests went past the worker's copies into Django."""
    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.connect(count)
    yield seen
    request_started.disconnect(count)


def answer(path):
    status, headers, content = call(RequestFactory().get(path).environ)
    return status, sorted((n, v) for n, v in headers if n.lower() not in PER_ANSWER), content


@pytest.mark.parametrize("name", PAGES)
def test_rendered_shared_and_copied_answers_are_the_same(
    name, article, settings, reached_django, django_assert_num_queries
):
    settings.PAGE_CACHE_RECHECK_SECONDS = 60
    path = PAGES[name](article)

    with time_machine.travel(timezone.now(), tick=False):  # one max-age for all three
        rendered = answer(path)
        worker_copies.clear()  # the next request goes to the shared cache
        with django_assert_num_queries(0):
            shared = answer(path)
        assert len(reached_django) == 2
        copied = answer(path)
        assert len(reached_django) == 2  # answered before Django

    status, headers, content = rendered
    assert status == "200 OK"
    for other in (shared, copied):
        assert other[1] == headers
        assert other == rendered
    names = {n.lower(): v for n, v in headers}
    assert {"etag", "last-modified", "x-frame-options", "content-security-policy"} <= set(names)
    assert names["cache-control"] == "public, max-age=60"
    assert names["content-length"] == str(len(content))
    assert "set-cookie" not in names
    assert b"csrfmiddlewaretoken" not in content  # nothing of one reader on a public page
