"""Several moderators at once: each is handed different pending comments, for a
few minutes, renewed while they work (comments/claims.py and the queue)."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from comments.claims import claim, held_by_others
from comments.models import Comment, CommentReport
from comments.services import moderate
from tests.factories import make_article, make_comment, make_staff, staff_browser
from tests.pages import read

QUEUE = reverse("admin:comments_pendingcomment_changelist")
REPORTED = reverse("admin:comments_reportedcomment_changelist")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serializes every writer); CI runs this on PostgreSQL",
)


def waiting(count: int) -> list[Comment]:
    """``count`` pending comments, oldest first."""
    article = make_article()
    start = timezone.now() - timedelta(hours=2)
    comments = [make_comment(article=article, body=f"Ý kiến số {n}.") for n in range(count)]
    for n, comment in enumerate(comments):
        Comment.objects.filter(pk=comment.pk).update(created_at=start + timedelta(minutes=n))
    return comments


def ids(comments) -> list[int]:
    return [comment.pk for comment in comments]


def shown(response) -> list[int]:
    return [comment.pk for comment in response.context["cl"].result_list]


def said(response) -> str:
    """The page's text as read, spaces collapsed."""
    return re.sub(r"\s+", " ", " ".join(read(response).text))


def token_of(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]


@pytest.fixture
def two(db):
    return make_staff("kiemduyet-an", "Moderators"), make_staff("kiemduyet-binh", "Moderators")


# claim()


def test_two_moderators_are_handed_different_comments_oldest_first(two):
    an, binh = two
    comments = waiting(7)
    now = timezone.now()
    assert claim(an, limit=3, now=now) == ids(comments[:3])
    assert claim(binh, limit=3, now=now) == ids(comments[3:6])
    rows = Comment.objects.order_by("created_at")
    assert [row.claimed_by for row in rows] == [an] * 3 + [binh] * 3 + [None]
    assert {row.claimed_until for row in rows[:6]} == {now + timedelta(minutes=5)}


def test_a_moderators_own_claims_are_renewed_and_come_first(two):
    an, binh = two
    comments = waiting(6)
    start = timezone.now()
    assert claim(binh, limit=2, now=start) == ids(comments[:2])
    assert claim(an, limit=2, now=start + timedelta(minutes=3)) == ids(comments[2:4])
    moderate(comment=comments[4], moderator=binh, status="approved")
    # Binh's claim on the oldest ones has run out; An keeps what An is reading.
    later = start + timedelta(minutes=6)
    assert claim(an, limit=2, now=later) == ids(comments[2:4])
    held = Comment.objects.filter(pk__in=ids(comments[2:4])).values_list("claimed_until")
    assert set(held) == {(later + timedelta(minutes=5),)}
    # A bigger page adds the oldest free one.
    assert claim(an, limit=4, now=later) == [*ids(comments[2:4]), *ids(comments[:2])]


def test_an_expired_claim_hands_the_comments_to_another_moderator(two, settings):
    settings.COMMENTS_CLAIM_MINUTES = 3
    an, binh = two
    comments = waiting(2)
    start = timezone.now()
    claim(an, limit=2, now=start)
    assert claim(binh, limit=2, now=start + timedelta(minutes=2, seconds=59)) == []
    assert claim(binh, limit=2, now=start + timedelta(minutes=3)) == ids(comments)
    assert claim(an, limit=2, now=start + timedelta(minutes=3)) == []


def test_decided_comments_are_never_handed(two):
    an, _ = two
    pending, approved, rejected, spam = waiting(4)
    for comment, status in ((approved, "approved"), (rejected, "rejected"), (spam, "spam")):
        moderate(comment=comment, moderator=an, status=status)
    assert claim(an, limit=10) == [pending.pk]
    moderate(comment=pending, moderator=an, status="approved")
    assert claim(an, limit=10) == []


def test_who_else_is_reading(two, moderator):
    an, binh = two
    waiting(6)
    claim(an, limit=3)
    claim(binh, limit=2)
    assert held_by_others(moderator) == [("kiemduyet-an", 3), ("kiemduyet-binh", 2)]
    assert held_by_others(an) == [("kiemduyet-binh", 2)]
    assert held_by_others(an, now=timezone.now() + timedelta(minutes=6)) == []


# The queue


def test_the_queue_shows_each_moderator_theirs_and_who_reads_the_rest(two, settings):
    an, binh = two
    comments = waiting(60)
    desk_an, desk_binh = staff_browser(an), staff_browser(binh)

    first = desk_an.get(QUEUE)
    assert shown(first) == ids(comments[:50])  # one page of the queue
    assert "có người khác xem" not in said(first)
    second = desk_binh.get(QUEUE)
    assert shown(second) == ids(comments[50:])
    assert "50 ý kiến khác đang có người khác xem (kiemduyet-an: 50)." in said(second)
    assert comments[0].body not in second.text

    # An decides one of Binh's: allowed; Binh's list loses it.
    desk_an.post(
        reverse("admin:comments_pendingcomment_decide", args=[comments[55].pk, "approved"]),
        {"csrfmiddlewaretoken": token_of(first)},
    )
    after = desk_an.get(QUEUE)
    assert shown(after) == ids(comments[:50])  # An's own, renewed, no more
    assert "9 ý kiến khác đang có người khác xem (kiemduyet-binh: 9)." in said(after)
    assert comments[55].pk not in shown(desk_binh.get(QUEUE))


