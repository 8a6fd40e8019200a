from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

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
        fresh.status = fresh.Status.DRAFT
        fresh.save()
    assert fresh.title not in client.get("/").content.decode()
    assert client.get(fresh.get_absolute_url()).status_code == 404


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


def test_errors_and_redirects_are_not_cached(client, django_assert_num_queries):
    article = make_article()
    stale = article.get_absolute_url().replace(article.slug, "ten-cu")
    assert client.get(stale).status_code == 301
    assert client.get(stale).status_code == 301
    assert client.get("/khong-co-chuyen-muc-nay/").status_code == 404
    with django_assert_num_queries(1):  # the view runs again: nothing was cached
        client.get(stale)
