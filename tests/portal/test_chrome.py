"""The page chrome (templates/reader/base.html's kept() blocks): kept per
process, it still shows what the settings say."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_rendered(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_the_kept_header_and_footer_follow_the_site_settings(client, settings):
    first = client.get("/").content.decode()
    assert first.count("Báo Phù Sa") >= 3  # brand, footer name, reprint notice

    settings.SITE_NAME = "Báo Thử Nghiệm"
    settings.SITE_TAGLINE = "Tin nhanh miền sông nước"
    settings.SITE_ADDRESS = "Số 1 đường Bến Cảng"
    page = client.get("/").content.decode()

    assert '<a class="site-name" href="/">Báo Thử Nghiệm</a>' in page
    assert '<p class="footer-name">Báo Thử Nghiệm</p>' in page
    assert "<p>Tin nhanh miền sông nước</p>" in page
    assert "“Báo Thử Nghiệm”" in page
    assert 'type="application/rss+xml" title="Báo Thử Nghiệm"' in page
    assert "Tòa soạn: Số 1 đường Bến Cảng<br>" in page
