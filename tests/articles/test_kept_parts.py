"""Parts of reader pages rendered once and kept (articles/fragments.py): what a
page the page cache lacks costs once they are kept, and each part showing the
change at once on the next render after a change readers can see."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Correction, Section, Tag
from articles.services import save_article
from deploy.cluster import free_port
from tests.factories import make_article, make_author, make_section
from tests.portal.test_cache_down import redis_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    """Every request renders its page: what is measured is the miss."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def saved(django_capture_on_commit_callbacks):
    """``saved(article, related=None, **fields)``: the newsroom's save, its commit's
    work (the announcement) done, as after a real save."""

    def save(article, related=None, **fields):
        for name, value in fields.items():
            setattr(article, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            save_article(article=article, by=None, related=related)
        return article

    return save


@pytest.fixture
def story():
    section = make_section(name="Nông nghiệp")
    author = make_author(name="Trần Văn Lộc")
    article = make_article(
        section=section,
        authors=[author],
        title="Nông dân Tháp Mười thu hoạch lúa sớm",
        body="<p>Vụ lúa hè thu năm nay trúng mùa.</p>",
        location="Tháp Mười",
    )
    neighbour = make_article(section=section, title="Giá lúa tăng nhẹ đầu vụ")
    return article, neighbour


def page(article) -> str:
    response = Client().get(article.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_a_kept_article_page_costs_one_query(story, django_assert_max_num_queries):
    article, _ = story
    page(article)  # renders and keeps its parts, the menu and the comment list

    with django_assert_max_num_queries(1):
        text = page(article)
    assert "Vụ lúa hè thu năm nay trúng mùa." in text
    assert "Trần Văn Lộc</a> – Tháp Mười" in text
    assert "Giá lúa tăng nhẹ đầu vụ" in text  # Tin liên quan
    assert '<link rel="canonical" href="http://testserver' in text
    assert '"@type":"NewsArticle"' in text


def test_kept_home_and_section_pages_keep_their_budgets(story, django_assert_max_num_queries):
    article, _ = story
    for url in ("/", article.section.get_absolute_url()):
        Client().get(url)
    with django_assert_max_num_queries(0):  # its lists, the menu, the most-read lists: kept
        home = Client().get("/").text
    # The section comes with the kept menu: the count and the page of articles.
    with django_assert_max_num_queries(2):
        section = Client().get(article.section.get_absolute_url()).text
    for text in (home, section):
        assert "Nông dân Tháp Mười thu hoạch lúa sớm" in text


def test_a_newly_published_article_is_on_the_kept_home_at_once(story):
    Client().get("/")
    make_article(title="Cầu Cao Lãnh thông xe sớm hai tháng")  # announced after its commit
    assert "Cầu Cao Lãnh thông xe sớm hai tháng" in Client().get("/").text


def test_a_scheduled_article_is_on_the_kept_home_on_time(story):
    soon = timezone.now() + timedelta(minutes=10)
    Client().get("/")  # the lists kept, with no publication ahead
    make_article(title="Khai mạc Lễ hội Sen Đồng Tháp", published_at=soon)
    assert "Khai mạc Lễ hội Sen Đồng Tháp" not in Client().get("/").text  # kept again
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert "Khai mạc Lễ hội Sen Đồng Tháp" in Client().get("/").text


def test_a_retitled_article_shows_its_new_title_everywhere_at_once(story, saved):
    article, neighbour = story
    for url in (article.get_absolute_url(), neighbour.get_absolute_url(), "/"):
        Client().get(url)

    saved(article, title="Nông dân Tháp Mười thu hoạch lúa sớm nhờ nước về muộn")

    new = "Nông dân Tháp Mười thu hoạch lúa sớm nhờ nước về muộn"
    assert f'<h1 class="article-title">{new}</h1>' in page(article)
    assert new in page(neighbour)  # its related list
    assert new in Client().get("/").text  # its card
    assert new in Client().get(article.section.get_absolute_url()).text


def test_an_edited_body_shows_on_the_next_render(story, saved):
    article, _ = story
    page(article)
    saved(article, body="<p>Vụ lúa hè thu năm nay trúng mùa, giá cao.</p>")
    assert "Vụ lúa hè thu năm nay trúng mùa, giá cao." in page(article)


def test_a_correction_shows_on_the_next_render(story, saved):
    article, _ = story
    page(article)

    def correct():
        Correction.objects.create(article=article, text="Diện tích là 500 ha, không phải 50 ha.")

    saved(article, related=correct)
    text = page(article)
    assert "Diện tích là 500 ha, không phải 50 ha." in text
    assert "Cập nhật lúc" in text


def test_an_unpublished_article_is_gone_at_once_and_leaves_the_related_lists(
    story, django_capture_on_commit_callbacks
):
    article, neighbour = story
    page(article), page(neighbour)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(article=Article.objects.get(pk=article.pk), by=None)

    assert Client().get(article.get_absolute_url()).status_code == 410
    assert "Nông dân Tháp Mười thu hoạch lúa sớm" not in page(neighbour)


def test_a_newly_published_article_joins_the_related_list(story):
    article, _ = story
    page(article)
    make_article(section=article.section, title="Hợp tác xã mua lúa tươi tại ruộng")
    assert "Hợp tác xã mua lúa tươi tại ruộng" in page(article)


def test_a_renamed_author_shows_in_the_byline(story, django_capture_on_commit_callbacks):
    article, _ = story
    page(article)
    author = article.bylines.get().author
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Trần Văn Lộc (Phóng viên)"
        author.save()
    text = page(article)
    assert "Trần Văn Lộc (Phóng viên)</a> – Tháp Mười" in text
    assert '"name":"Trần Văn Lộc (Phóng viên)"' in text  # JSON-LD


def test_a_renamed_tag_shows_under_the_article(story, django_capture_on_commit_callbacks):
    article, _ = story
    tag = Tag.objects.create(name="Lúa hè thu")
    article.tags.add(tag)
    page(article)
    with django_capture_on_commit_callbacks(execute=True):
        tag.name = "Lúa hè thu 2026"
        tag.save()
    assert ">Lúa hè thu 2026</a>" in page(article)


def test_a_renamed_section_shows_in_the_article_and_the_menu(
    story, django_capture_on_commit_callbacks
):
    article, _ = story
    page(article)
    with django_capture_on_commit_callbacks(execute=True):
        section = Section.objects.get(pk=article.section_id)
        section.name = "Nông nghiệp – Nông thôn"
        section.save()
    text = page(Article.objects.get(pk=article.pk))
    assert text.count("Nông nghiệp – Nông thôn") >= 3  # the menu, the footer, the article
    assert '<p class="article-section"><a href="/nong-nghiep/">Nông nghiệp – Nông thôn</a>' in text


def test_a_kept_part_of_an_older_version_is_not_shown(story):
    """Even should its retirement be missed, a part is checked against the row."""
    article, _ = story
    page(article)
    # Written around the service and its announcement, as a lost signal would leave it.
    Article.objects.filter(pk=article.pk).update(
        body="<p>Bản đã sửa.</p>", version=article.version + 1
    )
    assert "Bản đã sửa." in page(article)


def test_with_the_cache_down_the_article_page_renders_whole(story, settings):
    article, neighbour = story
    settings.CACHES = redis_at(free_port())  # Redis refused: every call a miss
    cache.close()
    for _ in range(2):
        text = page(article)
        assert "Vụ lúa hè thu năm nay trúng mùa." in text
        assert "Trần Văn Lộc</a> – Tháp Mười" in text
        assert neighbour.title in text
        assert "Nông nghiệp" in text  # the menu, from the database
    assert "Nông dân Tháp Mười thu hoạch lúa sớm" in Client().get("/").text


def test_a_staff_preview_shows_the_draft_not_the_kept_article(story, saved, editor):
    article, _ = story
    page(article)
    staff = Client()
    staff.force_login(editor)
    draft = make_article(title="Bài nháp về mùa nước nổi", status=Article.Status.DRAFT)
    text = staff.get(reverse("articles:preview", args=[draft.pk])).text
    assert '<h1 class="article-title">Bài nháp về mùa nước nổi</h1>' in text
    assert "Bản xem trước" in text


def test_kept_in_redis_as_in_production(story, saved, settings, redis_url):
    """The parts go through Redis (pickled) and a save still shows at once."""
    article, _ = story
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"test-kept-{uuid.uuid4().hex}",
        }
    }
    try:
        page(article)
        assert "Trần Văn Lộc</a> – Tháp Mười" in page(article)
        saved(article, title="Lúa sớm Tháp Mười được giá")
        assert '<h1 class="article-title">Lúa sớm Tháp Mười được giá</h1>' in page(article)
    finally:
        cache.clear()


def test_a_section_page_shows_its_new_description_at_once(
    story, django_capture_on_commit_callbacks
):
    article, _ = story
    url = article.section.get_absolute_url()
    Client().get(url)
    with django_capture_on_commit_callbacks(execute=True):
        section = Section.objects.get(pk=article.section_id)
        section.description = "Tin nhà nông, giá lúa và thời tiết mùa vụ."
        section.save()
    assert "Tin nhà nông, giá lúa và thời tiết mùa vụ." in Client().get(url).text
