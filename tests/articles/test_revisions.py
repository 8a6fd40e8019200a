"""Revisions: every save keeps one, what a revision shows, two compared,
restoring, and the retention rule (articles/revisions.py)."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
import reversion
import time_machine
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Revision

from articles import revisions, workflow
from articles.diffs import DEL, INS, SAME
from articles.models import Article, Byline, Correction, Tag
from articles.revisions import Snapshot
from articles.services import EditConflict, save_article
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db


def history(article):
    return list(revisions.revisions_of(article))


def newest(article) -> Snapshot:
    return Snapshot.of_revision(history(article)[0], article)


def edit(article, by=None, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    return save_article(article=article, by=by)


def test_article_bylines_and_corrections_are_registered():
    for model in (Article, Byline, Correction):
        assert reversion.is_registered(model)


def test_every_save_keeps_what_readers_would_see_with_who_and_when(editor):
    first, second = make_author(name="Lê Hoàng Phúc"), make_author(name="Trần Mỹ Duyên")
    rice = Tag.objects.create(name="Lúa gạo")
    article = make_article(title="Giá lúa tăng", authors=[second, first])
    article.tags.add(rice)
    before = timezone.now()
    edit(article, by=editor, title="Giá lúa tăng mạnh", cover_caption="Nông dân thu hoạch")

    kept = history(article)
    assert len(kept) == 2
    assert kept[0].user == editor
    assert kept[0].comment == "Sửa bài"
    assert kept[0].date_created >= before
    assert kept[1].user is None and kept[1].comment == "Tạo bài"
    shot = Snapshot.of_revision(kept[0], article)
    assert shot.title == "Giá lúa tăng mạnh"
    assert shot.cover_caption == "Nông dân thu hoạch"
    assert shot.author_ids == (second.pk, first.pk)  # byline order
    assert shot.tag_ids == (rice.pk,)
    assert shot.section_id == article.section_id
    assert shot.location == "Cao Lãnh"
    assert shot.state == Article.State.PUBLISHED
    assert shot.version == 2
    assert Snapshot.of_revision(kept[1], article).title == "Giá lúa tăng"


def test_a_byline_removed_is_not_in_the_next_revision():
    first, second = make_author(), make_author()
    article = make_article(authors=[first, second])

    def drop_second():
        Byline.objects.filter(article=article, author=second).delete()

    save_article(article=article, by=None, related=drop_second)

    assert newest(article).author_ids == (first.pk,)


def test_a_workflow_transition_is_a_revision_with_the_status_then(journalist, editor):
    article = make_article(status=Article.Status.DRAFT, created_by=journalist)
    workflow.perform(article=article, by=journalist, action=workflow.Action.SUBMIT)
    workflow.publish(article=article, by=editor)

    states = [Snapshot.of_revision(r, article).state for r in history(article)]
    assert states == [Article.State.PUBLISHED, Article.State.REVIEW, Article.State.DRAFT]
    assert history(article)[0].user == editor


def test_a_refused_save_keeps_no_revision():
    article = make_article()
    with pytest.raises(EditConflict):
        edit_from_old = Article.objects.get(pk=article.pk)
        edit_from_old.title = "Sửa từ bản cũ"
        save_article(article=edit_from_old, by=None, expected_version=article.version - 1)
    assert len(history(article)) == 1


# Comparing two revisions (the word diff itself: test_diffs.py).


def test_compare_names_the_changed_fields_and_leaves_unchanged_paragraphs_out():
    first, second = make_author(name="Lê Hoàng Phúc"), make_author(name="Trần Mỹ Duyên")
    body = "".join(f"<p>Đoạn số {n} không đổi.</p>" for n in range(1, 6))
    article = make_article(body=body + "<p>Giá lúa 7.000 đồng.</p>", authors=[first])
    old = Snapshot.of_article(article)

    def swap_authors():
        Byline.objects.filter(article=article).delete()
        Byline.objects.create(article=article, author=second, position=0)

    article.body = body + "<p>Giá lúa 7.500 đồng.</p>"
    save_article(article=article, by=None, related=swap_authors)
    diffs = {d.name: d for d in revisions.compare(old, newest(article))}

    assert {name for name, d in diffs.items() if d.changed} == {"body", "bylines"}
    assert diffs["body"].lines == [
        None,
        [(SAME, "Giá lúa"), (DEL, "7.000"), (INS, "7.500"), (SAME, "đồng.")],
    ]
    assert diffs["bylines"].lines == [[(DEL, "Lê Hoàng Phúc")], [(INS, "Trần Mỹ Duyên")]]
    assert diffs["body"].label == "Nội dung"


# Restoring.


def test_restore_brings_the_content_back_as_a_new_revision(editor, committed):
    old_author, new_author = make_author(), make_author()
    old_tag, new_tag = Tag.objects.create(name="Mùa nước nổi"), Tag.objects.create(name="Lũ")
    old_section, new_section = make_section(), make_section()
    article = make_article(
        title="Bản đầu", sapo="Sapo đầu.", section=old_section, authors=[old_author]
    )
    save_article(article=article, by=None, related=lambda: article.tags.set([old_tag]))
    first = history(article)[0]
    published_at = article.published_at

    def new_byline_and_tag():
        Byline.objects.filter(article=article).delete()
        Byline.objects.create(article=article, author=new_author, position=0)
        article.tags.set([new_tag])

    article.title, article.sapo, article.section = "Bản sau", "Sapo sau.", new_section
    save_article(article=article, by=editor, related=new_byline_and_tag)
    workflow.unpublish(article=article, by=editor)
    article = Article.objects.get(pk=article.pk)

    with committed() as announced:
        restored = revisions.restore(
            article=article, revision=first, by=editor, expected_version=article.version
        )

    assert restored.notes == ()
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.sapo, article.section) == ("Bản đầu", "Sapo đầu.", old_section)
    assert article.byline_authors() == [old_author]
    assert list(article.tags.all()) == [old_tag]
    # The workflow's business stays as it is.
    assert article.status == Article.Status.UNPUBLISHED
    assert article.published_at == published_at
    kept = history(article)
    assert len(kept) == 5  # created, tagged, edited, taken down, restored: none rewritten
    assert kept[0].user == editor
    assert kept[0].comment.startswith("Khôi phục phiên bản lúc ")
    assert newest(article).title == "Bản đầu"
    assert newest(article).author_ids == (old_author.pk,)
    assert [Snapshot.of_revision(r, article).title for r in kept[1:3]] == ["Bản sau"] * 2
    assert not any(article.pk in change.articles for change in announced)  # not public


def test_restoring_a_public_article_tells_the_page_cache(editor, committed):
    article = make_article(title="Bản đầu")
    first = history(article)[0]
    edit(article, by=editor, title="Bản sau")

    with committed() as announced:
        revisions.restore(article=article, revision=first, by=editor, expected_version=2)

    assert any(article.pk in change.articles for change in announced)


def test_restore_from_a_stale_page_is_refused_and_changes_nothing(editor):
    article = make_article(title="Bản đầu")
    first = history(article)[0]
    edit(article, by=editor, title="Bản sau")

    with pytest.raises(EditConflict):
        revisions.restore(article=article, revision=first, by=editor, expected_version=1)
    assert Article.objects.get(pk=article.pk).title == "Bản sau"
    assert len(history(article)) == 2


def test_what_no_longer_exists_stays_as_it_is_and_is_said(editor, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    gone_tag, kept_tag = Tag.objects.create(name="Thẻ cũ"), Tag.objects.create(name="Thẻ giữ")
    old_cover = default_storage.save("covers/2024/01/cu.jpg", ContentFile(b"x"))
    article = make_article(title="Bản đầu", cover_alt="Ảnh cũ")
    Article.objects.filter(pk=article.pk).update(cover_image=old_cover)
    article = Article.objects.get(pk=article.pk)
    article.tags.set([gone_tag, kept_tag])
    save_article(article=article, by=None)
    first = history(article)[0]
    new_cover = default_storage.save("covers/2024/02/moi.jpg", ContentFile(b"y"))
    Article.objects.filter(pk=article.pk).update(cover_image=new_cover)
    article = Article.objects.get(pk=article.pk)
    article.cover_alt, article.title = "Ảnh mới", "Bản sau"
    save_article(article=article, by=editor)
    default_storage.delete(old_cover)
    gone_tag.delete()

    restored = revisions.restore(
        article=article, revision=first, by=editor, expected_version=article.version
    )

    assert set(restored.notes) == {revisions.COVER_GONE, revisions.TAGS_GONE}
    article = Article.objects.get(pk=article.pk)
    assert article.title == "Bản đầu"
    assert (article.cover_image.name, article.cover_alt) == (new_cover, "Ảnh mới")
    assert list(article.tags.all()) == [kept_tag]


# Retention.

NOW = timezone.make_aware(datetime(2025, 6, 30, 12, 0))


def revision_at(article, when, title):
    """One save of ``article`` made at ``when``."""
    with time_machine.travel(when, tick=False):
        edit(article, title=title)


def titles(article):
    return [Snapshot.of_revision(r, article).title for r in history(article)]


def test_prune_thins_old_revisions_of_a_public_article_to_the_last_of_each_day(settings):
    settings.REVISIONS_KEEP_DAYS, settings.REVISIONS_THIN_HOURS = 90, 24
    old_day = NOW - timedelta(days=120)
    with time_machine.travel(old_day - timedelta(hours=2), tick=False):
        article = make_article(title="tạo", published_at=old_day)
    revision_at(article, old_day - timedelta(hours=1), "sáng 1")
    revision_at(article, old_day, "trưa 1")  # the last of that day
    revision_at(article, old_day + timedelta(days=1), "ngày 2")
    revision_at(article, NOW - timedelta(days=30), "gần 1")
    revision_at(article, NOW - timedelta(days=29, hours=23), "gần 2")

    with time_machine.travel(NOW, tick=False):
        removed = revisions.prune()

    assert removed == 2
    assert titles(article) == ["gần 2", "gần 1", "ngày 2", "trưa 1"]


def test_an_article_readers_never_saw_keeps_every_revision(settings):
    settings.REVISIONS_KEEP_DAYS = 90
    long_ago = NOW - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        draft = make_article(status=Article.Status.DRAFT)
    for n in range(3):
        revision_at(draft, long_ago + timedelta(minutes=n + 1), f"nháp {n}")
    with time_machine.travel(long_ago, tick=False):
        scheduled = make_article(published_at=NOW + timedelta(days=1))
    revision_at(scheduled, long_ago + timedelta(minutes=1), "hẹn giờ")

    with time_machine.travel(NOW, tick=False):
        assert revisions.prune() == 0
    assert len(history(draft)) == 4
    assert len(history(scheduled)) == 2


def test_the_latest_revision_always_stays(settings):
    settings.REVISIONS_KEEP_DAYS = 90
    long_ago = NOW - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        article = make_article(title="đầu", published_at=long_ago)
    revision_at(article, long_ago + timedelta(minutes=5), "cuối")

    with time_machine.travel(NOW, tick=False):
        revisions.prune()
    assert titles(article) == ["cuối"]


def test_a_revision_shared_with_another_article_is_kept(settings):
    long_ago = NOW - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        one, other = make_article(published_at=long_ago), make_article(published_at=long_ago)
        with reversion.create_revision():
            edit(one, title="một")
            edit(other, title="khác")
        edit(one, title="cuối")

    with time_machine.travel(NOW, tick=False):
        # Each one's first; the shared one was one's, but it is other's latest.
        assert revisions.prune() == 2
    assert titles(one) == ["cuối", "một"]
    assert titles(other) == ["khác"]


def test_the_command_prunes_and_its_dry_run_only_counts(settings):
    settings.REVISIONS_KEEP_DAYS = 90
    long_ago = NOW - timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        article = make_article(published_at=long_ago)
    revision_at(article, long_ago + timedelta(minutes=5), "cuối")

    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("prune_revisions", "--dry-run", stdout=out)
        assert "Sẽ xoá 1 phiên bản cũ" in out.getvalue()
        assert Revision.objects.count() == 2
        call_command("prune_revisions", stdout=out)
    assert "Đã xoá 1 phiên bản cũ." in out.getvalue()
    assert len(history(article)) == 1


def test_the_seeds_save_with_revisions(settings, monkeypatch):
    from demo.management.commands import seed_demo

    settings.DEBUG = True  # seed_demo's accounts have a public password
    monkeypatch.setattr(seed_demo, "COVER_SIZE", (480, 270))
    call_command("seed_demo", stdout=StringIO())

    article = Article.objects.exclude(created_by=None).order_by("pk").first()
    assert history(article)[-1].user == article.created_by
