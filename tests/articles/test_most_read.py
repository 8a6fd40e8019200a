"""Most-read: views counted in the cache by a beacon, flushed in batches, lists cached."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from articles import popularity
from articles.models import Article, ArticleView
from articles.workflow import unpublish
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/126 Mobile"
# Half past an hour, after the articles the tests make (published a minute ago).
NOW = (datetime.now(UTC) + timedelta(hours=2)).replace(minute=30, second=0, microsecond=0)


def beacon(client, article, user_agent=BROWSER, ip="203.0.113.7"):
    return client.post(
        reverse("articles:count_view", kwargs={"pk": article.pk}),
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=ip,
    )


def views(article, n, *, at=NOW):
    with time_machine.travel(at, tick=False):
        for _ in range(n):
            popularity.record_view(article.pk)


def shown(items) -> list[tuple]:
    """What a list shows of each article (a Headline or the Article itself)."""
    return [(item.pk, item.title, item.get_absolute_url()) for item in items]


def flushed_counts():
    return {(v.article_id, v.hour): v.count for v in ArticleView.objects.all()}


# Counting


def test_a_beacon_counts_a_view_in_the_cache_without_a_database_write(
    client, django_assert_num_queries
):
    article = make_article()
    with time_machine.travel(NOW, tick=False):
        # A first read asks the database only whether the article is published.
        for n in range(6):
            with django_assert_num_queries(1):
                assert beacon(client, article, ip=f"198.51.100.{n}").status_code == 204

        popularity.flush_views()
    assert flushed_counts() == {(article.pk, NOW.replace(minute=0)): 6}


def test_a_reader_reloading_the_page_counts_once_and_costs_no_query(
    client, django_assert_num_queries
):
    article = make_article()
    with time_machine.travel(NOW, tick=False):
        beacon(client, article)
        with django_assert_num_queries(0):
            for _ in range(3):
                assert beacon(client, article).status_code == 204
        popularity.flush_views()

    assert ArticleView.objects.get().count == 1


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/126.0",
    ],
)
def test_bots_are_not_counted(client, user_agent):
    article = make_article()

    assert beacon(client, article, user_agent).status_code == 204

    assert popularity.flush_views() == 0


def test_the_beacon_takes_posts_only(client):
    article = make_article()

    assert client.get(reverse("articles:count_view", kwargs={"pk": article.pk})).status_code == 405


def test_article_page_sends_the_beacon_from_its_own_script(client):
    article = make_article()

    html = client.get(article.get_absolute_url()).content.decode()

    count_url = reverse("articles:count_view", kwargs={"pk": article.pk})
    assert f'data-count-url="{count_url}"' in html
    assert "/static/js/views.js" in html


# Flushing


def test_flush_writes_absolute_counts_per_hour_and_can_run_twice():
    first, second = make_article(), make_article()
    views(first, 3, at=NOW - timedelta(hours=1))
    views(first, 2)
    views(second, 1)

    with time_machine.travel(NOW, tick=False):
        assert popularity.flush_views() == 3
        views(second, 1)
        popularity.flush_views()

    hour = NOW.replace(minute=0)
    assert flushed_counts() == {
        (first.pk, hour - timedelta(hours=1)): 3,
        (first.pk, hour): 2,
        (second.pk, hour): 2,
    }


def test_flush_skips_articles_deleted_since_their_views():
    gone, kept = make_article(), make_article()
    views(gone, 2)
    views(kept, 1)
    gone.delete()

    with time_machine.travel(NOW, tick=False):
        popularity.flush_views()

    assert list(ArticleView.objects.values_list("article_id", "count")) == [(kept.pk, 1)]


def test_flush_views_command():
    article = make_article()
    views(article, 4)
    out = io.StringIO()

    with time_machine.travel(NOW, tick=False):
        call_command("flush_views", stdout=out)

    assert "Đã ghi 1 dòng lượt đọc." in out.getvalue()
    assert ArticleView.objects.get().count == 4


# The lists


def test_lists_rank_the_last_24_hours_and_the_last_7_days():
    week_star, day_star, quiet = make_article(), make_article(), make_article()
    views(week_star, 50, at=NOW - timedelta(days=2))
    views(week_star, 1)
    views(day_star, 10)
    views(quiet, 2, at=NOW - timedelta(hours=3))
    # Flushed long ago, too old for either list.
    ArticleView.objects.create(
        article=quiet, hour=(NOW - timedelta(days=7, hours=1)).replace(minute=0), count=100
    )

    with time_machine.travel(NOW, tick=False):
        popularity.flush_views(hours=24 * 3)
        lists = popularity.most_read()

    assert shown(lists["day"]) == shown([day_star, quiet, week_star])
    assert shown(lists["week"]) == shown([week_star, day_star, quiet])


def test_lists_hold_published_articles_only_and_at_most_five():
    articles = [make_article() for _ in range(7)]
    draft = make_article(status=Article.Status.DRAFT)
    for n, article in enumerate([*articles, draft], 1):
        ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=n)

    with time_machine.travel(NOW, tick=False):
        lists = popularity.most_read()

    assert shown(lists["day"]) == shown(articles[::-1][:5])
    assert draft.pk not in {h.pk for h in lists["week"]}


def test_lists_are_cached(django_assert_num_queries):
    article = make_article()
    ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=3)

    with time_machine.travel(NOW, tick=False):
        with django_assert_num_queries(2):
            popularity.most_read()
        with django_assert_num_queries(0):
            assert shown(popularity.most_read()["day"]) == shown([article])
        assert shown(popularity.most_read_cached()["day"]) == shown([article])


def test_an_article_unpublished_leaves_the_kept_lists_at_once(django_capture_on_commit_callbacks):
    kept, gone = make_article(), make_article()
    for article in (kept, gone):
        ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=3)
    with time_machine.travel(NOW, tick=False):
        assert set(shown(popularity.most_read()["day"])) == set(shown([kept, gone]))

        with django_capture_on_commit_callbacks(execute=True):
            unpublish(article=gone, by=None)

        assert popularity.most_read_cached() is None
        assert shown(popularity.most_read()["day"]) == shown([kept])


def test_home_shows_most_read(client):
    article = make_article(title="Cá linh mùa nước nổi")
    ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=3)

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        html = client.get("/").content.decode()

    assert "Đọc nhiều" in html
    assert "24 giờ qua" in html
    assert f'<li><a href="{article.get_absolute_url()}">Cá linh mùa nước nổi</a></li>' in html


def test_article_page_shows_most_read_once_cached_without_a_query(
    client, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    article, popular = make_article(), make_article(title="Bài đọc nhiều nhất")
    ArticleView.objects.create(article=popular, hour=NOW.replace(minute=0), count=9)

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        assert "Đọc nhiều" not in client.get(article.get_absolute_url()).content.decode()
        popularity.most_read()
        with django_assert_max_num_queries(4):
            html = client.get(article.get_absolute_url()).content.decode()

    assert "Đọc nhiều" in html
    assert popular.get_absolute_url() in html


@pytest.mark.parametrize("n", [3, 30])
def test_home_with_most_read_keeps_its_query_budget(
    client, settings, django_assert_max_num_queries, n
):
    settings.PAGE_CACHE_SECONDS = 0
    with time_machine.travel(NOW, tick=False):
        for _ in range(n):
            section = make_section()
            for _ in range(3):
                article = make_article(section=section)
                ArticleView.objects.create(article=article, hour=NOW.replace(minute=0), count=2)
                views(article, 1)

        # The menu, the front page, the sections' newest, the most-read lists
        # (2), and when the kept lists end: the next publication and pick end
        # (articles/schedule.py, remembered, and read by the page cache anyway).
        with django_assert_max_num_queries(7):
            response = client.get("/")
    assert len(response.context["most_read"]["day"]) == 5
