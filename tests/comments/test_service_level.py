"""The moderation desk's service level: the queue's size and oldest wait on the
admin index, and decisions per moderator per day with the median wait."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from comments.models import Comment
from comments.services import moderate
from tests.factories import make_article, make_comment, make_staff, staff_browser

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam


def test_the_index_shows_the_queue_and_its_oldest_wait(moderator):
    article = make_article()
    with time_machine.travel(MORNING, tick=False):
        make_comment(article=article)
    with time_machine.travel(MORNING + timedelta(hours=1), tick=False):
        make_comment(article=article)
    with time_machine.travel(MORNING + timedelta(hours=3, minutes=10), tick=False):
        page = staff_browser(moderator).get(reverse("admin:index"))
    text = " ".join(re.sub(r"<[^>]+>", " ", page.text).split()).replace(" ,", ",")
    assert "2 ý kiến đang chờ duyệt, lâu nhất đã chờ 3 giờ" in text
    assert "Hiệu suất duyệt" in text


def test_decisions_per_moderator_per_day_and_the_median_wait(moderator):
    other = make_staff("kiemduyet2", "Moderators")
    article = make_article()
    with time_machine.travel(MORNING, tick=False):
        waiting = [make_comment(article=article) for _ in range(3)]
    for minutes, (comment, who, status) in zip(
        (10, 30, 50),
        [
            (waiting[0], moderator, "approved"),
            (waiting[1], moderator, "rejected"),
            (waiting[2], other, "spam"),
        ],
        strict=True,
    ):
        with time_machine.travel(MORNING + timedelta(minutes=minutes), tick=False):
            assert moderate(comment=comment, moderator=who, status=status)
    with time_machine.travel(MORNING + timedelta(minutes=60), tick=False):
        # Taken back: a decision, but not the first one a reader waited for.
        fresh = Comment.objects.get(pk=waiting[2].pk)
        assert moderate(comment=fresh, moderator=moderator, status="approved")
        page = staff_browser(moderator).get(reverse("admin:comments_moderationlog_service_level"))

    assert page.status_code == 200
    rows = page.context["days"]
    assert len(rows) == 1
    day, counts = rows[0]
    assert day.day.isoformat() == "2026-11-30"
    assert dict(zip(page.context["moderators"], counts, strict=True)) == {
        "kiemduyet": 3,
        "kiemduyet2": 1,
    }
    assert day.median_wait == "30 phút"
    assert "30 phút" in page.text


def test_the_page_is_for_those_who_read_the_log(journalist):
    url = reverse("admin:comments_moderationlog_service_level")
    assert staff_browser(journalist).get(url).status_code == 403
