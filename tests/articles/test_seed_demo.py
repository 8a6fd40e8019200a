"""``manage.py seed_demo``: a demo newsroom, the same after any number of runs."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from articles import demo_content
from articles.models import Article, Author, Byline, Section
from comments.models import Comment, ModerationLog

pytestmark = pytest.mark.django_db

MODELS = (Section, Author, Article, Byline, User, Comment, ModerationLog)


@pytest.fixture(autouse=True)
def _debug(settings):
    # seed_demo refuses to run with DEBUG off (its accounts have a public password).
    settings.DEBUG = True


def seed(*args) -> str:
    out = StringIO()
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


def test_covers_are_real_images_on_disk(settings, tmp_path):
    seed()

    for article in Article.objects.all():
        path = article.cover_image.path
        assert path.startswith(str(settings.MEDIA_ROOT))  # the test's tmp media folder
        with Image.open(path) as image:
            assert (image.format, image.size) == ("JPEG", (1440, 810))


def test_missing_cover_and_figure_files_are_drawn_again():
    seed()
    article = Article.objects.filter(body__contains="<figure").first()
    figure = article.body.split('src="/media/', 1)[1].split('"', 1)[0]
    default_storage.delete(article.cover_image.name)
    default_storage.delete(figure)

    report = seed()

    assert "Ảnh đại diện mới vẽ: 1" in report
    article.refresh_from_db()
    assert default_storage.exists(article.cover_image.name)
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
