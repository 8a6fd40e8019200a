"""The preview banner tells staff where the article stands for readers."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOON = datetime(2024, 2, 13, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam


def banner(client, article) -> str:
    html = client.get(article.get_preview_url()).content.decode()
    return html.split('<aside class="preview-banner"', 1)[1].split("</aside>", 1)[0]


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("status", "published_at", "says"),
    [
        (Article.Status.DRAFT, NOON - timedelta(days=1), "bản nháp, bạn đọc chưa thấy bài này."),
        (Article.Status.DRAFT, NOON + timedelta(days=1), "bản nháp, bạn đọc chưa thấy bài này."),
        (
            Article.Status.PUBLISHED,
            NOON + timedelta(hours=3),
            "bài hẹn giờ, bạn đọc sẽ thấy từ Thứ 3, 13/02/2024 | 15:00:00 [GMT +7].",
        ),
        (Article.Status.PUBLISHED, NOON, "bài đã xuất bản, bạn đọc đang thấy bài này."),
    ],
)
def test_the_banner_names_the_publication_state(client, journalist, status, published_at, says):
    article = make_article(status=status, published_at=published_at)
    client.force_login(journalist)

    assert says in banner(client, article)


@time_machine.travel(NOON, tick=False)
def test_a_scheduled_article_is_published_on_the_banner_once_its_time_comes(client, journalist):
    article = make_article(published_at=NOON + timedelta(minutes=30))
    client.force_login(journalist)

    assert "bài hẹn giờ" in banner(client, article)
    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        assert "bài đã xuất bản" in banner(client, article)
