"""The section menu as every page reads it: plain MenuEntry values from the cache."""

import pytest
from django.core.cache import cache

from articles.models import MENU_CACHE_KEY, Article, MenuEntry, Section
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_the_menu_is_kept_as_plain_values_with_each_address(django_assert_num_queries):
    section = make_section(name="Đồng bằng", description="Tin vùng châu thổ")
    make_section(name="Ẩn", in_menu=False)

    with django_assert_num_queries(1):
        assert Section.objects.cached_menu() == [
            MenuEntry(section.pk, "Đồng bằng", section.slug, "Tin vùng châu thổ", "/dong-bang/")
        ]
    with django_assert_num_queries(0):
        assert Section.objects.cached_menu() == cache.get(MENU_CACHE_KEY)


def test_an_entry_makes_the_section_a_page_or_a_query_needs(django_assert_num_queries):
    article = make_article()
    entry = Section.objects.cached_menu()[0]

    with django_assert_num_queries(0):
        section = entry.section()
        assert (section.pk, section.name, section.get_absolute_url()) == (
            entry.pk,
            entry.name,
            entry.url,
        )
    assert list(Article.objects.filter(section=section)) == [article]
