"""Who may do what, as one table: five roles against every admin page and action that matters.

Each row is an action and the status code each role gets; a row that changes
something also says whether the change happened, so a 302 that did nothing (or a
403 that changed something anyway) fails too.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from comments.models import BannedTerm, Comment, ModerationLog
from comments.services import moderate
from tests.articles.test_images import image_bytes
from tests.factories import make_article, make_comment, make_staff

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "journalist", "editor", "moderator", "superuser")
LOGIN = "login"  # anonymous: redirected to the admin login page, nothing else


@dataclass
class World:
    article: Article
    comment: Comment
    log: ModerationLog
    term: BannedTerm
    user_pk: int


@dataclass
class Row:
    request: Callable  # (client, world) -> response
    statuses: tuple  # one per role, in ROLES order
    changed: Callable | None = None  # (world) -> bool: did the action take effect?
    allowed: tuple = ()  # roles for which the change must happen


def get(name, *args):
    return lambda client, w: client.get(reverse(name, args=[a(w) for a in args]))


ARTICLE = lambda w: w.article.pk  # noqa: E731
COMMENT = lambda w: w.comment.pk  # noqa: E731
LOG = lambda w: w.log.pk  # noqa: E731
TERM = lambda w: w.term.pk  # noqa: E731
USER = lambda w: w.user_pk  # noqa: E731


def upload(client, w):
    client.cookies["ckCsrfToken"] = "t" * 32
    image = SimpleUploadedFile("anh.jpg", image_bytes(), "image/jpeg")
    return client.post(reverse("ckeditor_upload"), {"upload": image, "ckCsrfToken": "t" * 32})


def delete_article(client, w):
    return client.post(reverse("admin:articles_article_delete", args=[w.article.pk]), {"post": "1"})


def change_article(client, w):
    url = reverse("admin:articles_article_change", args=[w.article.pk])
    return client.post(url, {"title": "Đã sửa"})  # incomplete form: never saved


def queue_action(client, w):
    return client.post(
        reverse("admin:comments_pendingcomment_changelist"),
        {"action": "approve_comments", "_selected_action": [w.comment.pk]},
    )


def one_click(client, w):
    url = reverse("admin:comments_pendingcomment_decide", args=[w.comment.pk, "approved"])
    return client.post(url)


def delete_comment(client, w):
    return client.post(reverse("admin:comments_comment_delete", args=[w.comment.pk]), {"post": "1"})


def delete_log(client, w):
    url = reverse("admin:comments_moderationlog_delete", args=[w.log.pk])
    return client.post(url, {"post": "1"})


def add_term(client, w):
    return client.post(
        reverse("admin:comments_bannedterm_add"), {"term": "cờ bạc", "action": "spam", "note": ""}
    )


def add_user(client, w):
    return client.post(
        reverse("admin:auth_user_add"),
        {"username": "moi", "password1": "Mk-dai-hon-8", "password2": "Mk-dai-hon-8"},
    )


def approved(w):
    return Comment.objects.get(pk=w.comment.pk).status == Comment.Status.APPROVED


# anonymous, journalist, editor, moderator, superuser
TABLE = {
    "article list": Row(get("admin:articles_article_changelist"), (LOGIN, 200, 200, 403, 200)),
    "article add page": Row(get("admin:articles_article_add"), (LOGIN, 200, 200, 403, 200)),
    "article change page": Row(
        get("admin:articles_article_change", ARTICLE), (LOGIN, 200, 200, 403, 200)
    ),
    "article change post": Row(
        change_article,
        # 200: the form again, with its errors; 403: a journalist's colleague's
        # published article opens read-only (articles/workflow.py may_edit).
        (LOGIN, 403, 200, 403, 200),
        changed=lambda w: Article.objects.get(pk=w.article.pk).title == "Đã sửa",
    ),
    "article delete page": Row(
        get("admin:articles_article_delete", ARTICLE), (LOGIN, 403, 200, 403, 200)
    ),
    "article delete": Row(
        delete_article,
        (LOGIN, 403, 302, 403, 302),
        changed=lambda w: not Article.objects.filter(pk=w.article.pk).exists(),
        allowed=("editor", "superuser"),
    ),
    "editor image upload": Row(upload, (LOGIN, 200, 200, 403, 200)),
    "editor image browse": Row(get("ckeditor_browse"), (LOGIN, 200, 200, 403, 200)),
    "comment queue": Row(
        get("admin:comments_pendingcomment_changelist"), (LOGIN, 403, 403, 200, 200)
    ),
    "comment history": Row(get("admin:comments_comment_changelist"), (LOGIN, 403, 403, 200, 200)),
    "comment page": Row(get("admin:comments_comment_change", COMMENT), (LOGIN, 403, 403, 200, 200)),
    "queue action approve": Row(
        queue_action,
        (LOGIN, 403, 403, 302, 302),
        changed=approved,
        allowed=("moderator", "superuser"),
    ),
    "one-click approve": Row(
        one_click, (LOGIN, 403, 403, 302, 302), changed=approved, allowed=("moderator", "superuser")
    ),
    "comment add page": Row(get("admin:comments_comment_add"), (LOGIN, 403, 403, 403, 403)),
    "comment delete": Row(
        delete_comment,
        (LOGIN, 403, 403, 403, 403),
        changed=lambda w: not Comment.objects.filter(pk=w.comment.pk).exists(),
    ),
    "moderation log": Row(
        get("admin:comments_moderationlog_changelist"), (LOGIN, 403, 403, 200, 200)
    ),
    "moderation log delete": Row(
        delete_log,
        (LOGIN, 403, 403, 403, 403),
        changed=lambda w: not ModerationLog.objects.filter(pk=w.log.pk).exists(),
    ),
    "banned terms": Row(get("admin:comments_bannedterm_changelist"), (LOGIN, 403, 403, 200, 200)),
    "banned term page": Row(
        get("admin:comments_bannedterm_change", TERM), (LOGIN, 403, 403, 200, 200)
    ),
    "banned term add": Row(
        add_term,
        (LOGIN, 403, 403, 302, 302),
        changed=lambda w: BannedTerm.objects.filter(term="cờ bạc").exists(),
        allowed=("moderator", "superuser"),
    ),
    "users": Row(get("admin:auth_user_changelist"), (LOGIN, 403, 403, 403, 200)),
    "user page": Row(get("admin:auth_user_change", USER), (LOGIN, 403, 403, 403, 200)),
    "user add": Row(
        add_user,
        (LOGIN, 403, 403, 403, 302),
        changed=lambda w: User.objects.filter(username="moi").exists(),
        allowed=("superuser",),
    ),
    "groups": Row(get("admin:auth_group_changelist"), (LOGIN, 403, 403, 403, 200)),
    "login attempts": Row(get("admin:axes_accessattempt_changelist"), (LOGIN, 403, 403, 403, 200)),
}

CASES = [
    pytest.param(action, role, row.statuses[i], id=f"{action}-{role}")
    for action, row in TABLE.items()
    for i, role in enumerate(ROLES)
]


def log_in(client, role):
    if role == "anonymous":
        return
    if role == "superuser":
        user = make_staff("quantri", superuser=True)
    else:
        group = {"journalist": "Journalists", "editor": "Editors", "moderator": "Moderators"}
        user = make_staff(role, group[role])
    client.force_login(user)


def make_world() -> World:
    article = make_article()
    pending = make_comment(article=article)
    decided = make_comment(article=article)
    moderate(comment=decided, moderator=None, status="rejected")
    # The article to delete has no comments: PROTECT (tests/articles/test_protect.py)
    # must not mask a missing permission here.
    bare = make_article()
    return World(
        article=bare,
        comment=pending,
        log=ModerationLog.objects.get(comment=decided),
        term=BannedTerm.objects.create(term="lừa đảo"),
        user_pk=make_staff("nguoi-khac").pk,
    )


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_permission_table(client, action, role, expected):
    row = TABLE[action]
    world = make_world()
    log_in(client, role)

    response = row.request(client, world)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    else:
        assert response.status_code == expected
    if row.changed is not None:
        assert row.changed(world) is (role in row.allowed)


def test_the_table_covers_every_role_for_every_action():
    assert all(len(row.statuses) == len(ROLES) for row in TABLE.values())
