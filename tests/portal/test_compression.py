"""Gzip in the WSGI layer (portal/compression.py): what is the same for every
reader leaves compressed; anything per reader (a CSRF token, a session) never does."""

import gzip

import pytest
from django.test import RequestFactory
from django.urls import reverse

from comments.services import moderate
from portal import compression
from portal.compression import accepts_gzip
from tests.factories import make_article, make_comment
from tests.pagecache.helpers import call

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def get(path, **extra):
    status, headers, body = call(RequestFactory().get(path, **extra).environ)
    return int(status.split()[0]), dict(headers), body


@pytest.fixture
def article():
    return make_article(sapo="Mùa nước nổi năm nay về sớm. " * 40)


def test_a_reader_page_leaves_gzipped_and_says_it_varies(article):
    status, plain_headers, plain = get(article.get_absolute_url())
    _, headers, body = get(article.get_absolute_url(), **GZIP)

    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == plain
    assert int(headers["Content-Length"]) == len(body) < len(plain) / 3
    assert "Accept-Encoding" in headers["Vary"] and "Accept-Encoding" in plain_headers["Vary"]
    assert "Content-Encoding" not in plain_headers
    # The bytes differ, so the validator does too: weak, as GZipMiddleware makes it.
    assert headers["ETag"] == f"W/{plain_headers['ETag']}"


def test_a_cached_page_is_compressed_once_per_worker(article, monkeypatch):
    calls = []
    real = gzip.compress
    monkeypatch.setattr(
        compression.gzip, "compress", lambda *a, **kw: calls.append(1) or real(*a, **kw)
    )
    compression.compressed_copies.clear()

    bodies = {get(article.get_absolute_url(), **GZIP)[2] for _ in range(3)}

    assert len(bodies) == 1
    assert len(calls) == 1


def test_a_revalidation_matches_the_weak_etag(article):
    _, headers, _ = get(article.get_absolute_url(), **GZIP)

    status, again, body = get(
        article.get_absolute_url(), HTTP_IF_NONE_MATCH=headers["ETag"], **GZIP
    )

    assert (status, body) == (304, b"")
    assert again["ETag"] == headers["ETag"]


def test_pages_with_a_csrf_token_or_a_session_are_never_compressed(article, client, editor):
    # The admin login form carries a CSRF token: compressed, it could leak it.
    status, headers, body = get(reverse("admin:login"), **GZIP)
    assert status == 200 and b"csrfmiddlewaretoken" in body
    assert "Content-Encoding" not in headers
    # So does the form reporting a comment (the comment form carries none).
    comment = make_comment(article=article)
    assert moderate(comment=comment, moderator=None, status="approved")
    status, headers, body = get(reverse("comments:report", args=[comment.pk]), **GZIP)
    assert status == 200 and b"csrfmiddlewaretoken" in body
    assert "Content-Encoding" not in headers
    # A page made from a staff member's session.
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    status, headers, body = get(reverse("admin:index"), HTTP_COOKIE=cookie, **GZIP)
    assert status == 200 and b"bientap" in body
    assert "Content-Encoding" not in headers


def test_clients_that_do_not_ask_get_the_page_as_it_is(article):
    for extra in ({}, {"HTTP_ACCEPT_ENCODING": "gzip;q=0, br"}):
        _, headers, body = get(article.get_absolute_url(), **extra)
        assert "Content-Encoding" not in headers
        assert body.startswith(b"<!doctype html>")


def test_small_answers_and_images_pass_untouched():
    _, headers, _ = get("/robots.txt", **GZIP)
    assert "Content-Encoding" not in headers and "Vary" not in headers
    _, headers, _ = get("/favicon.ico", **GZIP)
    assert "Content-Encoding" not in headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("br;q=1.0, gzip;q=0.8", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("br, deflate", False),
        ("gzip;q=abc", False),
        ("", False),
    ],
)
def test_accept_encoding(header, expected):
    assert accepts_gzip(header) is expected