def test_an_absent_moderators_comments_go_to_the_next_after_the_claim(two):
    an, binh = two
    comments = waiting(3)
    staff_browser(an).get(QUEUE)
    desk_binh = staff_browser(binh)
    assert shown(desk_binh.get(QUEUE)) == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1)):
        assert shown(desk_binh.get(QUEUE)) == ids(comments)


def test_search_and_filters_list_every_pending_comment(two):
    an, binh = two
    comments = waiting(3)
    staff_browser(an).get(QUEUE)
    desk = staff_browser(binh)
    assert shown(desk.get(QUEUE, {"q": "Ý kiến số"})) == ids(comments)
    assert shown(desk.get(QUEUE, {"bai_viet": comments[0].article_id})) == ids(comments)
    # What Binh saw filtered is not Binh's: An still holds all three.
    assert held_by_others(an) == []
    assert shown(desk.get(QUEUE)) == []


def test_the_reported_queue_is_not_claimed(two):
    an, binh = two
    hidden = waiting(1)[0]
    CommentReport.objects.create(comment=hidden, reason="spam", reporter="a" * 64)
    staff_browser(an).get(QUEUE)
    assert shown(staff_browser(binh).get(REPORTED)) == [hidden.pk]


def test_a_bulk_action_decides_the_ticked_rows_even_when_claimed_by_another(two):
    an, binh = two
    comments = waiting(2)
    staff_browser(an).get(QUEUE)
    desk = staff_browser(binh)
    page = desk.get(QUEUE, {"q": "Ý kiến"})
    desk.post(
        QUEUE,
        {
            "action": "approve_comments",
            "_selected_action": ids(comments),
            "csrfmiddlewaretoken": token_of(page),
        },
    )
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}


def test_who_cannot_decide_claims_nothing(two):
    an, _ = two
    waiting(2)
    reader = make_staff("xem-thoi")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_pendingcomment", "view_comment"])
    )
    assert len(shown(staff_browser(reader).get(QUEUE))) == 2
    assert Comment.objects.filter(claimed_by__isnull=False).count() == 0
    assert len(shown(staff_browser(an).get(QUEUE))) == 2


@pytest.mark.parametrize("count", [3, 80])
def test_the_claimed_queue_costs_the_same_at_any_size(two, count, django_assert_max_num_queries):
    an, binh = two
    waiting(count)
    staff_browser(binh).get(QUEUE)
    desk = staff_browser(an)
    desk.get(QUEUE)  # session and permission caches warm alike for both sizes
    with django_assert_max_num_queries(13):
        response = desk.get(QUEUE)
    assert response.status_code == 200


# Two moderators at the same moment, on PostgreSQL's row locks


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_moderators_claiming_at_once_get_disjoint_sets_covering_the_queue():
    moderators = [make_staff(f"kiemduyet-{n}", "Moderators") for n in range(2)]
    comments = waiting(10)
    barrier = threading.Barrier(2)
    handed, errors = {}, []

    def open_queue(moderator):
        try:
            barrier.wait(timeout=10)
            handed[moderator.username] = claim(moderator, limit=5)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=open_queue, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    first, second = handed.values()
    assert len(first) == len(second) == 5
    assert not set(first) & set(second)
    assert sorted(first + second) == ids(comments)
    for moderator in moderators:
        assert set(
            Comment.objects.filter(claimed_by=moderator).values_list("pk", flat=True)
        ) == set(handed[moderator.username])


@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_in_progress_does_not_make_the_other_moderator_wait():
    an, binh = make_staff("kiemduyet-an", "Moderators"), make_staff("kiemduyet-binh", "Moderators")
    comments = waiting(4)
    locked, done = threading.Event(), threading.Event()
    held, errors = [], []

    def slow_claim():
        # An's claim has locked its rows and not yet committed.
        try:
            with transaction.atomic():
                held.extend(claim(an, limit=2))
                locked.set()
                done.wait(timeout=30)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_claim)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with transaction.atomic():
            # A wait for An's rows would fail here rather than hang the suite.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            try:
                handed = claim(binh, limit=4)
            except OperationalError as error:
                pytest.fail(f"Binh waited for An's locked rows: {error}")
    finally:
        done.set()
        thread.join(timeout=30)
    assert errors == []
    assert held == ids(comments[:2])
    assert handed == ids(comments[2:])
