from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

DRAFT = Article.Status.DRAFT


def url(article):
    return article.get_absolute_url()


# Home


def test_home_shows_published_articles_only(client):
    published = make_article(title="Lũ đầu mùa về sớm ở Hồng Ngự")
    make_article(title="Bản nháp chưa duyệt", status=DRAFT)
    make_article(title="Tin hẹn giờ ngày mai", published_at=timezone.now() + timedelta(days=1))

    response = client.get(reverse("articles:home"))

    html = response.content.decode()
    assert published.title in html
    assert url(published) in html
    assert "Bản nháp chưa duyệt" not in html
    assert "Tin hẹn giờ ngày mai" not in html


def test_scheduled_article_appears_when_its_time_comes(client):
    with time_machine.travel(datetime(2024, 7, 27, 1, 0, tzinfo=UTC), tick=False) as traveller:
        make_article(
            title="Khai mạc lễ hội trái cây", published_at=datetime(2024, 7, 27, 2, 0, tzinfo=UTC)
        )
        assert "Khai mạc lễ hội trái cây" not in client.get("/").content.decode()

        traveller.move_to(datetime(2024, 7, 27, 2, 0, 1, tzinfo=UTC))
        assert "Khai mạc lễ hội trái cây" in client.get("/").content.decode()


def test_home_top_story_prefers_the_newest_article_with_a_cover(client):
    now = timezone.now()
    with_cover = make_article(
        cover_image="covers/lua.jpg",
        cover_alt="Nông dân gặt lúa",
        published_at=now - timedelta(hours=2),
    )
    make_article(published_at=now - timedelta(hours=1))

    response = client.get("/")

    assert response.context["top_story"] == with_cover
    assert with_cover not in response.context["latest"]
    assert 'alt="Nông dân gặt lúa"' in response.content.decode()


def test_home_lists_the_newest_four_of_each_menu_section_not_shown_above(client):
    now = timezone.now()
    news, sport, hidden = (
        make_section(position=1),
        make_section(position=2),
        make_section(in_menu=False),
    )
    sport_article = make_article(section=sport, published_at=now - timedelta(minutes=30))
    news_articles = [
        make_article(section=news, published_at=now - timedelta(hours=h)) for h in range(1, 23)
    ]
    make_article(section=hidden, published_at=now - timedelta(days=30))
    make_article(section=news, status=DRAFT)

    context = client.get("/").context
    top = [context["top_story"], *context["featured_stories"], *context["latest"]]

    # The lead, Tiêu điểm and Tin mới take the newest 15; the sections, the rest.
    assert top == [sport_article, *news_articles[:14]]
    assert [(section, articles) for section, articles in context["section_blocks"]] == [
        (news, news_articles[14:18]),
    ]


# Header


def test_header_shows_the_paper_and_todays_long_date(client):
    section = make_section(name="Nông nghiệp")
    with time_machine.travel(datetime(2024, 7, 27, 8, 42, tzinfo=UTC), tick=False):
        response = client.get("/")

    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Báo Phù Sa" in html
    assert "Thứ Bảy, 27/07/2024 15:42 (GMT +7)" in html
    assert f'href="{section.get_absolute_url()}">Nông nghiệp</a>' in html
    assert 'href="#main"' in html


# Article page


@pytest.fixture
def story():
    return make_article(
        section=make_section(name="Thời sự tỉnh"),
        title="Đồng Tháp đón hơn 1.000 du khách dịp lễ hội sen",
        sapo="Lễ hội sen năm nay thu hút đông đảo du khách trong và ngoài tỉnh.",
        body="<p>Sáng 13/2, tại Tháp Mười…</p>",
        published_at=datetime(2024, 2, 13, 10, 38, 6, tzinfo=UTC),
        authors=[make_author(name="Tác Giả A"), make_author(name="Tác Giả B")],
        location="Cao Lãnh",
    )


