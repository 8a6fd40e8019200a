"""seed_bench at a small scale, on whatever database the suite runs on."""

import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from articles.models import Article, Section
from articles.signals import Change
from comments.models import Comment, body_digest
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

BENCH = Q(section__slug__startswith="bench-")


def seed(**kw):
    out = StringIO()
    call_command("seed_bench", articles=50, comments=400, seed=7, stdout=out, **kw)
    return out.getvalue()


def bench_comments():
    return Comment.objects.filter(article__section__slug__startswith="bench-")


def test_counts_statuses_and_progress():
    output = seed()

    assert Article.objects.filter(BENCH).count() == 50
    assert bench_comments().count() == 400
    assert bench_comments().filter(status=Comment.Status.PENDING).count() == 4  # 1%
    assert bench_comments().filter(status=Comment.Status.APPROVED).count() == 400 - 4 - 6 - 2
    assert "done: 50 articles, 400 comments" in output
    # Bylines: one or two authors each.
    per_article = Article.objects.filter(BENCH).annotate(n=Count("bylines"))
    assert {a.n for a in per_article} <= {1, 2}
    # Readers see most of it; one draft, one scheduled for the coming days.
    now = timezone.now()
    assert Article.objects.filter(BENCH, status=Article.Status.DRAFT).count() == 1
    assert Article.objects.filter(BENCH, published_at__gt=now).count() == 1
    assert Article.objects.published().filter(BENCH).count() in (48, 49)


def test_comment_count_is_the_number_of_approved_comments():
    seed()

    articles = Article.objects.filter(BENCH).annotate(
        approved=Count("comments", filter=Q(comments__status=Comment.Status.APPROVED))
    )
    assert all(a.comment_count == a.approved for a in articles)
    assert sum(a.comment_count for a in articles) == 388
    # Skewed: the busiest article draws far more than its share (400 / 48).
    assert max(a.comment_count for a in articles) > 25


def test_comment_bodies_fit_the_rule_and_carry_their_digest():
    seed()

    comments = list(bench_comments().select_related("article"))
    assert all(50 <= len(c.body) <= 400 for c in comments)
    assert all(unicodedata.is_normalized("NFC", c.body) for c in comments)
    assert all(c.body_hash == body_digest(c.body) for c in comments)
    # Nobody comments before the article is out.
    assert all(c.created_at >= c.article.published_at for c in comments)


def test_same_seed_same_text():
    seed()
    first = list(Article.objects.filter(BENCH).order_by("id").values_list("title", flat=True))
    seed(clear=True)
    again = list(Article.objects.filter(BENCH).order_by("id").values_list("title", flat=True))

    assert again == first
    assert len(set(first)) > 40


def test_clear_replaces_only_bench_data():
    own = make_comment(article=make_article())
    seed()
    seed(clear=True)

    assert Article.objects.filter(BENCH).count() == 50
    assert bench_comments().count() == 400
    assert Section.objects.filter(slug__startswith="bench-").count() == 10
    assert Comment.objects.filter(pk=own.pk).exists()
    assert Article.objects.filter(pk=own.article_id).exists()


def test_a_load_or_a_clear_retires_every_page_and_the_cached_menu(committed):
    assert Section.objects.cached_menu() == []  # cached before the load
    with committed() as announced:
        seed()
    assert announced == [Change(everywhere=True)]
    assert len(Section.objects.cached_menu()) == 10

    with committed() as announced:
        seed(clear=True)
    assert announced == [Change(everywhere=True)] * 2  # the clear, then the load


def test_refuses_to_seed_twice_without_clear():
    seed()

    with pytest.raises(CommandError, match="--clear"):
        seed()
    assert Article.objects.filter(BENCH).count() == 50


def test_search_data_is_what_search_fields_makes():
    search = pytest.importorskip("articles.search")
    seed()

    for article in Article.objects.filter(BENCH):
        expected = search.search_fields(article.title, article.sapo, article.body, postgres=False)
        assert article.search_title == expected["search_title"]
        assert article.search_text == expected["search_text"]
