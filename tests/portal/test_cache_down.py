"""With Redis refused or hung, every reader page answers from the database, as with a
working cache, and the site uses its cache again once Redis answers.

The rule is the backend's (portal/cache.py): these tests configure the cache
exactly as portal/settings.py does for a ``redis://`` CACHE_URL, with a short
timeout so that a hung Redis costs the suite little.
"""

import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from articles.models import MENU_CACHE_KEY, Article, Tag
from comments.models import Comment
from deploy.cluster import free_port
from portal.cache import redis_cache
from tests.factories import make_article, make_author, make_comment, make_section

pytestmark = pytest.mark.django_db

TIMEOUT = 0.02  # seconds per cache call: only a hung Redis waits for it
BROWSER = "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"
SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def redis_at(port: int, db: int = 0, timeout: float = TIMEOUT, **extra) -> dict:
    config = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/{db}",
    }
    return {"default": redis_cache({**config, **extra}, timeout=timeout)}


class Server(threading.Thread):
    """A TCP server on 127.0.0.1: accepts every connection and, unless told where
    to forward, never answers (a hung Redis). ``forward_to``: a real Redis."""

    def __init__(self, port: int = 0, forward_to: tuple[str, int] | None = None):
        super().__init__(daemon=True)
        self.listener = socket.create_server(("127.0.0.1", port), backlog=128)
        self.port = self.listener.getsockname()[1]
        self.forward_to = forward_to
        self.held: list[socket.socket] = []

    def run(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # stopped
                return
            self.held.append(conn)
            if self.forward_to:
                upstream = socket.create_connection(self.forward_to)
                self.held.append(upstream)
                for a, b in ((conn, upstream), (upstream, conn)):
                    threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass

    def stop(self):
        self.listener.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def hung_redis():
    server = Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["working", "refused", "hung"])
def cache_state(request, settings):
    """The cache as a reader meets it: local memory, Redis refused, Redis hung."""
    if request.param == "refused":
        settings.CACHES = redis_at(free_port())
    elif request.param == "hung":
        settings.CACHES = redis_at(request.getfixturevalue("hung_redis").port)
    return request.param


def reader_requests(journalist) -> list[tuple[str, Client, str, str, dict, int]]:
    """(name, client, method, url, extra, status) for every reader page."""
    section = make_section(name="Nông nghiệp")
    author = make_author(name="Lê Thị Hồng")
    article = make_article(
        section=section, authors=[author], title="Mùa nước nổi về sớm ở Hồng Ngự"
    )
    tag = Tag.objects.create(name="Mùa nước nổi")
    article.tags.add(tag)
    make_comment(article=article, status=Comment.Status.APPROVED, body="Bà con đã sẵn sàng.")
    draft = make_article(title="Bài đang viết dở", status=Article.Status.DRAFT)

    reader = Client()
    staff = Client()
    staff.force_login(journalist)
    comments = reverse("comments:list", args=[article.pk])
    return [
        ("home", reader, "get", reverse("articles:home"), {}, 200),
        ("article", reader, "get", article.get_absolute_url(), {}, 200),
        ("section", reader, "get", section.get_absolute_url(), {}, 200),
        ("author", reader, "get", author.get_absolute_url(), {}, 200),
        ("tag", reader, "get", tag.get_absolute_url(), {}, 200),
        ("search", reader, "get", reverse("articles:search") + "?q=nuoc noi", {}, 200),
        ("comments page", reader, "get", comments, {}, 200),
        ("comments fragment", reader, "get", comments, SCRIPT, 200),
        ("posted page", reader, "get", reverse("comments:posted", args=[article.pk]), {}, 200),
        ("404 page", reader, "get", "/khong-co-chuyen-muc-nay/", {}, 404),
        ("missing article", reader, "get", "/nong-nghiep/khong-co-999999.html", {}, 404),
        ("staff preview", staff, "get", draft.get_preview_url(), {}, 200),
        (
            "read beacon",
            reader,
            "post",
            reverse("articles:count_view", args=[article.pk]),
            {"HTTP_USER_AGENT": BROWSER},
            204,
        ),
        ("feed", reader, "get", reverse("articles:feed"), {}, 200),
        (
            "section feed",
            reader,
            "get",
            reverse("articles:section_feed", args=[section.slug]),
            {},
            200,
        ),
        (
            "author feed",
            reader,
            "get",
            reverse("articles:author_feed", args=[author.slug]),
            {},
            200,
        ),
        ("tag feed", reader, "get", reverse("articles:tag_feed", args=[tag.slug]), {}, 200),
        ("sitemap", reader, "get", reverse("sitemap"), {}, 200),
        ("news sitemap", reader, "get", reverse("sitemap-news"), {}, 200),
        *(
            (f"sitemap {name}", reader, "get", reverse("sitemap-section", args=[name]), {}, 200)
            for name in ("bai-viet", "chuyen-muc", "tac-gia", "the")
        ),
        ("robots", reader, "get", reverse("robots"), {}, 200),
    ]


