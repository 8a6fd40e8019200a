"""The newsroom's workflow: who may move an article from one state to another.

Journalists write, submit for review (Gửi duyệt) and edit their own articles
while they are drafts or in review; they publish or schedule directly only in
a section marked ``journalists_publish``. Editors (the ``publish_article``
permission) approve and publish or schedule, send back with a note (Trả lại),
edit everything, take down (Gỡ bài) and republish. ``by=None`` is the site's
own tools (seeds, tests' factories): no permission applies.

Each transition is stored with the article's other changes in one
transaction (articles/services.py ``save_article``, with its version check)
and logged as a ``Transition``: who, when, from, to and the note.
"""

import copy
from collections.abc import Callable, Iterable
from datetime import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from .models import Article, Byline, PublicationState, Section, Transition, state_of
from .services import save_article

State = PublicationState

SCHEDULE_IN_PAST = "Giờ hẹn đăng phải ở tương lai; muốn đăng ngay thì chọn “Xuất bản”."
PUBLISH_IN_FUTURE = "Giờ xuất bản ở tương lai là hẹn giờ đăng: hãy chọn “Hẹn giờ”."
NOTE_REQUIRED = "Hãy ghi cho phóng viên biết vì sao bài được trả lại và cần sửa gì."
NOT_ALLOWED = "Bạn không có quyền thực hiện thao tác này với bài viết ở trạng thái hiện tại."


class Action(models.TextChoices):
    SUBMIT = "submit", "Gửi duyệt"
    WITHDRAW = "withdraw", "Rút về nháp"
    SEND_BACK = "send_back", "Trả lại"
    PUBLISH = "publish", "Xuất bản"
    SCHEDULE = "schedule", "Hẹn giờ"
    UNSCHEDULE = "unschedule", "Huỷ hẹn giờ"
    UNPUBLISH = "unpublish", "Gỡ bài"
    REPUBLISH = "republish", "Xuất bản lại"


# What the admin says once an action is done ({title}; {at}: the publication time).
DONE = {
    Action.SUBMIT: "Đã gửi duyệt bài “{title}”: biên tập viên sẽ xem và duyệt.",
    Action.WITHDRAW: "Đã rút bài “{title}” về bản nháp.",
    Action.SEND_BACK: "Đã trả lại bài “{title}” cho phóng viên, kèm ghi chú.",
    Action.PUBLISH: "Đã xuất bản bài “{title}”: bạn đọc đã thấy bài.",
    Action.SCHEDULE: "Đã hẹn giờ bài “{title}”: bạn đọc sẽ thấy bài từ {at}.",
    Action.UNSCHEDULE: "Đã huỷ hẹn giờ bài “{title}”: bài về bản nháp.",
    Action.UNPUBLISH: "Đã gỡ bài “{title}”: địa chỉ của bài báo cho bạn đọc bài đã được gỡ.",
    Action.REPUBLISH: "Đã xuất bản lại bài “{title}”.",
}

# Action: the states it starts from, and the status it stores.
TRANSITIONS: dict[Action, tuple[frozenset[State], str]] = {
    Action.SUBMIT: (frozenset({State.DRAFT}), Article.Status.REVIEW),
    Action.WITHDRAW: (frozenset({State.REVIEW}), Article.Status.DRAFT),
    Action.SEND_BACK: (frozenset({State.REVIEW}), Article.Status.DRAFT),
    Action.PUBLISH: (
        frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED}),
        Article.Status.PUBLISHED,
    ),
    Action.SCHEDULE: (
        frozenset({State.DRAFT, State.REVIEW, State.SCHEDULED}),
        Article.Status.PUBLISHED,
    ),
    Action.UNSCHEDULE: (frozenset({State.SCHEDULED}), Article.Status.DRAFT),
    Action.UNPUBLISH: (frozenset({State.PUBLISHED}), Article.Status.UNPUBLISHED),
    Action.REPUBLISH: (frozenset({State.UNPUBLISHED}), Article.Status.PUBLISHED),
}

# What a journalist may do with their own article; PUBLISHING only where the
# section lets journalists publish. Editors may do everything.
AUTHOR_ACTIONS = frozenset({Action.SUBMIT, Action.WITHDRAW})
PUBLISHING = frozenset({Action.PUBLISH, Action.SCHEDULE, Action.UNSCHEDULE})
# The states in which a journalist edits their own article.
AUTHOR_EDITS = frozenset({State.DRAFT, State.REVIEW})


def is_editor(user: AbstractBaseUser) -> bool:
    return user.is_active and user.has_perm("articles.publish_article")


def is_own(user: AbstractBaseUser, article: Article) -> bool:
    """Written by ``user``: they created it, or their byline is on it."""
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return Byline.objects.filter(article_id=article.pk, author__user=user).exists()


def stored_state(article: Article) -> State:
    """The state the article is in as stored (a form may have changed the
    instance's time): a new article is a draft."""
    if article.pk is None:
        return State.DRAFT
    status, published_at = (
        Article.objects.filter(pk=article.pk).values_list("status", "published_at").get()
    )
    return state_of(status, published_at, timezone.now())


def may_edit(user: AbstractBaseUser, article: Article, state: State | None = None) -> bool:
    if is_editor(user):
        return True
    if article.pk is None:
        return user.has_perm("articles.add_article")
    state = stored_state(article) if state is None else state
    return (
        user.has_perm("articles.change_article") and state in AUTHOR_EDITS and is_own(user, article)
    )


