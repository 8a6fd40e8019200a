"""Moderation in the admin: permissions, the queue, actions, one-click buttons."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.admin import format_wait
from comments.models import Comment, ModerationLog
from comments.services import moderate
from tests.factories import make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db

QUEUE = "admin:comments_pendingcomment_changelist"


def decide_url(comment, status):
    return reverse("admin:comments_pendingcomment_decide", args=[comment.pk, status])


def aged(comment, **delta):
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(**delta))
    comment.refresh_from_db()
    return comment


# Permissions


def test_moderators_group_has_exactly_the_comment_permissions():
    perms = set(
        Group.objects.get(name="Moderators").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert perms == {
        ("comments", "view_comment"),
        ("comments", "change_comment"),
        ("comments", "view_pendingcomment"),
        ("comments", "change_pendingcomment"),
        ("comments", "add_bannedterm"),
        ("comments", "change_bannedterm"),
        ("comments", "delete_bannedterm"),
        ("comments", "view_bannedterm"),
        ("comments", "view_moderationlog"),
        ("comments", "add_commenterban"),
        ("comments", "change_commenterban"),
        ("comments", "delete_commenterban"),
        ("comments", "view_commenterban"),
        ("comments", "view_commenteremail"),
    }


def test_moderator_cannot_change_articles(client, moderator):
    article = make_article()
    assert not any(p.startswith("articles.") for p in moderator.get_all_permissions())
    if admin.site.is_registered(Article):
        client.force_login(moderator)
        for url in (
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_add"),
            reverse("admin:articles_article_change", args=[article.pk]),
        ):
            assert client.get(url).status_code == 403, url
    else:  # the article admin is not there yet: the stock ModelAdmin decides alike
        request = RequestFactory().get("/")
        request.user = moderator
        model_admin = ModelAdmin(Article, admin.site)
        with pytest.raises(PermissionDenied):
            model_admin.changelist_view(request)
        with pytest.raises(PermissionDenied):
            model_admin.change_view(request, str(article.pk))


def test_journalist_cannot_see_comments(client, journalist):
    comment = make_comment()
    client.force_login(journalist)
    for url in (
        reverse(QUEUE),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:comments_comment_change", args=[comment.pk]),
        reverse("admin:comments_bannedterm_changelist"),
        reverse("admin:comments_moderationlog_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(decide_url(comment, "approved")).status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "chờ duyệt" not in client.get(reverse("admin:index")).text


def test_moderator_reaches_queue_history_terms_and_log(client, moderator):
    client.force_login(moderator)
    for name in (
        QUEUE,
        "admin:comments_comment_changelist",
        "admin:comments_bannedterm_changelist",
        "admin:comments_bannedterm_add",
        "admin:comments_moderationlog_changelist",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_nobody_adds_or_deletes_comments_or_log_lines(admin_client, moderator):
    comment = make_comment()
    moderate(comment=comment, moderator=moderator, status="spam")
    log = ModerationLog.objects.get()
    for url in (
        reverse("admin:comments_comment_add"),
        reverse("admin:comments_comment_delete", args=[comment.pk]),
        reverse("admin:comments_moderationlog_add"),
        reverse("admin:comments_moderationlog_delete", args=[log.pk]),
    ):
        assert admin_client.get(url).status_code == 403, url
    # The log's own page is read-only, even for a superuser.
    page = admin_client.get(reverse("admin:comments_moderationlog_change", args=[log.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text


# The queue


def test_queue_lists_pending_oldest_first_with_everything_to_decide(client, moderator):
    article = make_article(title="Cầu Cao Lãnh thông xe")
    long_body = "Đoạn đầu.\n" + "ơ" * 480 + " đoạn cuối"
    old = aged(make_comment(article=article, body=long_body, email="a@example.vn"), hours=3)
    new = aged(make_comment(article=article, body="Mới gửi."), minutes=5)
    aged(make_comment(article=article, body="Bị giữ lại.", held_reason="links"), minutes=50)
    approved = make_comment(article=article, body="Đã duyệt rồi.")
    moderate(comment=approved, moderator=moderator, status="approved")

    client.force_login(moderator)
    text = client.get(reverse(QUEUE)).text
    assert text.index("ơ" * 480) < text.index("Bị giữ lại.") < text.index("Mới gửi.")
    assert "Đã duyệt rồi." not in text
    assert "Đoạn đầu.<br>" in text and " đoạn cuối" in text  # the whole body
    assert f'href="{article.get_absolute_url()}"' in text
    assert "Cầu Cao Lãnh thông xe" in text
    assert "a@example.vn" in text and old.ip_address in text
    assert "3 giờ" in text and "50 phút" in text and "5 phút" in text
    assert "Có hơn 2 liên kết (links)" in text
    for status in ("approved", "rejected", "spam"):
        assert f'formaction="{decide_url(new, status)}' in text


def test_admin_index_shows_how_many_comments_wait(client, moderator):
    make_comment()
    make_comment()
    moderate(comment=make_comment(), moderator=moderator, status="approved")
    client.force_login(moderator)
    text = client.get(reverse("admin:index")).text
    assert re.search(r"<strong>2</strong> ý kiến đang chờ duyệt", text)
    assert f'href="{reverse(QUEUE)}"' in text


@pytest.mark.parametrize("count", [3, 30])
def test_queue_query_budget_and_no_count_of_the_whole_table(client, moderator, count):
    for n in range(count):
        make_comment(body=f"Ý kiến chờ {n}.")
    client.force_login(moderator)
    client.get(reverse(QUEUE))  # session and permission caches warm alike for both sizes
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(QUEUE))
    assert response.status_code == 200
    sqls = [q["sql"] for q in queries]
    # 8, and the moderator's claim (comments/claims.py): its SELECT … FOR UPDATE
    # and UPDATE in a savepoint, and who else is reading.
    assert len(sqls) <= 13, sqls
    # The rows name their article; its text stays in the database.
    assert not any('"articles_article"."body"' in sql for sql in sqls), sqls
    for sql in sqls:
        if "COUNT(" in sql.upper() and "comments_comment" in sql:
            assert "LIMIT" in sql.upper() or "GROUP BY" in sql.upper(), sql


def test_article_filter_counts_the_head_of_the_queue(client, moderator, monkeypatch):
    from comments.admin import ArticleFilter

    monkeypatch.setattr(ArticleFilter, "HEAD", 3)
    busy, quiet = make_article(title="Bài nhiều ý kiến"), make_article(title="Bài ít ý kiến")
    oldest = [make_comment(article=busy) for _ in range(2)] + [make_comment(article=quiet)]
    for n, comment in enumerate(oldest):
        aged(comment, days=1, hours=3 - n)
    client.force_login(moderator)
    url = reverse(QUEUE)

    text = client.get(url).text
    assert "Bài nhiều ý kiến (2 chờ duyệt)" in text  # the whole queue fits in the head
    assert "Bài ít ý kiến (1 chờ duyệt)" in text

    make_comment(article=busy)  # the queue is now longer than the head
    text = client.get(url).text
    assert "Bài nhiều ý kiến (ít nhất 2 chờ duyệt)" in text


def test_queue_filters_and_search(client, moderator):
    first, second = make_article(), make_article()
    make_comment(article=first, body="Về bài thứ nhất.", email="tim@example.vn")
    make_comment(article=second, body="Về bài thứ hai.", ip_address="192.0.2.66")
    client.force_login(moderator)
    url = reverse(QUEUE)

    by_article = client.get(url, {"bai_viet": first.pk}).text
    assert "Về bài thứ nhất." in by_article and "Về bài thứ hai." not in by_article
    assert client.get(url, {"bai_viet": "x"}).status_code == 200

    by_email = client.get(url, {"q": "tim@example"}).text
    assert "Về bài thứ nhất." in by_email and "Về bài thứ hai." not in by_email
    by_address = client.get(url, {"q": "192.0.2.66"}).text
    assert "Về bài thứ hai." in by_address and "Về bài thứ nhất." not in by_address
    by_body = client.get(url, {"q": "thứ nhất"}).text
    assert "Về bài thứ nhất." in by_body and "Về bài thứ hai." not in by_body

    # The date filter's own "Hôm nay" link: from local midnight on.
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = aged(make_comment(body="Từ hôm qua."), days=1, hours=1)
    today = client.get(url, {"created_at__gte": str(midnight)}).text
    assert "Về bài thứ nhất." in today and yesterday.body not in today


def test_history_filters_by_status(client, moderator):
    spam = make_comment(body="Rác quảng cáo.")
    moderate(comment=spam, moderator=moderator, status="spam")
    make_comment(body="Đang chờ.")
    client.force_login(moderator)
    text = client.get(reverse("admin:comments_comment_changelist"), {"status__exact": "spam"}).text
    assert "Rác quảng cáo." in text and "Đang chờ." not in text


# Decisions


@pytest.mark.parametrize(
    ("action", "status", "done"),
    [
        ("approve_comments", "approved", "Đã duyệt 2 ý kiến."),
        ("reject_comments", "rejected", "Đã từ chối 2 ý kiến."),
        ("mark_spam", "spam", "Đã đánh dấu spam 2 ý kiến."),
    ],
)
def test_bulk_actions_decide_and_log(client, moderator, action, status, done):
    article = make_article()
    chosen = [make_comment(article=article), make_comment(article=article)]
    untouched = make_comment(article=article)
    client.force_login(moderator)
    response = client.post(
        reverse(QUEUE),
        {"action": action, "_selected_action": [c.pk for c in chosen]},
        follow=True,
    )
    assert done in response.text
    for comment in chosen:
        comment.refresh_from_db()
        assert comment.status == status
        log = ModerationLog.objects.get(comment=comment)
        assert (log.moderator, log.from_status, log.to_status) == (moderator, "pending", status)
        assert abs(log.at - timezone.now()) < timedelta(minutes=1)
    untouched.refresh_from_db()
    assert untouched.status == Comment.Status.PENDING
    article.refresh_from_db()
    assert article.comment_count == (2 if status == "approved" else 0)


def test_bulk_action_reports_what_did_not_change(client, moderator):
    taken_down = make_comment()
    moderate(comment=taken_down, moderator=moderator, status="approved")
    fresh = make_comment()
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve_comments", "_selected_action": [taken_down.pk, fresh.pk]},
        follow=True,
    )
    assert "Đã duyệt 1 ý kiến." in response.text
    assert "1 ý kiến không đổi" in response.text


@pytest.mark.parametrize("status", ["approved", "rejected", "spam"])
def test_one_click_button_decides_and_returns_to_the_filtered_queue(client, moderator, status):
    article = make_article()
    comment = make_comment(article=article)
    client.force_login(moderator)
    url = f"{decide_url(comment, status)}?_changelist_filters=bai_viet%3D{article.pk}"
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(QUEUE)}?bai_viet={article.pk}"
    comment.refresh_from_db()
    assert comment.status == status
    assert comment.moderated_by == moderator
    log = ModerationLog.objects.get(comment=comment)
    assert (log.moderator, log.to_status) == (moderator, status)
    assert f"Ý kiến của {comment.name}" in client.get(response["Location"]).text


def test_one_click_on_a_comment_already_decided_changes_nothing(client, moderator):
    comment = make_comment()
    moderate(comment=comment, moderator=moderator, status="approved")
    client.force_login(moderator)
    response = client.post(decide_url(comment, "spam"), follow=True)
    assert "không còn chờ duyệt" in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert ModerationLog.objects.count() == 1


def test_one_click_refuses_get_and_unknown_decisions(client, moderator):
    comment = make_comment()
    client.force_login(moderator)
    assert client.get(decide_url(comment, "approved")).status_code == 405
    bad = reverse("admin:comments_pendingcomment_decide", args=[comment.pk, "deleted"])
    assert client.post(bad).status_code == 404
    assert ModerationLog.objects.count() == 0


def test_moderator_with_view_only_cannot_decide(client):
    viewer = make_staff("chixem")
    viewer.user_permissions.add(Permission.objects.get(codename="view_pendingcomment"))
    comment = make_comment()
    client.force_login(viewer)
    assert client.get(reverse(QUEUE)).status_code == 200
    assert client.post(decide_url(comment, "approved")).status_code == 403


def test_banned_terms_are_managed_by_moderators(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("admin:comments_bannedterm_add"),
        {"term": "cá độ", "action": "spam", "note": "Cờ bạc"},
    )
    assert response.status_code == 302
    assert client.get(reverse("admin:comments_bannedterm_changelist")).text.count("cá độ") >= 1


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "dưới 1 phút"),
        (1, "1 phút"),
        (59, "59 phút"),
        (60, "1 giờ"),
        (180, "3 giờ"),
        (24 * 60, "1 ngày"),
        (3 * 24 * 60 + 5, "3 ngày"),
    ],
)
def test_format_wait(minutes, text):
    now = datetime(2024, 7, 27, 8, 0, tzinfo=UTC)
    assert format_wait(now - timedelta(minutes=minutes), now) == text
