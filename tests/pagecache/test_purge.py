"""The page cache's receiver of content_changed (pagecache/purge.py): each field
of a Change retires just the pages showing it, and the rest stay kept.

A page answered again from the cache keeps the ``Last-Modified`` of its first
answer; one rendered again gets the time of its new one.
"""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from articles.signals import Change, content_changed
from articles.workflow import schedule
from pagecache.purge import tags_of
from tests.factories import make_article, make_author, make_section
from tests.pagecache.test_headers import public_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper():
    """Two articles, each with its own section, author and tag."""
    made = {}
    for name in ("a", "b"):
        article = make_article(section=make_section(), authors=[make_author()])
        article.tags.add(Tag.objects.create(name=f"Thẻ {name}"))
        made[name] = article
    return made


def pages_of(paper) -> dict[str, str]:
    """Every kind of public page, by a name saying what it shows."""
    pages = {
        "home": "/",
        "feed": reverse("articles:feed"),
        "sitemap": reverse("sitemap"),
        "sitemap-news": reverse("sitemap-news"),
        "sitemap-articles": reverse("sitemap-section", args=["bai-viet"]),
        "robots": reverse("robots"),
    }
    for name, article in paper.items():
        section, author, tag = article.section, article.authors.get(), article.tags.get()
        pages |= {
            f"article {name}": article.get_absolute_url(),
            f"section {name}": section.get_absolute_url(),
            f"section {name} ?trang=1": f"{section.get_absolute_url()}?trang=1",
            f"section {name} feed": reverse("articles:section_feed", args=[section.slug]),
            f"author {name}": author.get_absolute_url(),
            f"author {name} feed": reverse("articles:author_feed", args=[author.slug]),
            f"tag {name}": tag.get_absolute_url(),
            f"tag {name} feed": reverse("articles:tag_feed", args=[tag.slug]),
        }
    return pages


def retired_by(client, paper, change: Change) -> set[str]:
    """The pages rendered again after ``change`` is announced."""
    pages = pages_of(paper)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = {name: client.get(url) for name, url in pages.items()}
    assert {name for name, response in first.items() if response.status_code != 200} == set()
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        content_changed.send(sender=Article, change=change)
        again = {name: client.get(url) for name, url in pages.items()}
    return {name for name in pages if again[name]["Last-Modified"] != first[name]["Last-Modified"]}


def test_an_article_retires_its_own_page_only(client, paper):
    assert retired_by(client, paper, Change(articles={paper["a"].pk})) == {"article a"}


def test_a_change_below_an_article_retires_its_page_only(client, paper):
    assert retired_by(client, paper, Change(article_pages={paper["a"].pk})) == {"article a"}


def test_a_section_retires_its_pages_and_feed(client, paper):
    change = Change(sections={paper["a"].section_id})
    assert retired_by(client, paper, change) == {
        "section a",
        "section a ?trang=1",
        "section a feed",
    }


def test_an_author_retires_their_page_and_feed(client, paper):
    change = Change(authors={paper["a"].authors.get().pk})
    assert retired_by(client, paper, change) == {"author a", "author a feed"}


def test_a_tag_retires_its_page_and_feed(client, paper):
    change = Change(tags={paper["a"].tags.get().pk})
    assert retired_by(client, paper, change) == {"tag a", "tag a feed"}


def test_the_listings_retire_home_the_site_feed_and_the_sitemaps(client, paper):
    assert retired_by(client, paper, Change(listings=True)) == {
        "home",
        "feed",
        "sitemap",
        "sitemap-news",
        "sitemap-articles",
    }


def test_everywhere_retires_every_page(client, paper):
    assert retired_by(client, paper, Change(everywhere=True)) == set(pages_of(paper))


def test_what_a_published_article_shows_on_is_retired_and_nothing_else(client, paper):
    a = paper["a"]
    change = Change(
        articles={a.pk},
        sections={a.section_id},
        authors={a.authors.get().pk},
        tags={a.tags.get().pk},
        listings=True,
    )
    retired = retired_by(client, paper, change)
    assert not {name for name in retired if name.endswith(" b") or " b " in name}
    assert {"article a", "section a", "author a", "tag a", "home"} <= retired


def test_the_slugs_of_every_list_cost_one_query(paper, django_assert_num_queries):
    a, b = paper["a"], paper["b"]
    change = Change(
        sections={a.section_id, b.section_id},
        authors={a.authors.get().pk},
        tags={b.tags.get().pk},
    )
    with django_assert_num_queries(1):
        tags = tags_of(change)
    assert tags == {
        f"sections:{a.section.slug}",
        f"sections:{b.section.slug}",
        f"authors:{a.authors.get().slug}",
        f"tags:{b.tags.get().slug}",
    }


def test_everywhere_needs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert tags_of(Change(everywhere=True, sections={1})) == {"everywhere"}


def test_an_article_scheduled_after_its_pages_were_kept_still_appears_on_time(
    client, django_capture_on_commit_callbacks
):
    section = make_section()
    make_article(section=section, title="Bài đã đăng từ trước")
    draft = make_article(section=section, title="Bài hẹn giờ đăng sau nửa phút", status="draft")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert draft.title not in client.get("/").text  # kept for a minute
        assert draft.title not in client.get(section.get_absolute_url()).text
        with django_capture_on_commit_callbacks(execute=True):
            schedule(article=draft, by=None, at=start + timedelta(seconds=30))
        assert "max-age=30" in client.get("/")["Cache-Control"]

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert draft.title in client.get("/").text
        assert draft.title in client.get(section.get_absolute_url()).text


def test_every_public_page_but_robots_names_what_it_shows():
    untagged = {name for name, view in public_patterns() if not view.page_tags}
    assert untagged == {"robots"}  # the same text whatever the content
