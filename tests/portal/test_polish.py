"""What the HTML checker and Lighthouse look at on every reader page, held by the
suite: machine times to the second, a meta description, the icons, one province."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Section, Tag
from comments.models import Comment
from demo.management.commands import seed_demo
from portal.views import FAVICON_MAX_AGE
from tests.factories import make_article, make_author, make_comment, make_section
from tests.portal.test_settings import run

pytestmark = pytest.mark.django_db

TIME = re.compile(r"<time\b[^>]*\bdatetime=\"([^\"]*)\"")
# HTML allows at most three decimals; the paper gives none, and Vietnam's offset.
TO_THE_SECOND = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")
DESCRIPTION = re.compile(r"<meta name=\"description\" content=\"([^\"]*)\">")


@pytest.fixture
def site():
    """A section with a description and one without, an author with a bio and one
    without, a tag, two articles published at an instant with microseconds."""
    at = timezone.now().replace(microsecond=123456) - timezone.timedelta(minutes=5)
    described = make_section(name="Nông nghiệp", description="Lúa, trái cây và thủy sản.")
    bare = make_section(name="Du lịch")
    writer = make_author(name="Trần Quốc Bảo", bio="Phóng viên nông nghiệp.")
    quiet = make_author(name="Lê Văn Lặng")
    tag = Tag.objects.create(name="Mùa nước nổi")
    first = make_article(
        section=described, title="Lúa chín sớm", published_at=at, authors=[writer, quiet]
    )
    second = make_article(section=bare, title="Mùa nước nổi về", published_at=at)
    for article in (first, second):
        article.tags.add(tag)
    make_comment(article=first, status=Comment.Status.APPROVED)
    return {
        "home": reverse("articles:home"),
        "article": first.get_absolute_url(),
        "section": described.get_absolute_url(),
        "bare section": bare.get_absolute_url(),
        "author": writer.get_absolute_url(),
        "quiet author": quiet.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "search": f"{reverse('articles:search')}?q=lua",
        "comments": reverse("comments:list", kwargs={"article_id": first.pk}),
    }


def get_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_time_element_says_vietnam_time_to_the_second(client, site):
    found = {name: TIME.findall(get_text(client, url)) for name, url in site.items()}

    assert all(found.values()), found  # each page shows at least one time
    wrong = {
        name: [t for t in times if not TO_THE_SECOND.fullmatch(t)] for name, times in found.items()
    }
    assert wrong == {name: [] for name in site}, wrong


def test_every_reader_page_has_one_meta_description(client, site, settings):
    del site["comments"]  # a fragment, not a page
    descriptions = {}
    for name, url in site.items():
        found = DESCRIPTION.findall(get_text(client, url))
        assert len(found) == 1, (name, found)
        descriptions[name] = html.unescape(found[0])

    assert descriptions["home"] == settings.SITE_DESCRIPTION
    assert "tỉnh Phù Sa" in descriptions["home"]
    assert descriptions["article"] == Article.objects.get(title="Lúa chín sớm").sapo
    assert descriptions["section"] == "Lúa, trái cây và thủy sản."
    assert descriptions["bare section"] == "Tin Du lịch mới nhất của Báo Phù Sa, tỉnh Phù Sa."
    assert descriptions["author"] == "Trần Quốc Bảo: Phóng viên nông nghiệp."
    assert descriptions["quiet author"] == "Các bài viết của Lê Văn Lặng trên Báo Phù Sa."
    assert descriptions["tag"] == "Tin bài về Mùa nước nổi trên Báo Phù Sa, tỉnh Phù Sa."
    assert descriptions["search"].startswith("Tìm bài viết trên Báo Phù Sa")


def test_favicon_at_the_root_with_a_month_of_caching(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response["Cache-Control"] == f"public, max-age={FAVICON_MAX_AGE}"
    assert FAVICON_MAX_AGE == 30 * 24 * 3600
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_pages_name_the_icons_in_static_files(client, settings):
    page = get_text(client, "/")

    for name in ("icons/favicon.ico", "icons/icon-192.png", "icons/apple-touch-icon.png"):
        # In production {% static %} gives the hashed name WhiteNoise caches for ever.
        assert f'href="{static(name)}"' in page, name
        assert client.get(static(name)).status_code == 200, name
    assert '<meta name="theme-color" content="#8a3a0c">' in page
    icons = settings.BASE_DIR / "static" / "icons"
    with Image.open(icons / "apple-touch-icon.png") as touch:
        assert (touch.size, touch.mode) == ((180, 180), "RGB")  # iOS rounds it itself
    with Image.open(icons / "favicon.ico") as ico:
        assert ico.info["sizes"] == {(16, 16), (32, 32), (48, 48)}


def test_the_demo_names_one_province_everywhere(client, settings, monkeypatch):
    settings.DEBUG = True  # seed_demo's condition
    monkeypatch.setattr(seed_demo, "COVER_SIZE", (480, 270))  # its covers are not the point
    call_command("seed_demo", stdout=StringIO())
    article = Article.objects.published().first()
    urls = [
        "/",
        article.get_absolute_url(),
        *(s.get_absolute_url() for s in Section.objects.all()),
        *(a.get_absolute_url() for a in Author.objects.all()),
        *(t.get_absolute_url() for t in Tag.objects.all()[:5]),
        f"{reverse('articles:search')}?q=phu+sa",
        reverse("comments:list", kwargs={"article_id": article.pk}),
        reverse("articles:feed"),
    ]

    pages = {url: get_text(client, url) for url in urls}

    assert [url for url, text in pages.items() if "Đồng Tháp" in text] == []
    home = pages["/"]
    assert "<p>Cơ quan ngôn luận của Đảng bộ, chính quyền và nhân dân tỉnh Phù Sa</p>" in home
    assert "<title>Báo Phù Sa – Cơ quan ngôn luận" in home
    assert re.search(r"<address>\s*Tòa soạn: [^<]*, tỉnh Phù Sa<br>", home)


def test_the_province_comes_from_settings():
    code = (
        "from django.conf import settings as s; "
        "print(s.SITE_TAGLINE); print(s.SITE_ADDRESS); print(s.SITE_DESCRIPTION)"
    )
    result = run(
        ["-c", code],
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="x",
        SITE_PROVINCE="Sông Hậu",
    )

    assert result.returncode == 0, result.stderr
    tagline, address, description = result.stdout.splitlines()
    assert tagline.endswith("nhân dân tỉnh Sông Hậu")
    assert address.endswith("tỉnh Sông Hậu")
    assert "tỉnh Sông Hậu" in description
