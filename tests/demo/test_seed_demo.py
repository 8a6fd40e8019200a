"""``manage.py seed_demo``: a demo newsroom, the same after any number of runs."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase
from PIL import Image

from articles.models import Article, Author, Byline, Section, Tag
from articles.renditions import rendition_name
from comments.models import Comment, ModerationLog
from demo import content as demo_content
from demo.management.commands import seed_demo

pytestmark = pytest.mark.django_db

MODELS = (Section, Author, Article, Byline, User, Comment, ModerationLog, Tag)
FULL_COVER = seed_demo.COVER_SIZE


@pytest.fixture(autouse=True)
def _debug(settings):
    # seed_demo refuses to run with DEBUG off (its accounts have a public password).
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def _small_covers(monkeypatch):
    # The same path at a size with one rendition: 25 covers at 1440 px cost
    # seconds of WebP encoding per seed. The tests about covers set FULL_COVER.
    monkeypatch.setattr(seed_demo, "COVER_SIZE", (480, 270))


def seed(*args) -> str:
    """The command as it runs for real: committed, and what follows the commit
    (renditions, search data, replaced files deleted) done before it returns."""
    out = StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_running_twice_gives_the_same_demo():
    seed()
    first = counts()
    covers = dict(Article.objects.values_list("pk", "cover_image"))

    report = seed()

    assert counts() == first
    assert dict(Article.objects.values_list("pk", "cover_image")) == covers  # not redrawn
    assert "Ảnh đại diện mới vẽ: 0" in report
    assert first["Section"] >= 5
    assert first["Author"] >= 6


def test_articles_readers_see_and_the_two_they_do_not():
    seed()

    assert Article.objects.published().count() >= 20
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED).exclude(
        pk__in=Article.objects.published()
    )
    assert drafts.count() == 1
    assert scheduled.count() == 1
    assert scheduled.get().published_at > drafts.get().created_at
    assert Article.objects.published().filter(slug__startswith="dong-").exists()  # "Đồng …"


def test_every_article_is_complete():
    seed()

    for article in Article.objects.prefetch_related("bylines__author"):
        assert 10 <= len(article.title.split()) <= 20, article.title
        assert article.bylines.exists(), article.title
        assert article.location
        assert "<h2>" in article.body and "<blockquote>" in article.body
        assert article.body.count("<p>") >= 4
        assert article.cover_alt and article.cover_caption and article.cover_credit
    assert Article.objects.filter(body__contains="<figcaption>").count() >= 3


def test_covers_are_stored_as_uploads_are_with_their_renditions(settings, client, monkeypatch):
    monkeypatch.setattr(seed_demo, "COVER_SIZE", FULL_COVER)
    seed()

    for article in Article.objects.all():
        path = article.cover_image.path
        assert path.startswith(str(settings.MEDIA_ROOT))  # the test's tmp media folder
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", (1440, 810))
        assert article.cover_renditions == {
            "width": 1440,
            "height": 810,
            "widths": [480, 960, 1440],
        }
        for width in (480, 960, 1440):
            for ext in ("webp", "jpg"):
                assert default_storage.exists(rendition_name(article.cover_image.name, width, ext))
    # What a phone is offered: the small WebP first, with the dimensions.
    article = Article.objects.published().first()
    html = client.get(article.get_absolute_url()).content.decode()
    stem = article.cover_image.url.rsplit(".", 1)[0]
    assert f'<source type="image/webp" srcset="{stem}-480.webp 480w,' in html
    assert 'width="1440" height="810"' in html


def test_a_cover_stored_without_renditions_is_stored_again_with_them():
    # As an older seed_demo left them: the file, no renditions.
    seed()
    article = Article.objects.published().first()
    old = article.cover_image.name
    for name in (rendition_name(old, 480, "webp"), rendition_name(old, 480, "jpg")):
        default_storage.delete(name)
    Article.objects.filter(pk=article.pk).update(cover_renditions={})

    report = seed()  # the old file goes after the commit

    assert "Ảnh đại diện lưu lại để có bản thu nhỏ và WebP: 1" in report
    assert "Ảnh đại diện mới vẽ: 0" in report
    article.refresh_from_db()
    assert article.cover_renditions["widths"] == [480]
    assert default_storage.exists(rendition_name(article.cover_image.name, 480, "webp"))
    assert article.cover_image.name != old and not default_storage.exists(old)
    assert "Ảnh đại diện lưu lại để có bản thu nhỏ và WebP: 0" in seed()


def test_missing_cover_and_figure_files_are_drawn_again():
    seed()
    article = Article.objects.filter(body__contains="<figure").first()
    figure = article.body.split('src="/media/', 1)[1].split('"', 1)[0]
    old_rendition = rendition_name(article.cover_image.name, 480, "webp")
    default_storage.delete(article.cover_image.name)
    default_storage.delete(figure)

    report = seed()

    assert "Ảnh đại diện mới vẽ: 1" in report
    article.refresh_from_db()
    assert default_storage.exists(article.cover_image.name)
    assert default_storage.exists(rendition_name(article.cover_image.name, 480, "webp"))
    assert not default_storage.exists(old_rendition)  # nothing left of the lost cover
    assert default_storage.exists(figure)


def test_demo_staff_in_their_groups():
    seed()

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    groups = {
        name: list(User.objects.get(username=name).groups.values_list("name", flat=True))
        for name in ("phongvien", "kiemduyet", "bientap")
    }
    assert groups == {
        "phongvien": ["Journalists"],
        "kiemduyet": ["Moderators"],
        "bientap": ["Editors"],
    }
    for name in ("admin", "phongvien", "kiemduyet", "bientap"):
        user = User.objects.get(username=name)
        assert user.is_staff and user.check_password("demo12345")
    assert Author.objects.get(user__username="phongvien").name == demo_content.AUTHORS[0].name


def test_a_changed_password_survives_a_rerun():
    seed()
    journalist = User.objects.get(username="phongvien")
    journalist.set_password("mat-khau-rieng-cua-toi")
    journalist.save()

    seed()

    journalist.refresh_from_db()
    assert journalist.check_password("mat-khau-rieng-cua-toi")


def test_demo_comments_pending_and_approved_with_counts():
    seed()

    approved = Comment.objects.filter(status=Comment.Status.APPROVED)
    pending = Comment.objects.filter(status=Comment.Status.PENDING)
    assert approved.count() >= 2 and pending.count() >= 2
    assert Comment.objects.values("article").distinct().count() >= 2
    for article in Article.objects.filter(comments__isnull=False).distinct():
        assert article.comment_count == approved.filter(article=article).count()
    # Approved through the moderation service: the decision is recorded.
    assert ModerationLog.objects.filter(to_status="approved").count() == approved.count()
    assert {c.moderated_by.username for c in approved} == {"kiemduyet"}


def test_print_logins_prints_and_writes_nothing():
    seed()
    before = counts()

    out = seed("--print-logins")

    assert "http://127.0.0.1:8000/" in out
    assert "http://127.0.0.1:8000/admin/" in out
    for name in ("admin", "phongvien", "kiemduyet", "bientap"):
        assert re.search(rf"^\s*{name}\s*/ demo12345 / \w", out, re.MULTILINE), name
    assert counts() == before


def test_print_logins_on_an_empty_database_creates_nothing():
    out = seed("--print-logins")

    assert "phongvien" in out
    assert counts()["Article"] == 0 and counts()["User"] == 0


def test_refuses_to_create_demo_accounts_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert counts()["User"] == 0

    seed("--force")
    assert User.objects.filter(username="admin").exists()


def test_articles_carry_tags_whose_pages_and_feeds_work(client):
    seed()

    for article in Article.objects.all():
        item = next(a for a in demo_content.ARTICLES if a.title == article.title)
        assert sorted(article.tags.values_list("name", flat=True)) == sorted(item.tags)
        assert len(item.tags) >= 2, article.title
    shared = [tag for tag in Tag.objects.all() if tag.articles.count() >= 3]
    assert shared
    tag = shared[0]
    page = client.get(tag.get_absolute_url())
    assert page.status_code == 200
    assert page.content.decode().count('class="card-title"') >= 2
    feed = client.get(f"{tag.get_absolute_url()}rss/")
    assert feed.status_code == 200 and feed.content.count(b"<item>") >= 2
    article = tag.articles.filter(pk__in=Article.objects.published()).first()
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{tag.get_absolute_url()}"' in html  # the article links its tags


def test_tags_staff_changed_survive_a_rerun():
    seed()
    article = Article.objects.filter(tags__isnull=False).first()
    article.tags.set([Tag.objects.create(name="Tin nóng")])

    report = seed()

    assert list(article.tags.values_list("name", flat=True)) == ["Tin nóng"]
    assert "bài mới gắn thẻ: 0" in report


def test_after_seed_bench_the_demo_takes_its_section_names_back():
    call_command("seed_bench", articles=50, comments=400, seed=7, stdout=StringIO())
    assert Section.objects.filter(slug="bench-thoi-su", name="Thời sự").exists()

    report = seed()

    bench = Section.objects.get(slug="bench-thoi-su")
    assert bench.name == "Thời sự (thử tải)"
    assert "/bench-thoi-su/ đổi tên thành “Thời sự (thử tải)”" in report
    demo = Section.objects.get(name="Thời sự")
    assert demo.slug == "thoi-su" and demo.articles.count() >= 4
    assert Article.objects.filter(section__slug__startswith="bench-").count() == 50
    # One province on the shared site: bench articles name the demo's places.
    places = set(Article.objects.values_list("location", flat=True))
    assert places <= set(demo_content.PLACES)
    assert len(places) > len({a.location for a in demo_content.ARTICLES})
    # Why the bench section is not reused: its --clear deletes what it holds.
    call_command("seed_bench", articles=50, comments=400, seed=7, clear=True, stdout=StringIO())
    assert demo.articles.count() >= 4
    assert "mới tạo 0" in seed()  # and the demo is whole again at once


def test_a_newsroom_section_of_the_same_name_is_used():
    own = Section.objects.create(name="Thời sự", slug="tin-thoi-su")

    report = seed()

    assert not Section.objects.filter(slug="thoi-su").exists()
    assert own.articles.count() >= 4
    assert "Chuyên mục “Thời sự” đã có ở /tin-thoi-su/" in report
