"""Tags: the model, the admin's autocomplete, tag pages, and related articles by tag."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import RESERVED_SLUGS, Article, Section, Tag
from tests.articles.test_admin import ADD_URL, article_post_data
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT


def tagged(*tags, **kw):
    article = make_article(**kw)
    article.tags.add(*tags)
    return article


# The model


def test_tag_slug_is_made_without_accents_and_kept_unique():
    first = Tag.objects.create(name="Đồng Tháp Mười")
    second = Tag.objects.create(name="Đồng-Tháp Mười")

    assert first.slug == "dong-thap-muoi"
    assert second.slug == "dong-thap-muoi-2"
    assert str(first) == "Đồng Tháp Mười"
    assert first.get_absolute_url() == "/the/dong-thap-muoi/"


def test_tag_pages_take_a_reserved_first_segment():
    assert "the" in RESERVED_SLUGS


# Admin


def test_journalist_tags_an_article_with_the_autocomplete(client, journalist):
    tag = Tag.objects.create(name="Mùa nước nổi")
    client.force_login(journalist)

    form = client.get(ADD_URL).content.decode()
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "nuoc"},
    )
    found_accented = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "article", "field_name": "tags", "term": "nước"},
    )
    response = client.post(
        ADD_URL,
        {
            **article_post_data(
                section=make_section(), title="Cá linh về sớm", authors=[make_author()]
            ),
            "tags": [tag.pk],
        },
    )

    assert 'name="tags"' in form and "admin-autocomplete" in form
    assert [r["text"] for r in found_accented.json()["results"]] == ["Mùa nước nổi"]
    # The slug is searched too, so a tag is found typed without accents.
    assert [r["text"] for r in found.json()["results"]] == ["Mùa nước nổi"]
    assert response.status_code == 302
    assert list(Article.objects.get().tags.all()) == [tag]


def test_journalist_may_add_tags_but_not_delete_them(client, journalist):
    client.force_login(journalist)

    assert client.get(reverse("admin:articles_tag_add")).status_code == 200
    tag = Tag.objects.create(name="Sen")
    assert client.get(reverse("admin:articles_tag_delete", args=[tag.pk])).status_code == 403


# Tag pages


def test_tag_page_lists_published_tagged_articles_newest_first(client):
    tag = Tag.objects.create(name="Sen Tháp Mười")
    now = timezone.now()
    older = tagged(tag, title="Sen nở rộ", published_at=now - timedelta(hours=2))
    newer = tagged(tag, title="Trà sen", published_at=now - timedelta(hours=1))
    tagged(tag, title="Bản nháp về sen", status=DRAFT)
    tagged(tag, title="Sen hẹn giờ", published_at=now + timedelta(days=1))
    make_article(title="Không gắn thẻ")

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    html = response.content.decode()
    assert "<h1>Sen Tháp Mười</h1>" in html
    assert "Bản nháp về sen" not in html
    assert "Sen hẹn giờ" not in html
    assert reverse("articles:tag_feed", kwargs={"slug": tag.slug}) in html


def test_tag_page_is_paginated_and_unknown_tags_are_404(client):
    tag = Tag.objects.create(name="Giao thông")
    for _ in range(23):
        tagged(tag)

    assert len(client.get(tag.get_absolute_url(), {"trang": 2}).context["articles"]) == 3
    assert client.get(tag.get_absolute_url(), {"trang": 9}).status_code == 404
    assert client.get("/the/khong-co/").status_code == 404


def test_tag_page_query_budget(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0
    tag = Tag.objects.create(name="Giáo dục")
    for _ in range(25):
        tagged(tag)

    with django_assert_max_num_queries(4):  # tag, count, page, menu
        assert client.get(tag.get_absolute_url()).status_code == 200


# On the article page


def test_article_page_links_its_tags(client):
    rice, flood = Tag.objects.create(name="Lúa gạo"), Tag.objects.create(name="Lũ")
    article = tagged(flood, rice)

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'<a href="{flood.get_absolute_url()}">Lũ</a>' in html
    assert f'<a href="{rice.get_absolute_url()}">Lúa gạo</a>' in html


def test_related_articles_share_tags_first_then_the_section(client):
    now = timezone.now()
    section, elsewhere = make_section(), make_section()
    flood, rice, fish = (Tag.objects.create(name=n) for n in ("Lũ", "Lúa", "Cá"))
    article = tagged(flood, rice, section=section)
    two_tags = tagged(flood, rice, section=elsewhere, published_at=now - timedelta(days=30))
    one_tag = tagged(fish, flood, section=elsewhere, published_at=now - timedelta(days=20))
    same_section = make_article(section=section, published_at=now - timedelta(minutes=5))
    make_article(section=elsewhere, title="Không liên quan")
    tagged(flood, rice, status=DRAFT, title="Nháp cùng thẻ")
    tagged(fish, title="Thẻ khác")

    related = list(client.get(article.get_absolute_url()).context["related"])

    assert related == [two_tags, one_tag, same_section]


def test_related_without_tags_is_the_same_section_newest_first(client):
    section = make_section()
    article = make_article(section=section)
    neighbour = make_article(section=section)
    make_article()

    assert list(client.get(article.get_absolute_url()).context["related"]) == [neighbour]


@pytest.mark.parametrize("n", [3, 30])
def test_article_page_with_tags_keeps_its_query_budget(
    client, django_assert_max_num_queries, settings, n
):
    settings.PAGE_CACHE_SECONDS = 0
    section = make_section()
    Section.objects.cached_menu()  # shared by every page: cached on a live site
    tags = [Tag.objects.create(name=f"Thẻ {i}") for i in range(n)]
    article = tagged(*tags, section=section, authors=[make_author() for _ in range(3)])
    for i in range(n):
        tagged(tags[i], section=make_section())
        make_article(section=section)

    # Its corrections among them: one query, whatever their number.
    with django_assert_max_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["article"].tag_links) == n
