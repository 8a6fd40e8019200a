"""What an editor's save in the admin retires from the page cache, end to end.

The editor works in a browser: the article form is read from the page and sent
back with its CSRF token. A reader's cached page that shows nothing of the save
stays cached (the next request costs no query); the pages showing a newly
published article show it at once.
"""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag
from tests.factories import make_article, make_author, make_section, staff_browser

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


class FormFields(HTMLParser):
    """What a browser sends for the form with ``id``: its named fields as they stand."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.append((attrs["name"], attrs.get("value") or default))
        elif tag == "select":
            self.select = [attrs["name"], "multiple" in attrs, None, []]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select[2] is None:
                self.select[2] = value  # a single select without a choice sends its first
            if "selected" in attrs:
                self.select[3].append(value)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            name, multiple, first, chosen = self.select
            if not chosen and not multiple and first is not None:
                chosen = [first]
            self.fields += [(name, value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_data(page, **changes) -> dict:
    """The article form of ``page`` as the editor sends it, with ``changes`` typed in."""
    reader = FormFields("article_form")
    reader.feed(page.text)
    data = {}
    for name, value in reader.fields:
        if "__prefix__" not in name:
            data.setdefault(name, []).append(value)
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Lưu lại"]
    return data


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
        response = browser.post(url, form_data(page, **changes))
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
