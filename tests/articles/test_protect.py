"""Nothing readers wrote is ever hard-deleted: an article with comments is unpublished,
not deleted, and comments and the moderation log have no delete anywhere.
"""

import pytest
from django.contrib import admin
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse

from articles import workflow
from articles.models import Article
from comments.models import Comment, ModerationLog, PendingComment
from comments.services import moderate
from tests.factories import make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


def delete_url(article):
    return reverse("admin:articles_article_delete", args=[article.pk])


def with_comments(**kw):
    article = make_article(**kw)
    approved = make_comment(article=article)
    moderate(comment=approved, moderator=None, status="approved")
    make_comment(article=article)  # still pending
    return article


def assert_intact(article, comments=2):
    assert Article.objects.filter(pk=article.pk).exists()
    assert Comment.objects.filter(article=article).count() == comments


def test_editor_delete_of_an_article_with_comments_is_refused_with_advice(client, editor):
    article = with_comments(title="Lũ về sớm ở Hồng Ngự")
    client.force_login(editor)

    page = client.get(delete_url(article))
    response = client.post(delete_url(article), {"post": "yes"})

    for answer in (page, response):
        text = answer.content.decode()
        assert answer.status_code == 200
        assert "Không thể xoá bài “Lũ về sớm ở Hồng Ngự”: bài đã có 2 ý kiến của bạn đọc." in text
        assert "Gỡ bài" in text
        assert "xuất bản lại" in text
        assert reverse("admin:articles_article_change", args=[article.pk]) in text
        assert 'name="post"' not in text  # no confirmation button to press
    assert_intact(article)
    assert ModerationLog.objects.filter(comment__article=article).count() == 1


def test_bulk_delete_with_an_article_that_has_comments_deletes_nothing(client, editor):
    busy = with_comments(title="Bài có ý kiến")
    quiet = make_article(title="Bài chưa có ý kiến")
    client.force_login(editor)
    data = {"action": "delete_selected", "_selected_action": [busy.pk, quiet.pk]}

    for extra in ({}, {"post": "yes"}):
        response = client.post(CHANGELIST, {**data, **extra})
        text = response.content.decode()
        assert response.status_code == 200
        assert "Không thể xoá các bài đã chọn: bài đã có ý kiến của bạn đọc" in text
        assert "Bài có ý kiến</a>: 2 ý kiến" in text
        assert "Không bài nào đã bị xoá." in text
    assert_intact(busy)
    assert Article.objects.filter(pk=quiet.pk).exists()


def test_an_article_without_comments_is_still_deleted_normally(client, editor):
    article = make_article()
    client.force_login(editor)
    assert "Không thể xoá" not in client.get(delete_url(article)).content.decode()
    assert client.post(delete_url(article), {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_the_database_refuses_too():
    article = with_comments()
    with pytest.raises(ProtectedError):
        article.delete()
    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=article.pk).delete()
    assert_intact(article)


def test_unpublishing_hides_the_article_and_keeps_its_comments(
    client, django_capture_on_commit_callbacks
):
    article = with_comments()
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # retires the cached page
        workflow.unpublish(article=article, by=None)

    gone = client.get(url)
    assert gone.status_code == 410
    assert "Bài viết đã được gỡ" in gone.content.decode()
    assert article.title not in gone.content.decode()
    assert client.get(reverse("comments:list", args=[article.pk])).status_code == 404
    assert_intact(article)


def test_no_delete_for_comments_or_the_log_even_for_a_superuser():
    superuser = make_staff("quantri", superuser=True)
    request = RequestFactory().get("/")
    request.user = superuser
    for model in (Comment, PendingComment, ModerationLog):
        model_admin = admin.site._registry[model]
        assert model_admin.has_delete_permission(request) is False, model
        assert "delete_selected" not in model_admin.get_actions(request), model


def test_superuser_cannot_delete_a_comment_through_the_admin(client):
    comment = make_comment()
    client.force_login(make_staff("quantri", superuser=True))
    url = reverse("admin:comments_comment_delete", args=[comment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    data = {"action": "delete_selected", "_selected_action": [comment.pk]}
    client.post(reverse("admin:comments_comment_changelist"), data)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_moderation_log_is_append_only():
    comment = make_comment()
    moderate(comment=comment, moderator=None, status="approved")
    line = ModerationLog.objects.get()
    with pytest.raises(ValueError):
        line.delete()
    line.reason = "sửa lại"
    with pytest.raises(ValueError):
        line.save()
    assert ModerationLog.objects.get().reason == ""


def test_readers_have_no_way_to_delete(client):
    comment = make_comment()
    for name in ("comments:post", "comments:list"):
        response = client.delete(reverse(name, args=[comment.article_id]))
        assert response.status_code == 405
    assert Comment.objects.filter(pk=comment.pk).exists()
