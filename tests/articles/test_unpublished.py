"""Nothing unpublished shows: every reader endpoint answers a draft, an article
in review, a scheduled or a taken-down article exactly as it answers an id
that no article has (a taken-down article's own page says 410, gone), and no
list, feed, sitemap or search names one."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.models import Article, ArticleView, Tag
from comments.models import Comment
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126 Mobile"
SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
NOW = datetime(2025, 7, 15, 9, 30, tzinfo=UTC)


@dataclass
class Target:
    """What a reader can put in an address: an id, and a section and slug around it."""

    pk: int
    section: str
    slug: str


@dataclass
class Newsroom:
    published: Article
    draft: Article
    scheduled: Article
    review: Article
    taken_down: Article
    hidden_tag: Tag
    missing: Target

    def target(self, kind: str) -> Target:
        if kind == "missing":
            return self.missing
        article = getattr(self, kind)
        return Target(article.pk, article.section.slug, article.slug)

    def hidden_titles(self) -> list[str]:
        return [self.draft.title, self.scheduled.title, self.review.title, self.taken_down.title]


@pytest.fixture
def newsroom():
    """A published story, a draft and a scheduled exam-results headline sharing its
    section and tag, and a tag and an author only the unpublished ones carry."""
    with time_machine.travel(NOW, tick=False):
        section = make_section(name="Giáo dục")
        shared = Tag.objects.create(name="Thi tốt nghiệp")
        hidden_tag = Tag.objects.create(name="Điểm thi 2025")
        insider = make_author(name="Lê Văn Chưa Đăng")
        published = make_article(section=section, title="Thí sinh Đồng Tháp làm bài môn Văn")
        draft = make_article(
            section=section,
            title="Bản nháp: đề thi môn Toán bị lộ",
            status=Article.Status.DRAFT,
            authors=[insider],
        )
        scheduled = make_article(
            section=section,
            title="Công bố điểm thi tốt nghiệp THPT: Đồng Tháp đứng thứ ba",
            published_at=NOW + timedelta(hours=6),
            authors=[insider],
        )
        review = make_article(
            section=section,
            title="Chờ duyệt: danh sách thủ khoa toàn tỉnh",
            status=Article.Status.REVIEW,
            authors=[insider],
        )
        taken_down = make_article(
            section=section,
            title="Đã gỡ: nhầm lịch thi môn Sử",
            status=Article.Status.UNPUBLISHED,
            authors=[insider],
        )
        hidden = (draft, scheduled, review, taken_down)
        for article in (published, *hidden):
            article.tags.add(shared)
        for article in hidden:
            article.tags.add(hidden_tag)
            # A hidden story read often must not reach "Đọc nhiều" either.
            ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=999)
    missing = Target(taken_down.pk + 1000, section.slug, "khong-co-bai-nay")
    return Newsroom(published, draft, scheduled, review, taken_down, hidden_tag, missing)


def reader(newsroom: Newsroom) -> Client:
    """A browser on a published article's page, whose comment form carries no
    token: comments:post checks that the post comes from this site instead."""
    return Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER, HTTP_SEC_FETCH_SITE="same-origin"
    )


def _post_comment(client, target, **headers):
    form = {
        "name": "Võ Thị Sáu",
        "email": "",
        "body": "Khi nào có điểm thi vậy tòa soạn?",
    }
    return client.post(reverse("comments:post", args=[target.pk]), form, **headers)


# Every endpoint that takes an article id, called as a reader's browser would.
BY_ID = {
    "article page": lambda c, t: c.get(f"/{t.section}/{t.slug}-{t.pk}.html"),
    "comment list": lambda c, t: c.get(reverse("comments:list", args=[t.pk])),
    "comment list (script)": lambda c, t: c.get(reverse("comments:list", args=[t.pk]), **SCRIPT),
    "comment list page 2": lambda c, t: c.get(f"{reverse('comments:list', args=[t.pk])}?trang=2"),
    "comment post": lambda c, t: _post_comment(c, t),
    "comment post (script)": lambda c, t: _post_comment(c, t, **SCRIPT),
    "comment posted": lambda c, t: c.get(reverse("comments:posted", args=[t.pk])),
    "read beacon": lambda c, t: c.post(reverse("articles:count_view", args=[t.pk])),
}


@pytest.mark.parametrize("kind", ["draft", "review", "scheduled", "taken_down"])
@pytest.mark.parametrize("endpoint", BY_ID)
def test_an_unpublished_article_is_answered_as_a_missing_id(newsroom, endpoint, kind):
    call = BY_ID[endpoint]
    with time_machine.travel(NOW, tick=False):
        missing = call(reader(newsroom), newsroom.target("missing"))
        unpublished = call(reader(newsroom), newsroom.target(kind))

    assert missing.status_code == 404
    if (kind, endpoint) == ("taken_down", "article page"):
        assert unpublished.status_code == 410
        assert "Bài viết đã được gỡ" in unpublished.text
    else:
        assert (unpublished.status_code, unpublished.content) == (404, missing.content)
    assert getattr(newsroom, kind).title not in unpublished.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("endpoint", BY_ID)
def test_the_same_calls_reach_a_published_article(newsroom, endpoint):
    """The walk above proves something only if the calls are ones the endpoints accept."""
    with time_machine.travel(NOW, tick=False):
        response = BY_ID[endpoint](reader(newsroom), newsroom.target("published"))

    # A page 2 that does not exist yet is the list's own 404: a comment makes it exist.
    assert response.status_code in {200, 201, 204, 303} or endpoint == "comment list page 2"


def test_a_published_article_with_comments_closed_still_says_so(newsroom):
    with time_machine.travel(NOW, tick=False):
        browser = reader(newsroom)  # opened while the article still took comments
        Article.objects.filter(pk=newsroom.published.pk).update(comments_open=False)
        plain = _post_comment(browser, newsroom.target("published"))
        script = _post_comment(browser, newsroom.target("published"), **SCRIPT)

    assert plain.status_code == script.status_code == 403
    assert "Bài viết này không nhận ý kiến." in plain.text
    assert script.json()["message"] == "Bài viết này không nhận ý kiến."


def _lists(newsroom: Newsroom) -> dict[str, str]:
    section = newsroom.published.section
    author = newsroom.draft.authors.get()
    return {
        "home": "/",
        "section page": section.get_absolute_url(),
        "author page": author.get_absolute_url(),
        "published article (related, most read)": newsroom.published.get_absolute_url(),
        "search for the title": f"{reverse('articles:search')}?q=điểm thi tốt nghiệp",
        "search for the draft": f"{reverse('articles:search')}?q=đề thi môn Toán",
        "site feed": reverse("articles:feed"),
        "section feed": reverse("articles:section_feed", args=[section.slug]),
        "author feed": reverse("articles:author_feed", args=[author.slug]),
        "sitemap index": reverse("sitemap"),
        "news sitemap": reverse("sitemap-news"),
        **{
            f"sitemap {name}": reverse("sitemap-section", args=[name])
            for name in ("bai-viet", "chuyen-muc", "tac-gia", "the")
        },
    }


def test_no_list_feed_sitemap_or_search_names_an_unpublished_article(client, newsroom):
    with time_machine.travel(NOW, tick=False):
        from articles import popularity

        popularity.most_read()  # so the article page shows the list too
        pages = {name: client.get(url) for name, url in _lists(newsroom).items()}

    hidden = [
        *newsroom.hidden_titles(),
        *(f"-{a.pk}.html" for a in (newsroom.draft, newsroom.scheduled, newsroom.review)),
        f"-{newsroom.taken_down.pk}.html",
        newsroom.hidden_tag.get_absolute_url(),
    ]
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = response.content.decode()
        found = [word for word in hidden if word in text]
        assert not found, f"{name} shows {found}"


def test_a_tag_only_unpublished_articles_carry_is_not_named(client, newsroom):
    """Its page and feed answer as a tag that does not exist: its name is news."""
    tag = newsroom.hidden_tag
    with time_machine.travel(NOW, tick=False):
        missing = client.get("/the/khong-co-the-nay/")
        page = client.get(tag.get_absolute_url())
        feed = client.get(reverse("articles:tag_feed", args=[tag.slug]))

    assert page.status_code == feed.status_code == 404
    assert page.content == missing.content
    assert tag.name.encode() not in page.content + feed.content


def test_the_lists_do_show_the_published_article(client, newsroom):
    """The check above looks where a published article does appear."""
    shown = {
        "home",
        "section page",
        "published article (related, most read)",
        "site feed",
        "section feed",
        "sitemap bai-viet",
        "news sitemap",
    }
    with time_machine.travel(NOW, tick=False):
        for name, url in _lists(newsroom).items():
            if name in shown:
                text = client.get(url).content.decode()
                assert f"-{newsroom.published.pk}.html" in text, name
