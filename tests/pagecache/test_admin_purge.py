"""What an editor's save in the admin retires from the page cache, end to end.

The editor works in a browser: the article form is read from the page and sent
back with its CSRF token. A reader's cached page that shows nothing of the save
stays cached (the next request costs no query); the pages showing a newly
published article show it at once.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.factories import make_article, make_author, make_section, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
SAVE = "Lưu"


def when(moment) -> dict:
    local = timezone.localtime(moment)
    return {"published_at_0": f"{local:%Y-%m-%d}", "published_at_1": f"{local:%H:%M:%S}"}


@pytest.fixture
def browser(editor):
    return staff_browser(editor)


@pytest.fixture
def paper():
    section, author = make_section(name="Nông nghiệp"), make_author(name="Thanh Tâm")
    tag = Tag.objects.create(name="Mùa nước nổi")
    shown = make_article(section=section, authors=[author], title="Bài B đã đăng từ hôm qua")
    shown.tags.add(tag)
    draft = make_article(
        section=section, authors=[author], title="Bài A đang viết dở", status="draft"
    )
    return {"section": section, "author": author, "tag": tag, "shown": shown, "draft": draft}


def reader_pages(paper) -> list[str]:
    return [
        "/",
        paper["section"].get_absolute_url(),
        paper["author"].get_absolute_url(),
        paper["tag"].get_absolute_url(),
        paper["shown"].get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:section_feed", args=[paper["section"].slug]),
        reverse("sitemap"),
    ]


def save_in_admin(browser, url, django_capture_on_commit_callbacks, **changes):
    page = browser.get(url)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(url, read(page).form_data("article_form", press=SAVE, **changes))
    assert response.status_code == 302, response.context and response.context["errors"]


def test_a_draft_saved_leaves_every_cached_page_cached(
    client, browser, paper, django_assert_num_queries, django_capture_on_commit_callbacks
):
    for url in reader_pages(paper):
        assert client.get(url).status_code == 200

    draft_url = reverse("admin:articles_article_change", args=[paper["draft"].pk])
    save_in_admin(
        browser, draft_url, django_capture_on_commit_callbacks, title="Bài A viết thêm đoạn"
    )
    save_in_admin(
        browser,
        ADD_URL,
        django_capture_on_commit_callbacks,
        section=str(paper["section"].pk),
        title="Bài C mới mở",
        sapo="Một bản nháp mới.",
        body="<p>Nội dung.</p>",
        status="draft",
        **{"bylines-0-author": str(paper["author"].pk), "bylines-0-position": "0"},
        **when(timezone.now()),
    )
    assert Article.objects.filter(title="Bài C mới mở", status="draft").exists()

    with django_assert_num_queries(0):
        for url in reader_pages(paper):
            response = client.get(url)
            assert response.status_code == 200
            assert "Bài A" not in response.text and "Bài C" not in response.text


def test_a_scheduled_article_edited_before_its_time_leaves_every_cached_page_cached(
    client, browser, paper, django_assert_num_queries, django_capture_on_commit_callbacks
):
    draft = paper["draft"]
    draft.status, draft.published_at = draft.Status.PUBLISHED, timezone.now() + timedelta(days=1)
    draft.save()
    for url in reader_pages(paper):
        client.get(url)

    url = reverse("admin:articles_article_change", args=[draft.pk])
    save_in_admin(browser, url, django_capture_on_commit_callbacks, sapo="Sửa trước giờ đăng.")

    with django_assert_num_queries(0):
        for url in reader_pages(paper):
            assert client.get(url).status_code == 200


def test_publishing_a_refreshes_its_section_and_home_and_leaves_b_cached(
    client, browser, paper, django_assert_num_queries, django_capture_on_commit_callbacks
):
    section, shown, draft = paper["section"], paper["shown"], paper["draft"]
    for url in ("/", section.get_absolute_url(), shown.get_absolute_url()):
        assert draft.title not in client.get(url).text
    assert client.get(draft.get_absolute_url()).status_code == 404

    url = reverse("admin:articles_article_change", args=[draft.pk])
    save_in_admin(
        browser,
        url,
        django_capture_on_commit_callbacks,
        _workflow="publish",
        **when(timezone.now() - timedelta(minutes=1)),
    )

    with django_assert_num_queries(0):
        assert client.get(shown.get_absolute_url()).status_code == 200  # B: untouched
    assert draft.title in client.get("/").text
    assert draft.title in client.get(section.get_absolute_url()).text
    assert draft.title in client.get(paper["author"].get_absolute_url()).text
    assert client.get(draft.get_absolute_url()).status_code == 200
