"""The publishing service: each write, what it announces, and what follows the commit."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import MENU_CACHE_KEY, Article, Byline, Tag
from articles.renditions import rendition_name
from articles.search import search_articles
from articles.signals import Change
from tests.articles.test_admin import change_url, existing_article_data
from tests.articles.test_images import image_bytes
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def seen(article, *, sections=None, authors=None, tags=None) -> Change:
    return Change(
        articles=frozenset({article.pk}),
        sections=frozenset(sections or {article.section_id}),
        authors=frozenset(authors or article.bylines.values_list("author_id", flat=True)),
        tags=frozenset(tags or article.tags.values_list("pk", flat=True)),
        listings=True,
    )


def cover(size=(1200, 675)):
    return SimpleUploadedFile("bia.jpg", image_bytes(size=size), "image/jpeg")


def media_files(folder="covers") -> list[str]:
    found, stack = [], [folder]
    while stack:
        path = stack.pop()
        try:
            dirs, files = default_storage.listdir(path)
        except FileNotFoundError:
            continue
        found += [f"{path}/{name}" for name in files]
        stack += [f"{path}/{name}" for name in dirs]
    return sorted(found)


# What is announced


def test_a_draft_saved_announces_nothing(committed):
    draft = make_article(status=Article.Status.DRAFT)
    with committed() as announced:
        draft.title = "Bản nháp sửa lại"
        services.save_article(article=draft, by=None)
    assert announced == []


def test_a_scheduled_article_edited_before_its_time_announces_nothing(committed):
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=2))
    with committed() as announced:
        scheduled.sapo = "Sapo sửa trước giờ đăng."
        services.save_article(article=scheduled, by=None)
    assert announced == []


def test_a_published_article_edited_announces_its_pages(committed):
    article = make_article()
    article.tags.add(Tag.objects.create(name="Mùa nước nổi"))
    with committed() as announced:
        article.title = "Tiêu đề đã sửa"
        services.save_article(article=article, by=None)
    assert announced == [seen(article)]


def test_an_article_moved_to_another_section_announces_both(committed):
    article = make_article()
    old_section, new_section = article.section, make_section(name="Kinh tế")
    with committed() as announced:
        article.section = new_section
        services.save_article(article=article, by=None)
    assert announced == [seen(article, sections={old_section.pk, new_section.pk})]


def test_bylines_and_tags_changed_with_the_article_are_announced_old_and_new(committed):
    old_author, new_author = make_author(), make_author()
    old_tag, new_tag = Tag.objects.create(name="Lúa"), Tag.objects.create(name="Xoài")
    article = make_article(authors=[old_author])
    article.tags.add(old_tag)

    def related():
        article.bylines.all().delete()
        Byline.objects.create(article=article, author=new_author)
        article.tags.set([new_tag])

    with committed() as announced:
        services.save_article(article=article, by=None, related=related)
    assert announced == [
        seen(article, authors={old_author.pk, new_author.pk}, tags={old_tag.pk, new_tag.pk})
    ]


def test_the_admin_announces_the_authors_it_saves_in_its_inline(editor, committed):
    article = make_article()
    first = article.bylines.get().author
    second = make_author(name="Võ Thị Hạnh")
    data = existing_article_data(article, location="Sa Đéc")
    data.update(
        {
            "bylines-TOTAL_FORMS": "2",
            "bylines-1-author": second.pk,
            "bylines-1-position": "1",
            "bylines-1-article": article.pk,
        }
    )
    client = Client()
    client.force_login(editor)

    with committed() as announced:
        response = client.post(change_url(article), data)

    assert response.status_code == 302
    assert announced == [seen(article, authors={first.pk, second.pk})]


# The writes


def test_save_records_who_wrote_and_keeps_the_creator(journalist, editor, committed):
    article = Article(section=make_section(), title="Tin mới", sapo="Sapo.", body="<p>Bài.</p>")
    with committed():
        services.save_article(article=article, by=journalist)
    with committed():
        article.location = "Lai Vung"
        services.save_article(article=article, by=editor)
    article.refresh_from_db()
    assert (article.created_by, article.updated_by) == (journalist, editor)


def test_a_write_in_bulk_retires_every_page_and_the_menu(committed):
    from django.core.cache import cache

    cache.set(MENU_CACHE_KEY, ["cũ"])
    with committed() as announced:
        services.written_in_bulk()
    assert announced == [Change(everywhere=True)]
    assert cache.get(MENU_CACHE_KEY) is None


# After the commit


def test_renditions_and_search_data_come_after_the_commit(django_capture_on_commit_callbacks):
    article = Article(
        section=make_section(),
        title="Lễ hội Xoài Cao Lãnh",
        sapo="Sapo.",
        body="<p>Bài.</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=1),
        cover_image=cover(),
        cover_alt="Vườn xoài",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_article(article=article, by=None, related=lambda: None)
        # Stored, and not yet public in any other form.
        assert media_files() == [article.cover_image.name]
        assert Article.objects.filter(search_title="").count() == 1

    widths = [480, 960, 1200]
    assert article.cover_renditions == {"width": 1200, "height": 675, "widths": widths}
    article.refresh_from_db()
    assert article.cover_renditions["widths"] == widths
    names = [
        rendition_name(article.cover_image.name, w, ext) for w in widths for ext in ("webp", "jpg")
    ]
    assert media_files() == sorted([article.cover_image.name, *names])
    assert list(search_articles("le hoi xoai").articles) == [article]


def test_a_rolled_back_save_leaves_no_renditions_and_announces_nothing(committed):
    article = make_article()
    with committed() as announced, pytest.raises(RuntimeError), transaction.atomic():
        article.cover_image, article.cover_alt = cover(), "Vườn xoài"
        article.title = "Tiêu đề không được lưu"
        services.save_article(article=article, by=None)
        raise RuntimeError("the write fails after the save")
    assert not [name for name in media_files() if "-480." in name]
    assert announced == []
    assert list(search_articles("khong duoc luu").articles) == []


def test_a_save_without_a_new_cover_keeps_its_renditions(committed):
    article = make_article(cover_image=cover(), cover_alt="Vườn xoài")
    renditions = article.cover_renditions
    with committed():
        article.title = "Tiêu đề sửa lại"
        services.save_article(article=article, by=None)
    article.refresh_from_db()
    assert article.cover_renditions == renditions
    assert list(search_articles("tieu de sua lai").articles) == [article]


def test_only_a_write_of_the_text_fills_the_search_data_again(django_capture_on_commit_callbacks):
    article = make_article()
    for fields, refilled in ((["comments_open"], False), (["title"], True)):
        with django_capture_on_commit_callbacks() as callbacks:
            services.save_article(article=article, by=None, update_fields=fields)
        work = [getattr(callback, "__qualname__", "") for callback in callbacks]
        assert ("fill_search_data" in work) is refilled
