"""Which database answers what: reader pages from the replica, the rest from the primary."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from portal import replica
from tests.factories import make_article, make_staff

from .helpers import ALIAS, REPLICA_TEST, wait_until_replayed

pytestmark = REPLICA_TEST


class Queries:
    """The queries each database ran meanwhile."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[ALIAS])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def reading(captured, table: str) -> list[str]:
        return [q["sql"] for q in captured if table in q["sql"] and q["sql"].startswith("SELECT")]

    def page_reads_on_primary(self) -> list[str]:
        """What the page's view read of the articles on the primary. The page
        cache's own question after the view (when the next scheduled article
        comes out, which bounds how long the page is kept) stays there."""
        return [
            sql
            for sql in self.reading(self.primary, '"articles_article"')
            if '"articles_article"."published_at" >' not in sql
        ]


@pytest.fixture
def article():
    made = make_article(title="Cầu Cao Lãnh thông xe sau ba năm thi công")
    wait_until_replayed()
    return made


def test_an_anonymous_article_page_reads_the_replica(client, article):
    with Queries() as q:
        page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Cầu Cao Lãnh thông xe sau ba năm thi công" in page.text
    assert q.reading(q.replica, '"articles_article"')
    assert q.replica[0]["sql"].lstrip().startswith("SELECT pg_is_in_recovery()")  # its state
    assert q.page_reads_on_primary() == []


def test_the_home_page_and_the_feed_read_the_replica(client, article):
    for url in (reverse("articles:home"), reverse("articles:feed")):
        with Queries() as q:
            assert client.get(url).status_code == 200
        assert q.reading(q.replica, '"articles_article"'), url
        assert q.page_reads_on_primary() == [], url


def test_a_logged_in_staff_member_reads_the_primary(client, article):
    # Transactional tests flush the staff groups away: a superuser needs none.
    client.force_login(make_staff("admin", superuser=True))
    for url in (
        article.get_absolute_url(),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_change", args=[article.pk]),
    ):
        with Queries() as q:
            assert client.get(url).status_code == 200
        assert len(q.replica) == 0, url
        assert q.reading(q.primary, '"articles_article"'), url


def test_a_comment_post_reads_and_writes_the_primary(client, article):
    with Queries() as q:
        answer = client.post(
            reverse("comments:post", args=[article.pk]),
            {"name": "Võ Thị Sáu", "email": "", "body": "Mừng quá, bà con đi lại dễ rồi."},
        )
    assert answer.status_code == 303
    assert Comment.objects.filter(article=article, name="Võ Thị Sáu").exists()
    assert len(q.replica) == 0
    assert q.reading(q.primary, '"articles_article"')


def test_the_admin_login_page_reads_the_primary(client):
    with Queries() as q:
        assert client.get(reverse("admin:login")).status_code == 200
    assert len(q.replica) == 0


def test_a_read_inside_a_transaction_or_after_a_write_goes_to_the_primary(article):
    token = replica._reader_reads.set(True)  # as during a reader page
    try:
        with Queries() as q:
            assert Article.objects.get(pk=article.pk).title == article.title
        assert q.reading(q.replica, '"articles_article"')
        assert not q.reading(q.primary, '"articles_article"')

        with Queries() as q, transaction.atomic():
            Article.objects.get(pk=article.pk)
        assert not q.reading(q.replica, '"articles_article"')
        assert q.reading(q.primary, '"articles_article"')

        with Queries() as q:
            Article.objects.filter(pk=article.pk).update(sapo="Đã sửa.")
            assert Article.objects.get(pk=article.pk).sapo == "Đã sửa."  # its own write
        assert not q.reading(q.replica, '"articles_article"')
    finally:
        replica._reader_reads.reset(token)


def test_outside_a_request_everything_reads_the_primary(article):
    with Queries() as q:
        assert Article.objects.published().filter(pk=article.pk).exists()
    assert len(q.replica) == 0


def test_a_row_read_from_the_replica_is_written_to_the_primary(article):
    token = replica._reader_reads.set(True)
    try:
        read = Article.objects.select_related("section").get(pk=article.pk)
        assert read._state.db == ALIAS
        read.sapo = "Sửa từ bản đọc ở bản sao."
        read.save(update_fields=["sapo"])
    finally:
        replica._reader_reads.reset(token)
    assert Article.objects.using("default").get(pk=article.pk).sapo == read.sapo
