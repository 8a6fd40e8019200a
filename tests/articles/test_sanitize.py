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


@pytest.mark.parametrize(
    "cite",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "&#106;avascript:alert(1)",
        "java&#9;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "mailto:toasoan@example.vn",
        "/bai-viet/1",
        "//evil.example/x",
        "https:evil.example",
    ],
)
def test_a_quote_cites_web_addresses_only(cite):
    clean = sanitize_body(f'<blockquote cite="{cite}"><p>Trích lời</p></blockquote>')
    assert clean == "<blockquote><p>Trích lời</p></blockquote>"


@pytest.mark.parametrize(
    "cite", ["https://baochinhphu.vn/a-1.htm", "http://example.vn/?a=1&amp;b=2"]
)
def test_a_quote_citing_a_web_address_keeps_it(cite):
    html = f'<blockquote cite="{cite}"><p>Trích lời</p></blockquote>'
    assert sanitize_body(html) == html


@pytest.mark.parametrize("site_class", ["site-header", "article-cover", "button", "is-over"])
def test_the_sites_own_classes_cannot_be_pasted_into_a_body(site_class):
    clean = sanitize_body(
        f'<p class="{site_class}">Đoạn</p>'
        f'<figure class="{site_class} figure"><img class="{site_class}" src="/a.jpg" alt="">'
        f'<figcaption class="{site_class}">Chú thích</figcaption></figure>'
        f'<blockquote class="{site_class}">Trích</blockquote>'
    )
    assert site_class not in clean
    assert '<figure class="figure"><img src="/a.jpg" alt="">' in clean


def test_the_editors_figure_classes_are_kept():
    for html in (
        '<figure class="figure"><img src="/a.jpg" alt="Cầu"><figcaption>Cầu</figcaption></figure>',
        '<figure class="image"><img src="/a.jpg" alt="Cầu"><figcaption>Cầu</figcaption></figure>',
    ):
        assert sanitize_body(html) == html


def test_pasted_classes_are_dropped_on_save(db):
    article = make_article(body='<figure class="site-header"><img src="/a.jpg" alt=""></figure>')
    article.refresh_from_db()
    assert "site-header" not in article.body
