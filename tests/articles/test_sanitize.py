import pytest

from articles.sanitize import sanitize_body
from tests.factories import make_article


def test_body_is_sanitized_on_every_save(db):
    article = make_article(body='<p onclick="steal()">Tin <script>alert(1)</script>nóng</p>')
    article.refresh_from_db()
    assert article.body == "<p>Tin nóng</p>"

    article.body = '<p><a href="javascript:alert(1)">bấm</a></p>'
    article.save()
    article.refresh_from_db()
    assert "javascript" not in article.body


@pytest.mark.parametrize(
    "dirty",
    [
        '<img src="x" onerror="alert(1)">',
        "<style>body{display:none}</style>",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<iframe src="https://evil.example/embed/1"></iframe>',
        '<p style="position:fixed">x</p>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_hostile_markup_is_removed(dirty):
    clean = sanitize_body(dirty)
    for bad in ("onerror", "<style", "data:", "evil.example", "style=", "<script", "<svg"):
        assert bad not in clean


def test_what_the_editor_produces_is_kept():
    html = (
        "<h2>Tiêu đề phụ</h2><p><strong>Đậm</strong> và <em>nghiêng</em></p>"
        '<figure class="image"><img src="/media/uploads/a.jpg" alt="Cánh đồng" '
        'width="800" height="450"><figcaption>Chú thích</figcaption></figure>'
        "<blockquote><p>Trích lời</p></blockquote><ul><li>Một</li></ul>"
        "<table><tbody><tr><td>Ô</td></tr></tbody></table>"
    )
    assert sanitize_body(html) == html


def test_links_get_noopener_and_only_youtube_embeds_survive():
    clean = sanitize_body(
        '<a href="https://example.vn/">nguồn</a>'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc123" width="560"></iframe>'
    )
    assert 'rel="noopener noreferrer"' in clean
    assert 'src="https://www.youtube-nocookie.com/embed/abc123"' in clean
