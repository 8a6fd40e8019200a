"""Small factories for tests: plain functions with sensible Vietnamese defaults."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.test import Client, TestCase
from django.utils import timezone

from articles.models import Article, Author, Byline, Section
from articles.services import save_article
from comments.models import Comment

_seq = itertools.count(1)


def make_section(**kw) -> Section:
    n = next(_seq)
    kw.setdefault("name", f"Thời sự {n}")
    kw.setdefault("position", n)
    return Section.objects.create(**kw)


def make_author(**kw) -> Author:
    kw.setdefault("name", f"Nguyễn Văn {next(_seq)}")
    return Author.objects.create(**kw)


def make_article(*, authors=None, **kw) -> Article:
    """A published article (published a minute ago) unless told otherwise.

    Written as the newsroom writes one (articles/services.py), and what follows
    the commit (renditions, search data, the announcement) is done before it is
    returned, inside a test's transaction too."""
    n = next(_seq)
    kw.setdefault("section", kw.get("section") or make_section())
    kw.setdefault("title", f"Đồng Tháp khởi công tuyến đường ven sông số {n}")
    kw.setdefault("sapo", "Tuyến đường dài 12 km giúp người dân đi lại thuận tiện hơn.")
    kw.setdefault("body", "<p>Nội dung bài viết.</p>")
    kw.setdefault("status", Article.Status.PUBLISHED)
    kw.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    kw.setdefault("location", "Cao Lãnh")
    article = Article(**kw)
    authors = authors if authors is not None else [make_author()]

    def bylines():
        for position, author in enumerate(authors):
            Byline.objects.create(article=article, author=author, position=position)

    with TestCase.captureOnCommitCallbacks(execute=True):
        save_article(article=article, by=None, related=bylines)
    return article


def make_comment(*, article=None, **kw) -> Comment:
    kw.setdefault("name", "Trần Thị Bạn Đọc")
    kw.setdefault("body", f"Bài viết rất hay, cảm ơn tòa soạn. ({next(_seq)})")
    kw.setdefault("ip_address", "203.0.113.7")
    return Comment.objects.create(article=article or make_article(), **kw)


def make_staff(
    username: str, *groups: str, superuser: bool = False, password="matkhau-123"
) -> User:
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.vn", password)
    else:
        user = User.objects.create_user(username, f"{username}@example.vn", password, is_staff=True)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def staff_browser(user: User) -> Client:
    """``user`` logged in, in a client that checks CSRF as Django does for a browser:
    its posts must carry the token of the page they come from."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client
