"""nginx in front of two app servers behaves as one site, and learns of a change within a second.

Every request here is real HTTP to real processes (tests/cluster/conftest.py):
nginx with deploy/nginx.conf, granian, the portal with DEBUG off, PostgreSQL
and Redis. The newsroom's writes are made from this process, through the
services, on the same database.
"""

import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from articles.services import save_article
from comments.models import Comment
from tests.factories import make_article

from .conftest import NOT_POSTGRES, ON_POSTGRES, Browser, get

pytestmark = [
    pytest.mark.skipif(not ON_POSTGRES, reason=NOT_POSTGRES),
    # Committed rows, which the app servers see; the staff groups kept.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The front cache keeps a page less than a second (deploy/nginx.conf); past it,
# this much more for the request in flight when the change landed and a render.
BOUND = 1.0
SLACK = 0.25
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def until_kept(url: str) -> list[str]:
    """Ask for ``url`` until the front cache answers from its copy; what it said each time."""
    said = []
    for _ in range(50):
        status, headers, _ = get(url)
        assert status == 200
        said.append(headers["X-Cache"])
        if said[-1] == "HIT":
            return said
        time.sleep(0.01)
    raise AssertionError(f"{url}: never answered from the front cache: {said}")


def watch(urls: list[str], old: str, new: str, since: float, seconds: float = 3.0) -> dict:
    """Each address asked every few milliseconds for ``seconds``: for each, the
    times (after ``since``) at which a request that still got ``old`` started."""
    old_at = {url: [] for url in urls}
    new_seen = dict.fromkeys(urls, False)
    while time.monotonic() - since < seconds:
        for url in urls:
            started = time.monotonic() - since
            status, _, page = get(url)
            assert status == 200, url
            if old in page:
                old_at[url].append(round(started, 3))
            elif new in page:
                new_seen[url] = True
        time.sleep(0.02)
    missing = [url for url, seen in new_seen.items() if not seen]
    assert not missing, f"never showed {new!r}: {missing}"
    return old_at


def test_an_edit_reaches_readers_through_nginx_and_both_servers_within_a_second(
    topology, shared_cache, editor
):
    old, new = "Khánh thành cầu Rạch Miễu mới", "Thông xe cầu Rạch Miễu 2 trước Tết"
    article = make_article(title=old)
    path = article.get_absolute_url()
    fronts = [topology.front, topology.front_a, topology.front_b]
    for front in fronts:
        said = until_kept(front.url + path)
        assert said[0] == "MISS"
    urls = [f.url + path for f in fronts] + [f"http://{s.address}{path}" for s in topology.servers]
    for url in urls:
        assert old in get(url)[2]

    # Each front asks again just after a second begins, so its copy has the
    # whole second to live: a front that kept it "1 s" in nginx's whole
    # seconds would keep it to the end of the next one.
    time.sleep(1 - time.time() % 1 + 0.01)
    for front in fronts:
        assert old in get(front.url + path)[2]
    article.title = new
    save_article(article=article, by=editor)  # committed: the purge is in Redis now
    changed = time.monotonic()

    old_at = watch(urls, old, new, since=changed)
    late = {url: [t for t in times if t > BOUND + SLACK] for url, times in old_at.items()}
    assert not any(late.values()), f"the old title past {BOUND} s: {late}"
    # And the front cache keeps the new page as it kept the old one.
    for front in fronts:
        assert until_kept(front.url + path)[-1] == "HIT"
        assert new in get(front.url + path)[2]


def test_a_comment_posted_through_one_server_and_approved_through_the_other_shows_on_both(
    topology, shared_cache, moderator
):
    article = make_article()
    path = article.get_absolute_url()
    body = "Cầu mới giúp bà con chở lúa ra chợ nhanh hơn nhiều, cảm ơn tòa soạn."
    a, b = Browser(topology.front_a.url), Browser(topology.front_b.url)
    for front in (a, b):
        until_kept(front.base + path)

    status, headers, _ = a.post(
        reverse("comments:post", args=[article.pk]),
        {"name": "Lê Văn Ba", "email": "", "body": body, "website": "", "parent": ""},
        # Written by the client: the portal takes the entry nginx adds.
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert status == 303, headers
    comment = Comment.objects.get(article=article, body=body)
    assert comment.status == Comment.Status.PENDING
    assert comment.ip_address == "127.0.0.1"

    # The servers know the production hashers, not the tests' fast one.
    moderator.password = PBKDF2PasswordHasher().encode("matkhau-123", "cluster-salt")
    moderator.save(update_fields=["password"])
    login = f"/{settings.ADMIN_URL}login/"
    status, _, page = b.get(login)
    assert status == 200
    status, headers, _ = b.post(
        login,
        {
            "username": moderator.username,
            "password": "matkhau-123",
            "csrfmiddlewaretoken": TOKEN.search(page)[1],
            "next": f"/{settings.ADMIN_URL}",
        },
    )
    assert status == 302, "the moderator's login through the other server failed"
    status, headers, queue = b.get(reverse("admin:comments_pendingcomment_changelist"))
    assert status == 200
    assert headers["X-Cache"] == "BYPASS"  # a session: never the front cache
    assert "Lê Văn Ba" in queue
    status, _, _ = b.post(
        reverse("admin:comments_pendingcomment_decide", args=[comment.pk, "approved"]),
        {"csrfmiddlewaretoken": TOKEN.search(queue)[1]},
    )
    assert status == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.moderated_by == moderator
    approved = time.monotonic()

    for front in (a, b):
        while body not in front.get(path)[2]:
            assert time.monotonic() - approved < BOUND + SLACK, f"{front.base}: no comment"
            time.sleep(0.02)
        assert "Ý kiến (1)" in front.get(path)[2]


def test_static_files_from_nginx_and_only_public_pages_kept(topology, shared_cache):
    article = make_article()
    path = article.get_absolute_url()
    front = topology.front.url
    status, _, page = get(front + path)
    assert status == 200
    stylesheet = re.search(r'href="(/static/css/base\.[0-9a-f]{12}\.css)"', page)[1]

    status, headers, _ = get(front + stylesheet)
    assert status == 200
    assert "X-Cache" not in headers  # nginx's own file, no app server asked
    assert "immutable" in headers["Cache-Control"]
    assert "max-age=315360000" in headers["Cache-Control"]

    # A reader with a session is answered by the portal, and nothing is kept.
    cookie = {"Cookie": "sessionid=not-a-session"}
    assert [get(front + path, cookie)[1]["X-Cache"] for _ in range(2)] == ["BYPASS"] * 2
    # A page that is not public (the login form, with its token) is never kept.
    login = f"{front}/{settings.ADMIN_URL}login/"
    assert [get(login)[1]["X-Cache"] for _ in range(3)] == ["MISS"] * 3
    # A page that is: kept, then answered from the copy.
    assert until_kept(front + path)[-1] == "HIT"
