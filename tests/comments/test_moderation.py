"""moderate(): transitions, the log, the article's count, the readers' cache, concurrency."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from articles.models import Article
from comments.models import Comment, ModerationLog
from comments.services import moderate
from tests.factories import make_article, make_comment, make_staff

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def count_of(article) -> int:
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


@pytest.mark.django_db
def test_approval_writes_who_when_the_log_line_and_the_count(moderator):
    comment = make_comment()
    assert moderate(comment=comment, moderator=moderator, status="approved", reason="Lịch sự")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    assert comment.moderated_at is not None
    log = ModerationLog.objects.get()
    assert (log.comment, log.moderator, log.from_status, log.to_status, log.reason) == (
        comment,
        moderator,
        "pending",
        "approved",
        "Lịch sự",
    )
    assert log.at is not None
    assert count_of(comment.article) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "decision", "changes"),
    [
        ("pending", "approved", True),
        ("pending", "rejected", True),
        ("pending", "spam", True),
        ("pending", "pending", False),
        ("approved", "rejected", True),
        ("approved", "spam", True),
        ("approved", "approved", False),
        # Every decision can be taken back (Khôi phục, Hoàn tác).
        ("approved", "pending", True),
        ("rejected", "approved", True),
        ("rejected", "pending", True),
        ("rejected", "spam", True),
        ("rejected", "rejected", False),
        ("spam", "approved", True),
        ("spam", "pending", True),
        ("spam", "rejected", True),
        ("spam", "spam", False),
    ],
)
def test_transitions(moderator, start, decision, changes):
    comment = make_comment(status=start)
    before = ModerationLog.objects.count()
    assert moderate(comment=comment, moderator=moderator, status=decision) is changes
    comment.refresh_from_db()
    assert comment.status == (decision if changes else start)
    assert ModerationLog.objects.count() == before + int(changes)
    if not changes:
        assert comment.moderated_by is None


@pytest.mark.django_db
def test_unknown_status_is_a_programming_error(moderator):
    with pytest.raises(ValueError):
        moderate(comment=make_comment(), moderator=moderator, status="deleted")


@pytest.mark.django_db
def test_taking_down_an_approved_comment_lowers_the_count(moderator):
    article = make_article()
    first, second = make_comment(article=article), make_comment(article=article)
    moderate(comment=first, moderator=moderator, status="approved")
    moderate(comment=second, moderator=moderator, status="approved")
    assert count_of(article) == 2
    moderate(comment=first, moderator=moderator, status="spam")
    assert count_of(article) == 1
    moderate(comment=make_comment(article=article), moderator=moderator, status="rejected")
    assert count_of(article) == 1


@pytest.mark.django_db
def test_a_decision_on_a_stale_copy_writes_nothing(moderator):
    """The moderator decided on what they saw; someone else decided first."""
    other = make_staff("kiemduyet2", "Moderators")
    comment = make_comment()
    seen_by_first = Comment.objects.get(pk=comment.pk)
    assert moderate(comment=comment, moderator=other, status="approved")
    assert not moderate(comment=seen_by_first, moderator=moderator, status="rejected")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == other
    assert ModerationLog.objects.count() == 1


@pytest.mark.django_db
def test_a_drifted_count_never_makes_a_decision_fail(moderator):
    # Written around the service (shell, bulk import): the count says 0.
    comment = make_comment(status=Comment.Status.APPROVED)
    assert moderate(comment=comment, moderator=moderator, status="rejected")
    assert count_of(comment.article) == 0


@pytest.mark.django_db
def test_nothing_is_deleted_and_the_log_is_append_only(moderator):
    comment = make_comment()
    moderate(comment=comment, moderator=moderator, status="spam")
    log = ModerationLog.objects.get()
    with pytest.raises(ValueError):
        log.save()
    with pytest.raises(ValueError):
        log.delete()
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.django_db
def test_approval_refreshes_the_cached_list_after_commit(
    client, moderator, django_capture_on_commit_callbacks
):
    article = make_article()
    url = reverse("comments:list", args=[article.pk])
    shown = make_comment(article=article, body="Đã hiện từ trước.")
    with django_capture_on_commit_callbacks(execute=True):
        moderate(comment=shown, moderator=moderator, status="approved")
    assert "Đã hiện từ trước." in client.get(url, **SCRIPT).text  # now cached

    fresh = make_comment(article=article, body="Vừa được duyệt.")
    # The list is served from the cache: a row changed behind the service's
    # back does not show...
    Comment.objects.filter(pk=fresh.pk).update(status=Comment.Status.APPROVED)
    assert "Vừa được duyệt." not in client.get(url, **SCRIPT).text
    Comment.objects.filter(pk=fresh.pk).update(status=Comment.Status.PENDING)

    # ...until a decision commits and refreshes it.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        moderate(comment=fresh, moderator=moderator, status="approved")
    assert len(callbacks) == 1
    response = client.get(url, **SCRIPT)
    assert "Vừa được duyệt." in response.text
    assert "Ý kiến (2)" in response.text


@pytest.mark.django_db
def test_no_refresh_when_readers_see_no_change(moderator, django_capture_on_commit_callbacks):
    comment = make_comment()
    with django_capture_on_commit_callbacks() as callbacks:
        moderate(comment=comment, moderator=moderator, status="spam")
    assert callbacks == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serializes every writer); CI runs this on PostgreSQL",
)
# serialized_rollback: the test starts from the migrated data (staff groups
# included) even after an earlier transactional test flushed the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("decisions", [("approved", "approved"), ("approved", "rejected")])
def test_two_moderators_at_once_make_exactly_one_transition_from_pending(decisions):
    first = make_staff("kiemduyet-a", "Moderators")
    second = make_staff("kiemduyet-b", "Moderators")
    comment = make_comment()
    barrier = threading.Barrier(2)
    results, errors = {}, []

    def decide(moderator, status):
        try:
            seen = Comment.objects.get(pk=comment.pk)  # both see it pending
            barrier.wait(timeout=10)
            results[moderator.username] = moderate(comment=seen, moderator=moderator, status=status)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(moderator, status))
        for moderator, status in zip((first, second), decisions, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results.values()) == [False, True]
    logs = ModerationLog.objects.filter(comment=comment)
    assert logs.count() == 1
    assert logs.get().from_status == "pending"
    comment.refresh_from_db()
    winner = next(name for name, changed in results.items() if changed)
    assert comment.moderated_by.username == winner
    expected_count = int(comment.status == Comment.Status.APPROVED)
    assert count_of(comment.article) == expected_count
