"""A commenter's history: every comment from the same e-mail or address, and one
click to reject everything of theirs still waiting."""

import re

import pytest
from django.urls import reverse

from comments.models import Comment
from comments.services import moderate
from tests.factories import make_article, make_comment, staff_browser

pytestmark = pytest.mark.django_db

HISTORY = reverse("admin:comments_comment_changelist")


def listed(page) -> set[int]:
    return {comment.pk for comment in page.context["cl"].result_list}


def test_one_click_from_the_queue_lists_the_commenters_comments(moderator):
    article = make_article()
    first = make_comment(article=article, email="Khach@Example.vn", ip_address="203.0.113.5")
    same_email = make_comment(article=article, email="khach@example.vn", ip_address="198.51.100.1")
    same_address = make_comment(article=article, email="", ip_address="203.0.113.5")
    stranger = make_comment(article=article, email="khac@example.vn", ip_address="192.0.2.9")
    moderate(comment=same_address, moderator=moderator, status="spam")
    desk = staff_browser(moderator)

    queue = desk.get(reverse("admin:comments_pendingcomment_changelist"))
    link = f"{HISTORY}?nguoi_gui={first.pk}"
    assert f'href="{link}"' in queue.text

    page = desk.get(link)
    assert listed(page) == {first.pk, same_email.pk, same_address.pk}
    assert stranger.pk not in listed(page)
    assert (
        "Mọi ý kiến của" in page.text and "2 ý kiến của người gửi này đang chờ duyệt" in page.text
    )


def test_reject_everything_pending_from_the_commenter(moderator):
    article = make_article()
    first = make_comment(article=article, email="spam@example.vn")
    second = make_comment(article=article, email="spam@example.vn")
    approved = make_comment(article=article, email="spam@example.vn")
    moderate(comment=approved, moderator=moderator, status="approved")
    other = make_comment(article=article, email="ban@example.vn", ip_address="192.0.2.1")
    desk = staff_browser(moderator)
    page = desk.get(f"{HISTORY}?nguoi_gui={first.pk}")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]

    url = reverse("admin:comments_comment_reject_commenter", args=[first.pk])
    assert desk.post(url).status_code == 403  # no token
    response = desk.post(url, {"csrfmiddlewaretoken": token}, follow=True)

    assert "Đã từ chối 2 ý kiến đang chờ của người gửi này." in response.text
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[first.pk] == statuses[second.pk] == "rejected"
    assert statuses[approved.pk] == "approved"
    assert statuses[other.pk] == "pending"
    assert first.moderation_logs.get().moderator == moderator


def test_a_bad_commenter_id_lists_nothing(moderator):
    page = staff_browser(moderator).get(f"{HISTORY}?nguoi_gui=%C2%B2")
    assert page.status_code == 200
    assert listed(page) == set()