def test_article_page_shows_the_story_top_to_bottom(client, story):
    response = client.get(url(story))

    assert response.status_code == 200
    html = response.content.decode()
    a, b = story.byline_authors()
    parts = [
        '<time class="dateline" datetime="2024-02-13T17:38:06+07:00">'
        "Thứ 3, 13/02/2024 | 17:38:06 [GMT +7]</time>",
        'aria-label="Giảm cỡ chữ"',
        'aria-label="Tăng cỡ chữ"',
        f'<p class="article-section"><a href="{story.section.get_absolute_url()}">Thời sự tỉnh</a>',
        '<h1 class="article-title">Đồng Tháp đón hơn 1.000 du khách dịp lễ hội sen</h1>',
        '<p class="sapo">Lễ hội sen năm nay thu hút đông đảo du khách trong và ngoài tỉnh.</p>',
        "<p>Sáng 13/2, tại Tháp Mười…</p>",
        f'<p class="byline"><a href="{a.get_absolute_url()}">Tác Giả A</a>, '
        f'<a href="{b.get_absolute_url()}">Tác Giả B</a> – Cao Lãnh</p>',
        # The comments block (comments/_article_block.html): heading, form, list.
        "Ý kiến (0)",
        "0 / 500 ký tự",
        "Chưa có ý kiến nào được đăng.",
    ]
    positions = [html.find(part) for part in parts]
    assert -1 not in positions, [p for p, i in zip(parts, positions, strict=True) if i < 0]
    assert positions == sorted(positions)


def test_font_size_buttons_are_hidden_until_the_script_runs(client, story):
    html = client.get(url(story)).content.decode()

    assert "data-font-size hidden" in html
    assert "js/font-size.js" in html
    assert "css/comments.css" in html


def test_article_cover_is_a_figure_with_alt_caption_and_credit(client):
    article = make_article(
        cover_image="covers/sen.jpg",
        cover_alt="Đầm sen Tháp Mười",
        cover_caption="Du khách tham quan đầm sen.",
        cover_credit="Hữu Nghĩa",
    )

    response = client.get(url(article))

    html = response.content.decode()
    assert 'alt="Đầm sen Tháp Mười"' in html
    assert "Du khách tham quan đầm sen." in html
    assert "Ảnh: Hữu Nghĩa" in html
    assert html.index("<figure") < html.index("Du khách tham quan")


def test_related_articles_come_from_the_same_section_only(client):
    section = make_section()
    article = make_article(section=section, title="Bài chính")
    neighbour = make_article(section=section, title="Cùng chuyên mục")
    make_article(section=section, title="Nháp cùng chuyên mục", status=DRAFT)
    make_article(title="Chuyên mục khác")

    response = client.get(url(article))

    assert list(response.context["related"]) == [neighbour]
    html = response.content.decode()
    assert "Tin liên quan" in html
    # Never a link to itself (the title also appears in the share-preview tags).
    assert f'<a href="{url(article)}"' not in html
    assert html.count(">Bài chính<") == 1  # the <h1>
    assert "Nháp cùng chuyên mục" not in html
    assert "Chuyên mục khác" not in html


def test_related_articles_are_at_most_five_newest(client):
    section = make_section()
    now = timezone.now()
    article = make_article(section=section)
    others = [
        make_article(section=section, published_at=now - timedelta(hours=h)) for h in range(2, 9)
    ]

    assert list(client.get(url(article)).context["related"]) == others[:5]