def allowed_actions(
    user: AbstractBaseUser | None, article: Article, state: State | None = None
) -> list[Action]:
    """What ``user`` may do with ``article`` from its stored state, in the table's order."""
    state = stored_state(article) if state is None else state
    possible = [action for action, (start, _) in TRANSITIONS.items() if state in start]
    if user is None or is_editor(user):
        return possible
    if not user.has_perm("articles.change_article") or not is_own(user, article):
        return []
    mine = set(AUTHOR_ACTIONS)
    if article.section_id is not None and article.section.journalists_publish:
        mine |= PUBLISHING
    return [action for action in possible if action in mine]


def offered_actions(
    user: AbstractBaseUser, article: Article, state: State | None = None
) -> list[tuple[Action, tuple[int, ...]]]:
    """The buttons an article's form offers ``user``: each action with the
    sections it needs, or ``()`` when any will do. A journalist's publishing
    depends on the section the form chooses: those actions name the sections
    that let journalists publish, and the form shows them only there."""
    state = stored_state(article) if state is None else state
    if is_editor(user):
        return [(action, ()) for action in allowed_actions(user, article, state)]
    sections = tuple(Section.objects.filter(journalists_publish=True).values_list("pk", flat=True))
    if not sections:
        return [(action, ()) for action in allowed_actions(user, article, state)]
    probe = copy.copy(article)
    probe.section = Section(pk=sections[0], journalists_publish=True)
    return [
        (action, sections if action in PUBLISHING else ())
        for action in allowed_actions(user, probe, state)
    ]


def check(
    *,
    article: Article,
    by: AbstractBaseUser | None,
    action: Action | str,
    note: str = "",
    at: datetime | None = None,
    state: State | None = None,
) -> datetime:
    """The publication time ``action`` gives ``article``, if ``by`` may take it.

    ``at``: the publication time (required to schedule; to publish, a time
    already past, else now). ``note``: why (required to send back). Raises
    PermissionDenied when ``by`` may not, ValidationError for a missing note
    or a time on the wrong side of now. The admin's form asks this first, to
    show the refusal beside the fields; ``perform`` asks again under a lock.
    """
    action = Action(action)
    now = timezone.now()
    if action not in allowed_actions(by, article, state):
        raise PermissionDenied(NOT_ALLOWED)
    if action == Action.SEND_BACK and not note.strip():
        raise ValidationError({"note": NOTE_REQUIRED}, code="note_required")
    if action == Action.PUBLISH:
        if at is not None and at > now:
            raise ValidationError({"published_at": PUBLISH_IN_FUTURE}, code="in_future")
        return at or now
    if action == Action.SCHEDULE:
        if at is None or at <= now:
            raise ValidationError({"published_at": SCHEDULE_IN_PAST}, code="in_past")
        return at
    return article.published_at


def perform(
    *,
    article: Article,
    by: AbstractBaseUser | None,
    action: Action | str,
    note: str = "",
    at: datetime | None = None,
    related: Callable[[], None] | None = None,
    update_fields: Iterable[str] | None = None,
    expected_version: int | None = None,
) -> Transition:
    """Move ``article`` by ``action`` (see ``check``), storing its other changes
    in memory too, and log it. Raises what ``check`` raises, and EditConflict."""
    action = Action(action)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(action.label)
        if article.pk is not None:
            # Locked: two editors deciding at once decide one after the other.
            Article.objects.select_for_update().filter(pk=article.pk).exists()
        state = stored_state(article)
        published_at = check(article=article, by=by, action=action, note=note, at=at, state=state)
        _, article.status = TRANSITIONS[action]
        article.published_at = published_at
        # The revision is dated after the time it gives: "published now" reads as published.
        reversion.set_date_created(timezone.now())
        if update_fields is not None:
            update_fields = {*update_fields, "status", "published_at"}
        save_article(
            article=article,
            by=by,
            related=related,
            update_fields=update_fields,
            expected_version=expected_version,
        )
        return Transition.objects.create(
            article=article,
            by=by,
            from_status=state,
            to_status=article.publication_state,
            action=action,
            note=note.strip(),
        )


def last_note(article: Article) -> Transition | None:
    """The editor's last word on a draft sent back, while it is still a draft."""
    if article.pk is None or article.status != Article.Status.DRAFT:
        return None
    last = article.transitions.select_related("by").first()
    return last if last is not None and last.action == Action.SEND_BACK else None


# The site's own tools and the tests move articles with these; ``by`` is
# checked like anyone's when given.


def publish(*, article: Article, by: AbstractBaseUser | None, at: datetime | None = None):
    """Readers see ``article`` from now, or from ``at``, a time already past."""
    return perform(article=article, by=by, action=Action.PUBLISH, at=at, update_fields=())


def schedule(*, article: Article, by: AbstractBaseUser | None, at: datetime):
    """Readers see ``article`` from ``at``, a time still ahead; until then, nobody."""
    return perform(article=article, by=by, action=Action.SCHEDULE, at=at, update_fields=())


def unpublish(*, article: Article, by: AbstractBaseUser | None):
    """Readers no longer see ``article``: its page answers 410, it leaves every list."""
    return perform(article=article, by=by, action=Action.UNPUBLISH, update_fields=())
