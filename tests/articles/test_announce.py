"""Sections, authors, tags and deleted articles announce what readers see changed.

A change announces the pages that show it (``articles.signals.Change``), after
the commit; a change no reader can see announces nothing.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles import models
from articles.models import MENU_CACHE_KEY, Article, Section, Tag
from articles.signals import Change
from tests.factories import make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db


def pages_of(*articles) -> Change:
    """What readers see of these public articles: their pages and every list of them."""
    ids = [a.pk for a in articles]
    return Change(
        articles=frozenset(ids),
        sections=frozenset(a.section_id for a in articles),
        authors=frozenset(
            models.Byline.objects.filter(article__in=ids).values_list("author", flat=True)
        ),
        tags=frozenset(
            Article.tags.through.objects.filter(article__in=ids).values_list("tag", flat=True)
        ),
        listings=True,
    )


# Sections: the menu is on every page


def test_a_renamed_section_announces_every_page(committed):
    section = make_section(name="Thời sự")
    cache.set(MENU_CACHE_KEY, ["cũ"])
    with committed() as announced:
        section.name = "Thời sự – Chính trị"
        section.save()
    assert announced == [Change(sections=frozenset({section.pk}), everywhere=True)]
    assert cache.get(MENU_CACHE_KEY) is None


def test_a_section_saved_unchanged_announces_nothing(committed):
    section = make_section(name="Thời sự")
    with committed() as announced:
        Section.objects.get(pk=section.pk).save()
    assert announced == []


def test_a_new_section_announces_only_if_the_menu_shows_it(committed):
    with committed() as announced:
        hidden = Section.objects.create(name="Lưu trữ", in_menu=False)
    assert announced == []
    with committed() as announced:
        shown = Section.objects.create(name="Du lịch", position=9)
    assert announced == [Change(sections=frozenset({shown.pk}), everywhere=True)]
    assert hidden.pk != shown.pk


# Authors and tags: only where a public article names them


def test_an_author_without_a_public_article_renamed_announces_nothing(committed):
    author = make_author(name="Lê Thu Hà")
    make_article(authors=[author], status=Article.Status.DRAFT)
    with committed() as announced:
        author.name = "Lê Thị Thu Hà"
        author.save()
    assert announced == []


def test_an_author_renamed_announces_the_pages_of_their_public_articles(committed):
    author = make_author(name="Lê Thu Hà")
    signed = make_article(authors=[author, make_author()])
    make_article(authors=[author], status=Article.Status.DRAFT)
    make_article()  # someone else's
    with committed() as announced:
        author.name = "Lê Thị Thu Hà"
        author.save()
    assert announced == [pages_of(signed)]


def test_an_author_change_readers_do_not_see_announces_nothing(committed):
    author = make_author()
    make_article(authors=[author])
    with committed() as announced:
        author.user = make_staff("phongvien2")
        author.save()
    assert announced == []


def test_a_renamed_tag_announces_the_pages_of_its_public_articles(committed):
    tag = Tag.objects.create(name="Mùa nước nổi")
    tagged, untagged = make_article(), make_article()
    tagged.tags.add(tag)
    untagged.tags.add(Tag.objects.create(name="Xoài"))
    with committed() as announced:
        tag.name = "Mùa lũ"
        tag.save()
    assert announced == [pages_of(tagged)]


def test_a_tag_only_drafts_carry_announces_nothing(committed):
    tag = Tag.objects.create(name="Mùa nước nổi")
    make_article(status=Article.Status.DRAFT).tags.add(tag)
    with committed() as announced:
        tag.name = "Mùa lũ"
        tag.save()
    assert announced == []


def test_past_the_bound_an_author_change_announces_every_page(committed, monkeypatch):
    monkeypatch.setattr(models, "NAMED_ARTICLES_MAX", 2)
    author = make_author()
    for _ in range(3):
        make_article(authors=[author])
    with committed() as announced:
        author.bio = "Phóng viên thường trú Tháp Mười."
        author.save()
    assert announced == [Change(everywhere=True)]


# Deleted articles


def test_deleting_a_public_article_announces_what_showed_it(committed):
    article, draft = make_article(), make_article(status=Article.Status.DRAFT)
    gone = pages_of(article)
    with committed() as announced:
        draft.delete()
        article.delete()
    assert announced == [gone]


def test_deleting_selected_articles_in_the_admin_announces_them(committed, editor):
    kept, first, second = make_article(), make_article(), make_article()
    gone = pages_of(first, second)
    client = Client()
    client.force_login(editor)

    with committed() as announced:
        response = client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert list(Article.objects.all()) == [kept]
    assert announced == [gone]