@pytest.mark.parametrize(
    "kw",
    [{"status": DRAFT}, {"published_at": datetime(2999, 1, 1, tzinfo=UTC)}],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_is_not_found(client, kw):
    article = make_article(**kw)

    response = client.get(url(article))

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_stale_slug_redirects_permanently_to_the_canonical_url(client, story):
    stale = reverse(
        "articles:detail", kwargs={"section": story.section.slug, "slug": "ten-cu", "pk": story.pk}
    )

    response = client.get(stale)

    assert response.status_code == 301
    assert response["Location"] == url(story)


def test_wrong_section_redirects_permanently_to_the_canonical_url(client, story):
    moved = reverse(
        "articles:detail", kwargs={"section": "the-thao", "slug": story.slug, "pk": story.pk}
    )

    response = client.get(moved)

    assert response.status_code == 301
    assert response["Location"] == url(story)


def test_unknown_article_id_is_not_found(client, story):
    response = client.get(
        reverse("articles:detail", kwargs={"section": "x", "slug": "y", "pk": story.pk + 1000})
    )

    assert response.status_code == 404


def test_article_html_is_the_same_for_every_anonymous_reader(story):
    with time_machine.travel(datetime(2024, 7, 27, 8, 42, tzinfo=UTC), tick=False):
        first = Client().get(url(story))
        second = Client(HTTP_COOKIE="sessionid=abc; csrftoken=x").get(url(story))

    assert first.content == second.content
    assert b"csrfmiddlewaretoken" not in first.content
    assert not first.cookies  # no CSRF cookie, no session
    assert "Cookie" not in first.get("Vary", "")


# Section and author pages


def test_section_page_is_paginated_by_twenty(client):
    section = make_section(name="Kinh tế")
    now = timezone.now()
    articles = [
        make_article(section=section, published_at=now - timedelta(minutes=m)) for m in range(1, 26)
    ]
    make_article(section=section, status=DRAFT, title="Nháp kinh tế")
    make_article(title="Tin chuyên mục khác")

    first = client.get(section.get_absolute_url())
    second = client.get(section.get_absolute_url(), {"trang": 2})

    assert list(first.context["articles"]) == articles[:20]
    assert list(second.context["articles"]) == articles[20:]
    first_html, second_html = first.content.decode(), second.content.decode()
    assert "<h1>Kinh tế</h1>" in first_html
    assert 'href="?trang=2">Trang sau</a>' in first_html
    assert "Trang trước" not in first_html
    assert f'href="{section.get_absolute_url()}">Trang trước</a>' in second_html
    assert "Trang sau" not in second_html
    assert "Nháp kinh tế" not in first_html + second_html
    assert "Tin chuyên mục khác" not in first_html + second_html


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1"])
def test_section_page_out_of_range_is_not_found(client, page):
    section = make_section()
    make_article(section=section)

    assert client.get(section.get_absolute_url(), {"trang": page}).status_code == 404


def test_unknown_section_is_not_found(client):
    response = client.get("/khong-co-chuyen-muc-nay/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_author_page_lists_their_published_articles(client):
    author = make_author(name="Ngọc Hân", bio="Phóng viên mảng nông nghiệp.")
    theirs = make_article(authors=[author, make_author()], title="Giá lúa tăng")
    make_article(authors=[author], status=DRAFT, title="Bài nháp của Hân")
    make_article(title="Bài của người khác")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert list(response.context["articles"]) == [theirs]
    html = response.content.decode()
    assert "<h1>Ngọc Hân</h1>" in html
    assert "Phóng viên mảng nông nghiệp." in html
    assert "Bài nháp của Hân" not in html
    assert "Bài của người khác" not in html
    assert client.get(author.get_absolute_url(), {"trang": 2}).status_code == 404
    assert client.get("/tac-gia/khong-ai/").status_code == 404


# Staff preview


@pytest.mark.parametrize("status", [DRAFT, Article.Status.PUBLISHED])
def test_staff_preview_a_draft_or_scheduled_article_uncached(client, journalist, status):
    article = make_article(
        title="Bài đang viết", status=status, published_at=timezone.now() + timedelta(days=1)
    )
    client.force_login(journalist)

    response = client.get(article.get_preview_url())

    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    assert "Bài đang viết" in response.content.decode()
    cache_control = response["Cache-Control"]
    for directive in ("no-cache", "no-store", "private"):
        assert directive in cache_control


def test_anonymous_preview_goes_to_the_admin_login(client):
    article = make_article(status=DRAFT)

    response = client.get(article.get_preview_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "no-store" in response["Cache-Control"]


def test_staff_without_article_permission_cannot_preview(client, moderator):
    article = make_article(status=DRAFT, title="Bài kín")
    client.force_login(moderator)

    response = client.get(article.get_preview_url())

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Query budgets: the same with 3 and with 30 authors, related articles or sections.
# These measure the views themselves, with the page cache off; a cache hit costs
# no query at all (tests/pagecache/test_middleware.py).


@pytest.fixture
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("n", [3, 30])
def test_article_page_query_budget(client, django_assert_max_num_queries, page_cache_off, n):
    section = make_section()
    article = make_article(section=section, authors=[make_author() for _ in range(n)])
    for _ in range(n):
        make_article(section=section)

    # Its corrections among them: one query, whatever their number.
    with django_assert_max_num_queries(5):
        response = client.get(url(article))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_home_query_budget(client, django_assert_max_num_queries, page_cache_off, n):
    for _ in range(n):
        section = make_section()
        for _ in range(5):
            make_article(section=section, cover_image="covers/x.jpg", cover_alt="Ảnh")

    with django_assert_max_num_queries(6):
        response = client.get("/")
    # Past the 15 stories on top, each section shows its newest left.
    assert len(response.context["section_blocks"]) == n - 15 // 5


@pytest.mark.parametrize("n", [3, 30])
def test_section_page_query_budget(client, django_assert_max_num_queries, page_cache_off, n):
    section = make_section()
    for _ in range(n):
        make_article(section=section)

    # The menu, the count, the page of articles, and when the kept page ends:
    # the next publication and pick end, remembered (articles/schedule.py).
    with django_assert_max_num_queries(5):
        response = client.get(section.get_absolute_url())
    assert len(response.context["articles"]) == min(n, 20)
