"""Search: accent- and case-insensitive both ways, ranked, paginated, highlighted.

Runs on SQLite and on PostgreSQL (CI); the near-miss fallback is PostgreSQL's only.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search as search_module
from articles.models import Article, SearchWord
from articles.search import highlight, query_terms, search_articles, snippet
from articles.services import save_article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def found(query):
    return list(search_articles(query).articles)


def search(client, q, **params):
    return client.get(SEARCH, {"q": q, **params})


# Vietnamese with and without accents, both ways


def test_unaccented_query_finds_accented_text():
    article = make_article(title="Nâng cao hiệu quả công tác Dân vận ở cơ sở")
    make_article(title="Giá lúa tăng nhẹ")

    assert found("dan van") == [article]


def test_accented_query_finds_text_typed_without_accents():
    article = make_article(title="Hoi nghi tong ket cong tac dan van nam 2024")

    assert found("Dân Vận") == [article]


def test_d_with_stroke_folds_to_d():
    article = make_article(title="Khởi công tuyến đường tỉnh 845")

    assert found("duong") == [article]
    assert found("ĐƯỜNG") == [article]
    assert found("Duong Tinh") == [article]


def test_every_word_must_match_as_a_whole_word():
    both = make_article(title="Mùa nước nổi ở Đồng Tháp")
    make_article(title="Mùa lúa chín")

    assert found("mua nuoc") == [both]
    # Not a word of its own: no exact match (PostgreSQL may offer it as a near-miss).
    result = search_articles("nuo")
    assert result.near_misses or list(result.articles) == []


def test_sapo_and_body_are_searched_too():
    in_sapo = make_article(title="Tin một", sapo="Nông dân thu hoạch xoài cát Hòa Lộc.")
    in_body = make_article(title="Tin hai", body="<p>Vườn <strong>sầu riêng</strong> sai trái.</p>")

    assert found("xoai cat") == [in_sapo]
    assert found("sau rieng") == [in_body]


def test_title_ranks_above_sapo_above_body():
    now = timezone.now()
    # The body match is the newest: only the ranking can put it last.
    in_body = make_article(title="Tin chung", body="<p>Chuyện sen Tháp Mười.</p>", published_at=now)
    in_sapo = make_article(
        title="Tin khác",
        sapo="Mùa sen Tháp Mười đón khách.",
        published_at=now - timedelta(minutes=5),
    )
    in_title = make_article(title="Sen Tháp Mười nở rộ", published_at=now - timedelta(hours=2))

    assert found("sen thap muoi") == [in_title, in_sapo, in_body]


def test_unpublished_articles_are_never_found():
    make_article(title="Bản nháp về dân vận", status=Article.Status.DRAFT)
    make_article(title="Tin hẹn giờ về dân vận", published_at=timezone.now() + timedelta(days=1))

    assert found("dan van") == []


def test_search_data_follows_an_edited_title(django_capture_on_commit_callbacks):
    article = make_article(title="Lũ về sớm")
    article.title = "Hạn mặn kéo dài"
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=article, by=None)

    assert found("han man") == [article]
    assert found("lu ve som") == []


def test_save_with_update_fields_keeps_search_data(django_capture_on_commit_callbacks):
    article = make_article(title="Cầu Cao Lãnh thông xe")
    article.title = "Cầu Mỹ Thuận 2 thông xe"
    with django_capture_on_commit_callbacks(execute=True):
        save_article(article=article, by=None, update_fields=["title"])

    assert found("my thuan") == [article]


def test_rebuild_search_fills_rows_stored_without_search_data():
    article = make_article(title="Lễ hội Xoài Cao Lãnh")
    Article.objects.filter(pk=article.pk).update(
        search_title="", search_text="", search_vector=None
    )
    assert found("le hoi xoai") == []

    out = io.StringIO()
    call_command("rebuild_search", "--missing", stdout=out)

    assert "1 bài đã có dữ liệu tìm kiếm" in out.getvalue()

    assert found("le hoi xoai") == [article]
    if connection.vendor == "postgresql":  # the words a typo is corrected to
        assert SearchWord.objects.filter(word__in=["xoai", "cao", "lanh"]).count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity: PostgreSQL")
def test_near_misses_fall_back_to_similar_titles_on_postgresql():
    article = make_article(title="Đồng Tháp đón khách du lịch")

    make_article(title="Thắp sáng đường quê")

    result = search_articles("dong thapp")

    assert result.near_misses
    assert result.suggestion == "dong thap"
    assert list(result.articles) == [article]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity: PostgreSQL")
def test_near_miss_page_says_what_it_searched_for(client):
    make_article(title="Cá linh mùa nước nổi")

    html = search(client, "ca linhh").content.decode()

    assert "Không có bài nào chứa đúng “ca linhh”. Kết quả cho “ca linh”:" in html
    assert "<mark>Cá linh</mark> mùa nước nổi" in html


def test_a_word_far_from_every_known_word_finds_nothing():
    make_article(title="Đồng Tháp đón khách du lịch")

    result = search_articles("xyzzy")

    assert list(result.articles) == []


# Queries that answer a message, never an error


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "Hãy nhập từ khóa"),
        ("   ", "Hãy nhập từ khóa"),
        ("x" * 201, "Từ khóa quá dài"),
        ("!!! ??? ---", "Từ khóa cần có chữ hoặc số"),
    ],
    ids=["empty", "blank", "too-long", "junk"],
)
def test_empty_long_or_junk_queries_answer_a_message(client, q, message):
    make_article()

    response = search(client, q)

    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "q", ["' OR 1=1 --", "100%", "a_b", "dân & vận | !(x)", "<script>", "\\", ":*"]
)
def test_odd_characters_never_break_the_search(client, q):
    make_article(title="Dân vận khéo")

    assert search(client, q).status_code == 200


def test_no_results_says_so(client):
    make_article(title="Giá lúa tăng nhẹ")

    response = search(client, "tau ngam")

    assert "Không tìm thấy bài viết nào cho “tau ngam”" in response.content.decode()


def test_two_hundred_characters_are_still_a_query():
    assert search_articles("a " * 99 + "ab").message == ""


def test_the_boxes_take_the_length_the_search_accepts(client, monkeypatch):
    monkeypatch.setattr(search_module, "MAX_QUERY_LENGTH", 12)

    # The header's box on every page, and the search page's own.
    assert 'name="q" maxlength="12"' in client.get("/").content.decode()
    page = search(client, "x" * 13).content.decode()
    assert page.count('maxlength="12"') == 2
    assert "hãy nhập tối đa 12 ký tự" in page
    assert search_articles("x" * 12).message == ""


# The page


def test_results_page_highlights_matched_words_with_and_without_accents(client):
    article = make_article(
        title="Công tác Dân vận ở Tháp Mười",
        body="<p>Cán bộ làm công tác dân vận đến từng nhà.</p>",
    )

    response = search(client, "dan van")

    html = response.content.decode()
    assert response.status_code == 200
    assert article.get_absolute_url() in html
    assert "Công tác <mark>Dân vận</mark> ở Tháp Mười" in html
    assert "công tác <mark>dân vận</mark> đến từng nhà" in html
    assert "1 kết quả cho “dan van”" in html
    assert 'name="q" value="dan van"' in html


def test_snippet_text_is_escaped(client):
    make_article(title="Mã độc", body="<p>Chuỗi &lt;script&gt;alert(1)&lt;/script&gt; mã độc.</p>")

    html = search(client, "ma doc").content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_results_are_paginated_and_pages_keep_the_query(client):
    for i in range(23):
        make_article(title=f"Phát triển du lịch sinh thái {i}")

    first = search(client, "du lich")
    second = search(client, "du lich", trang=2)

    assert len(first.context["articles"]) == 20
    assert len(second.context["articles"]) == 3
    assert "?q=du%20lich&amp;trang=2" in first.content.decode()
    assert search(client, "du lich", trang="abc").status_code == 200


def test_header_links_to_the_search(client):
    html = client.get("/").content.decode()

    assert f'action="{SEARCH}"' in html
    assert "Tìm kiếm" in html


def test_search_page_is_not_for_search_engines(client):
    assert 'content="noindex, follow"' in search(client, "lua").content.decode()


def test_search_page_query_count(client, django_assert_max_num_queries):
    for i in range(30):
        make_article(title=f"Nông thôn mới {i}")

    with django_assert_max_num_queries(5):  # menu, (exists), count, page
        response = search(client, "nong thon")
    assert response.status_code == 200


# Helpers


def test_query_terms_are_folded_distinct_and_capped():
    assert query_terms("Dân VẬN dân  vận, Đường!") == ["dan", "van", "duong"]
    assert len(query_terms(" ".join(f"tu{i}" for i in range(20)))) == 8


def test_highlight_marks_accented_words_and_escapes_the_rest():
    assert highlight("<b> Đường Đồng Khởi", ["duong"]) == "&lt;b&gt; <mark>Đường</mark> Đồng Khởi"


def test_snippet_is_short_and_centred_on_the_first_match():
    text = "Mở đầu. " * 60 + "Đoạn giữa nói về sen Tháp Mười. " + "Kết thúc. " * 60

    html = snippet(text, ["sen"])

    assert html.startswith("… ")
    assert html.endswith(" …")
    assert "<mark>sen</mark> Tháp Mười" in html
    assert len(html) < 300
