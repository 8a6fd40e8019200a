"""The stored search data is the same whichever path computes it: an article's
save, ``manage.py rebuild_search`` and seed_bench's bulk load (articles/search.py)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from articles.search import STORED_TEXT_FIELDS, search_fields, stored_search_vector
from tests.factories import make_article

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the full-text vector: PostgreSQL"
)
COLUMNS = (*STORED_TEXT_FIELDS, "search_vector")


def stored(article) -> dict:
    names = COLUMNS if connection.vendor == "postgresql" else STORED_TEXT_FIELDS
    return Article.objects.filter(pk=article.pk).values(*names).get()


def forget(article) -> None:
    Article.objects.filter(pk=article.pk).update(
        search_title="", search_text="", search_vector=None
    )


def rebuild() -> None:
    call_command("rebuild_search", stdout=io.StringIO())


def test_rebuild_search_stores_what_a_save_stores():
    article = make_article(
        title="Đồng Tháp: mùa nước nổi về sớm",
        sapo="Bà con Tháp Mười chuẩn bị ghe xuồng.",
        body="<p>Nước lên <b>nhanh</b> ở Hồng Ngự &amp; Tân Hồng.</p><p>Cá linh đã về.</p>",
    )
    saved = stored(article)
    assert saved["search_title"] == "dong thap: mua nuoc noi ve som"
    forget(article)

    rebuild()

    assert stored(article) == saved


@on_postgres
def test_a_bulk_load_computes_the_vector_a_save_stores():
    article = make_article(sapo="Lúa Hè Thu trúng mùa.", body="<p>Giá lúa tăng.</p>")
    saved = stored(article)
    Article.objects.filter(pk=article.pk).update(search_vector=None)

    Article.objects.filter(pk=article.pk).update(search_vector=stored_search_vector())

    assert stored(article) == saved


@on_postgres
def test_the_vector_weighs_title_a_sapo_b_body_c():
    article = make_article(title="Sen", sapo="Lúa", body="<p>Xoài</p>")

    assert stored(article)["search_vector"] == "'lua':2B 'sen':1A 'xoai':3C"


@on_postgres
def test_a_title_folded_past_its_column_is_indexed_alike_by_every_path():
    # "…" folds to three dots: the folded title outgrows the 300 characters kept.
    title = "Lũ… " * 74 + "Mười"
    folded_title = search_fields(title, "", "", postgres=False)["search_title"]
    assert len(title) == 300 and len(folded_title) == 300 and "muoi" not in folded_title
    article = make_article(title=title)
    saved = stored(article)
    forget(article)

    rebuild()

    assert stored(article) == saved
