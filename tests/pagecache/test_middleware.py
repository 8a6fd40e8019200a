"""The page cache middleware (pagecache/middleware.py): a cached page costs no
query, carries what a CDN needs, and is never kept for what varies."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from articles.views import PAGE_SIZE
from articles.workflow import unpublish
from pagecache.middleware import AnonymousPageCacheMiddleware
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_served_from_the_cache(client, django_assert_num_queries):
    article = make_article()
    first = client.get(article.get_absolute_url())
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    # A copy kept for a minute tells a CDN how long it has left, never more.
    directives = dict(d.partition("=")[::2] for d in second["Cache-Control"].split(", "))
    assert "public" in directives
    assert 55 <= int(directives["max-age"]) <= 60
    assert "Last-Modified" in second
    assert not second.cookies
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_conditional_request_answers_304(client):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_reader_with_a_session_never_gets_a_cached_page(client, journalist):
    article = make_article(title="Tiêu đề cũ")
    client.get(article.get_absolute_url())  # cached for anonymous readers
    type(article).objects.filter(pk=article.pk).update(title="Tiêu đề mới")  # no purge

    client.force_login(journalist)
    response = client.get(article.get_absolute_url())
    assert "Tiêu đề mới" in response.content.decode()
    assert "public" not in response.get("Cache-Control", "")


def test_publishing_refreshes_cached_pages_at_once(client, django_capture_on_commit_callbacks):
    section = make_section()
    make_article(section=section)
    client.get("/")
    client.get(section.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_article(section=section, title="Tin nóng vừa xuất bản về lũ sớm")
    assert fresh.title in client.get("/").content.decode()
    assert fresh.title in client.get(section.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        unpublish(article=fresh, by=None)
    assert fresh.title not in client.get("/").content.decode()
    assert client.get(fresh.get_absolute_url()).status_code == 410


def test_scheduled_article_appears_on_time_without_touching_the_cache(client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        make_article(title="Bài đã đăng từ trước")
        scheduled = make_article(
            title="Bài hẹn giờ đăng sau nửa phút", published_at=start + timedelta(seconds=30)
        )
        home = client.get("/")
        assert scheduled.title not in home.content.decode()
        assert "max-age=30" in home["Cache-Control"]

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert scheduled.title in client.get("/").content.decode()


def test_pages_are_kept_again_once_the_scheduled_article_is_live(client, django_assert_num_queries):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        make_article(published_at=start + timedelta(seconds=30))
        client.get("/")

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        client.get("/")
        with django_assert_num_queries(0):
            again = client.get("/")
    assert "max-age=60" in again["Cache-Control"]


def test_errors_and_redirects_are_not_cached(client, django_assert_num_queries):
    article = make_article()
    stale = article.get_absolute_url().replace(article.slug, "ten-cu")
    assert client.get(stale).status_code == 301
    assert client.get(stale).status_code == 301
    assert client.get("/khong-co-chuyen-muc-nay/").status_code == 404
    with django_assert_num_queries(1):  # the view runs again: nothing was cached
        client.get(stale)


def test_parameters_a_page_does_not_read_make_no_new_copy(client, django_assert_num_queries):
    article = make_article()
    first = client.get(article.get_absolute_url())

    with django_assert_num_queries(0):  # not one of them renders
        for n in range(400):
            response = client.get(article.get_absolute_url(), {f"x{n}": uuid.uuid4().hex})
            assert response.content == first.content


def test_a_list_is_kept_per_page_number_as_the_list_reads_it(client, django_assert_num_queries):
    section = make_section()
    for _ in range(PAGE_SIZE + 1):
        make_article(section=section)
    url = section.get_absolute_url()
    second_page = client.get(url, {"trang": "2"})
    assert second_page.status_code == 200

    with django_assert_num_queries(0):
        for same in ("02", " 2", "+2", "1&trang=2"):
            assert client.get(f"{url}?trang={same}").content == second_page.content
        assert client.get(url, {"trang": "2", "utm_source": "zalo"}).content == second_page.content
    assert client.get(url, {"trang": "abc"}).status_code == 404
    assert client.get(url, {"trang": "3"}).status_code == 404
    first_page = client.get(url)
    assert first_page.status_code == 200
    assert first_page.content != second_page.content


def test_a_malformed_csrf_cookie_still_gets_the_cached_page(client, django_assert_num_queries):
    article = make_article()
    client.cookies["csrftoken"] = "bad!!"
    first = client.get(article.get_absolute_url())
    assert not first.cookies  # a public page carries no token, so no cookie either

    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.content == first.content
    assert not second.cookies


def test_a_page_that_varies_on_a_request_header_is_not_kept(rf):
    renders = []

    def view(request):
        renders.append(request)
        response = HttpResponse("<p>Trang chủ</p>")
        response.public_page = True
        patch_vary_headers(response, ["Accept-Encoding"])
        return response

    middleware = AnonymousPageCacheMiddleware(view)
    for _ in range(2):
        response = middleware(rf.get("/"))
    assert len(renders) == 2
    assert response["Vary"] == "Accept-Encoding"
    assert "public" not in response.get("Cache-Control", "")


def test_a_query_django_refuses_is_refused_even_when_its_page_is_kept(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    section = make_section()
    make_article(section=section)
    assert client.get(section.get_absolute_url(), {"trang": "1"}).status_code == 200

    crowded = {"trang": "1", **{f"x{n}": "1" for n in range(10)}}
    assert client.get(section.get_absolute_url(), crowded).status_code == 400
