"""The workflow: every transition for every group, the log, and what each stores."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import workflow
from articles.models import Article, Transition
from articles.workflow import Action, State
from tests.articles.test_services import seen
from tests.factories import make_article, make_author, make_section, make_staff

# Who may take each action from each state, for an article of their own ("own")
# or a colleague's, in an ordinary section or one where journalists publish.
# Rows: (group, own, journalists_publish) -> the actions allowed from each state.
EVERYTHING = {
    state: set(start_actions)
    for state, start_actions in {
        State.DRAFT: {Action.SUBMIT, Action.PUBLISH, Action.SCHEDULE},
        State.REVIEW: {Action.WITHDRAW, Action.SEND_BACK, Action.PUBLISH, Action.SCHEDULE},
        State.SCHEDULED: {Action.PUBLISH, Action.SCHEDULE, Action.UNSCHEDULE},
        State.PUBLISHED: {Action.UNPUBLISH},
        State.UNPUBLISHED: {Action.REPUBLISH},
    }.items()
}
NOTHING = {state: set() for state in State}
JOURNALIST_OWN = {
    State.DRAFT: {Action.SUBMIT},
    State.REVIEW: {Action.WITHDRAW},
    State.SCHEDULED: set(),
    State.PUBLISHED: set(),
    State.UNPUBLISHED: set(),
}
JOURNALIST_OWN_PUBLISHING = {
    State.DRAFT: {Action.SUBMIT, Action.PUBLISH, Action.SCHEDULE},
    State.REVIEW: {Action.WITHDRAW, Action.PUBLISH, Action.SCHEDULE},
    State.SCHEDULED: {Action.PUBLISH, Action.SCHEDULE, Action.UNSCHEDULE},
    State.PUBLISHED: set(),
    State.UNPUBLISHED: set(),
}
TABLE = [
    # group, own, section lets journalists publish, allowed, may edit in these states
    ("Editors", False, False, EVERYTHING, set(State)),
    ("Editors", True, True, EVERYTHING, set(State)),
    ("Journalists", True, False, JOURNALIST_OWN, {State.DRAFT, State.REVIEW}),
    ("Journalists", True, True, JOURNALIST_OWN_PUBLISHING, {State.DRAFT, State.REVIEW}),
    ("Journalists", False, False, NOTHING, set()),
    ("Journalists", False, True, NOTHING, set()),
    ("Moderators", False, False, NOTHING, set()),
    ("Moderators", True, True, NOTHING, set()),
    ("superuser", False, False, EVERYTHING, set(State)),
]

NOW = timezone.now()
PUBLISHED_AT = {
    State.DRAFT: (Article.Status.DRAFT, NOW - timedelta(hours=1)),
    State.REVIEW: (Article.Status.REVIEW, NOW - timedelta(hours=1)),
    State.SCHEDULED: (Article.Status.PUBLISHED, NOW + timedelta(days=1)),
    State.PUBLISHED: (Article.Status.PUBLISHED, NOW - timedelta(hours=1)),
    State.UNPUBLISHED: (Article.Status.UNPUBLISHED, NOW - timedelta(hours=1)),
}


def article_in(state, *, section, created_by=None):
    status, published_at = PUBLISHED_AT[state]
    article = make_article(section=section, status=status, published_at=published_at)
    Article.objects.filter(pk=article.pk).update(created_by=created_by)
    article.refresh_from_db()
    assert article.publication_state == state
    return article


@pytest.mark.parametrize(("group", "own", "journalists_publish", "allowed", "edits"), TABLE)
def test_the_permission_table(db, group, own, journalists_publish, allowed, edits):
    if group == "superuser":
        user = make_staff("quantri", superuser=True)
    else:
        user = make_staff("nguoi-dung", group)
    section = make_section(journalists_publish=journalists_publish)
    for state in State:
        article = article_in(state, section=section, created_by=user if own else None)
        assert set(workflow.allowed_actions(user, article)) == allowed[state], state
        assert workflow.may_edit(user, article) == (state in edits), state


def test_a_byline_makes_an_article_ones_own(journalist):
    article = make_article(status=Article.Status.DRAFT, authors=[make_author(user=journalist)])
    assert workflow.allowed_actions(journalist, article) == [Action.SUBMIT]
    assert workflow.may_edit(journalist, article)


@pytest.mark.parametrize("action", list(Action))
def test_an_action_not_allowed_is_refused_and_stores_nothing(journalist, action):
    article = make_article(status=Article.Status.DRAFT)  # a colleague's
    with pytest.raises(PermissionDenied):
        workflow.perform(article=article, by=journalist, action=action, note="Ghi chú.")
    article.refresh_from_db()
    assert (article.status, article.version) == (Article.Status.DRAFT, 1)
    assert not Transition.objects.exists()


def test_submit_send_back_resubmit_and_schedule_are_logged(journalist, editor, committed):
    article = make_article(status=Article.Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(created_by=journalist)
    article.refresh_from_db()
    at = timezone.now() + timedelta(hours=2)
    with committed():
        workflow.perform(article=article, by=journalist, action=Action.SUBMIT)
        workflow.perform(
            article=article, by=editor, action=Action.SEND_BACK, note="  Thiếu nguồn ảnh.  "
        )
        workflow.perform(article=article, by=journalist, action=Action.SUBMIT)
        workflow.perform(article=article, by=editor, action=Action.SCHEDULE, at=at)
    article.refresh_from_db()
    assert (article.publication_state, article.published_at) == (State.SCHEDULED, at)
    log = list(
        article.transitions.order_by("id").values_list(
            "by__username", "from_status", "to_status", "action", "note"
        )
    )
    assert log == [
        ("phongvien", "draft", "review", "submit", ""),
        ("bientap", "review", "draft", "send_back", "Thiếu nguồn ảnh."),
        ("phongvien", "draft", "review", "submit", ""),
        ("bientap", "review", "scheduled", "schedule", ""),
    ]


def test_sending_back_needs_a_note(editor):
    article = make_article(status=Article.Status.REVIEW)
    with pytest.raises(ValidationError) as refused:
        workflow.perform(article=article, by=editor, action=Action.SEND_BACK, note="   ")
    assert "vì sao" in refused.value.message_dict["note"][0]
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_publish_makes_a_draft_public_now_and_announces_it(editor, committed):
    draft = make_article(
        status=Article.Status.DRAFT, published_at=timezone.now() - timedelta(days=3)
    )
    with committed() as announced:
        workflow.publish(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.publication_state == State.PUBLISHED
    assert timezone.now() - draft.published_at < timedelta(seconds=5)
    assert draft.updated_by == editor
    assert announced == [seen(draft)]


def test_publish_refuses_a_time_ahead_and_schedule_a_time_past(db):
    draft = make_article(status=Article.Status.DRAFT)
    with pytest.raises(ValidationError) as ahead:
        workflow.publish(article=draft, by=None, at=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError) as past:
        workflow.schedule(article=draft, by=None, at=timezone.now() - timedelta(minutes=1))
    assert "Hẹn giờ" in ahead.value.message_dict["published_at"][0]
    assert "tương lai" in past.value.message_dict["published_at"][0]
    draft.refresh_from_db()
    assert draft.publication_state == State.DRAFT
    assert not Transition.objects.exists()


def test_schedule_a_draft_announces_nothing_until_readers_can_see_it(db, committed):
    draft = make_article(status=Article.Status.DRAFT)
    at = timezone.now() + timedelta(days=1)
    with committed() as announced:
        workflow.schedule(article=draft, by=None, at=at)
    draft.refresh_from_db()
    assert (draft.publication_state, draft.published_at) == (State.SCHEDULED, at)
    assert announced == []


def test_unpublish_takes_the_article_down_and_republish_keeps_its_time(db, committed):
    article = make_article(published_at=timezone.now() - timedelta(days=2))
    published_at = article.published_at
    with committed() as announced:
        workflow.unpublish(article=article, by=None)
    article.refresh_from_db()
    assert article.publication_state == State.UNPUBLISHED
    assert announced == [seen(article)]
    assert not Article.objects.published().exists()

    with committed() as announced:
        workflow.perform(article=article, by=None, action=Action.REPUBLISH)
    article.refresh_from_db()
    assert (article.publication_state, article.published_at) == (State.PUBLISHED, published_at)
    assert announced == [seen(article)]