def test_every_reader_page_answers_as_with_a_working_cache(cache_state, journalist):
    requests = reader_requests(journalist)
    # A working cache answers the second round; a failing one answers no round.
    for _ in range(2 if cache_state == "working" else 1):
        for name, client, method, url, extra, status in requests:
            response = getattr(client, method)(url, **extra)
            assert response.status_code == status, (cache_state, name, response.status_code)
    home = Client().get(reverse("articles:home")).text
    assert "Mùa nước nổi về sớm ở Hồng Ngự" in home
    assert "Nông nghiệp" in home  # the section menu, from the database


def test_posting_a_comment(cache_state):
    article = make_article()
    # From the article page's form: no token, this site's origin.
    browser = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="same-origin")
    url = reverse("comments:post", args=[article.pk])
    fields = {"name": "Trần Văn Ba"}

    plain = browser.post(url, {**fields, "body": "Ý kiến gửi không cần script."})
    fetched = browser.post(url, {**fields, "body": "Ý kiến gửi bằng script."}, **SCRIPT)

    assert plain.status_code == 303, cache_state
    assert plain["Location"] == reverse("comments:posted", args=[article.pk])
    assert fetched.status_code == 201, cache_state
    assert Comment.objects.filter(article=article).count() == 2


def test_a_hung_redis_costs_each_call_its_timeout_and_is_logged(settings, hung_redis, caplog):
    settings.CACHES = redis_at(hung_redis.port)
    article = make_article()

    started = time.monotonic()
    response = Client().get(article.get_absolute_url())
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    ignored = [r for r in caplog.records if r.name == "django_redis.cache"]
    assert ignored, "each failed cache call is logged"
    # A handful of cache calls, each given up after TIMEOUT, and nothing more.
    assert elapsed < (len(ignored) + 2) * TIMEOUT + 1


def test_the_site_uses_its_cache_again_once_redis_answers(settings, redis_url):
    """The same process and cache object: Redis refused first, then answering."""
    real = urlsplit(redis_url)
    port = free_port()
    settings.CACHES = redis_at(
        port,
        db=int(real.path.strip("/") or 0),
        timeout=2,  # a real Redis, through a proxy, on a busy machine
        KEY_PREFIX=f"test-down-{uuid.uuid4().hex}",
    )
    backend = caches["default"]
    make_section(name="Giáo dục")
    home = reverse("articles:home")

    assert Client().get(home).status_code == 200
    assert cache.get(MENU_CACHE_KEY) is None  # nothing could be kept

    server = Server(port, forward_to=(real.hostname, real.port or 6379))
    server.start()
    try:
        assert Client().get(home).status_code == 200
        assert caches["default"] is backend
        assert [s.name for s in cache.get(MENU_CACHE_KEY)] == ["Giáo dục"]
    finally:
        cache.clear()
        server.stop()
