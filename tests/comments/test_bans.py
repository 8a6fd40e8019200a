"""Bans by e-mail or address until an end time: the banned commenter's posts are
stored as spam, logged, and answered as anyone's."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommenterBan, ModerationLog
from tests.factories import make_article, make_comment, staff_browser

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) Chrome/126 Mobile"


def post_as_reader(article, *, email="", address="203.0.113.50", body="Ý kiến của tôi."):
    from django.test import Client

    # From the article page: no token, the origin is this site's (comments:post checks it).
    reader = Client(
        enforce_csrf_checks=True,
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=address,
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    return reader.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Bạn đọc", "email": email, "body": body},
        REMOTE_ADDR=address,
    )


def test_a_banned_address_posts_as_usual_and_is_stored_as_spam(moderator):
    article = make_article()
    CommenterBan.objects.create(ip_address="203.0.113.50", reason="Quảng cáo nhiều lần")
    banned = post_as_reader(article, body="Mua hàng giá rẻ tại đây.")
    free = post_as_reader(article, address="198.51.100.7", body="Bài viết rất hữu ích.")

    assert banned.status_code == free.status_code  # answered as anyone is
    stored = Comment.objects.get(body="Mua hàng giá rẻ tại đây.")
    assert stored.status == Comment.Status.SPAM
    log = ModerationLog.objects.get(comment=stored)
    assert (log.moderator, log.to_status) == (None, "spam")
    assert Comment.objects.get(body="Bài viết rất hữu ích.").status == "pending"
    queue = staff_browser(moderator).get(reverse("admin:comments_comment_change", args=[stored.pk]))
    assert "Người gửi đang bị chặn" in queue.text


def test_a_ban_by_email_ignores_case_and_ends_on_time():
    article = make_article()
    CommenterBan.objects.create(
        email="Spam@Example.vn", ends_at=timezone.now() + timedelta(minutes=5)
    )
    post_as_reader(article, email="spam@example.vn", body="Lần một.")
    assert Comment.objects.get(body="Lần một.").status == "spam"

    CommenterBan.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    post_as_reader(article, email="spam@example.vn", body="Lần hai.")
    assert Comment.objects.get(body="Lần hai.").status == "pending"


def test_a_moderator_bans_from_the_commenters_history(moderator):
    comment = make_comment(email="khach@example.vn", ip_address="192.0.2.44")
    desk = staff_browser(moderator)
    history = desk.get(f"{reverse('admin:comments_comment_changelist')}?nguoi_gui={comment.pk}")
    link = re.search(r'href="([^"]*commenterban/add/\?[^"]*)"', history.text)[1]
    link = link.replace("&amp;", "&")

    form = desk.get(link)
    assert 'value="khach@example.vn"' in form.text and 'value="192.0.2.44"' in form.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)[1]
    saved = desk.post(
        link,
        {
            "email": "khach@example.vn",
            "ip_address": "192.0.2.44",
            "ends_at_0": "",
            "ends_at_1": "",
            "reason": "Xúc phạm nhiều lần",
            "csrfmiddlewaretoken": token,
            "_save": "Lưu",
        },
    )
    assert saved.status_code == 302
    ban = CommenterBan.objects.get()
    assert ban.created_by == moderator and ban.ends_at is None


def test_a_ban_names_someone(moderator):
    desk = staff_browser(moderator)
    url = reverse("admin:comments_commenterban_add")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', desk.get(url).text)[1]
    refused = desk.post(url, {"email": "", "ip_address": "", "csrfmiddlewaretoken": token})
    assert refused.status_code == 200
    assert "Hãy nhập e-mail hoặc địa chỉ IP" in refused.text
    assert not CommenterBan.objects.exists()
