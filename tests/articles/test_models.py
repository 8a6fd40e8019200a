"""The articles' rules that live on the models: what readers see, slugs, bylines, covers."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import RESERVED_SLUGS, Article, Section
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

NOON = datetime(2024, 2, 13, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam


@time_machine.travel(NOON, tick=False)
def test_published_excludes_drafts_and_scheduled_until_their_time():
    public = make_article(published_at=NOON - timedelta(hours=1))
    draft = make_article(status=Article.Status.DRAFT, published_at=NOON - timedelta(hours=1))
    scheduled = make_article(published_at=NOON + timedelta(hours=2))

    assert list(Article.objects.published()) == [public]

    with time_machine.travel(NOON + timedelta(hours=2), tick=False):
        assert set(Article.objects.published()) == {public, scheduled}
    assert draft not in Article.objects.published()


@time_machine.travel(NOON, tick=False)
def test_scheduled_article_appears_at_its_exact_time():
    scheduled = make_article(published_at=NOON + timedelta(minutes=30))

    with time_machine.travel(NOON + timedelta(minutes=30) - timedelta(seconds=1), tick=False):
        assert not Article.objects.published().exists()
        assert not Article.objects.get().is_public
    with time_machine.travel(NOON + timedelta(minutes=30), tick=False):
        assert list(Article.objects.published()) == [scheduled]
        assert Article.objects.get().is_public


@time_machine.travel(NOON, tick=False)
def test_publication_state_agrees_with_the_querysets():
    offsets = (timedelta(days=-1), timedelta(0), timedelta(seconds=1), timedelta(days=1))
    for status in Article.Status.values:
        for offset in offsets:
            make_article(status=status, published_at=NOON + offset)
    by_state = {state: set(Article.objects.in_state(state)) for state in Article.State}

    for article in Article.objects.all():
        state = article.publication_state
        assert {s for s, found in by_state.items() if article in found} == {state}
        assert article.is_public == (state == Article.State.PUBLISHED)
    assert set(Article.objects.published()) == by_state[Article.State.PUBLISHED]
    assert set(Article.objects.scheduled()) == by_state[Article.State.SCHEDULED]
    # The time itself counts as come: public, as published() has it.
    assert [a.published_at for a in Article.objects.published()] == [NOON, NOON - offsets[-1]]
    assert len(by_state[Article.State.DRAFT]) == len(offsets)


def test_publication_states_speak_the_newsroom_language():
    assert Article.State.choices == [
        ("draft", "Bản nháp"),
        ("review", "Chờ duyệt"),
        ("scheduled", "Hẹn giờ"),
        ("published", "Đã xuất bản"),
        ("unpublished", "Đã gỡ"),
    ]
    assert Article.Status.choices == [
        ("draft", "Bản nháp"),
        ("review", "Chờ duyệt"),
        ("published", "Xuất bản"),
        ("unpublished", "Đã gỡ"),
    ]


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đồng Tháp mùa nước nổi", "dong-thap-mua-nuoc-noi"),
        ("Đường về Đất Mũi đã thông xe", "duong-ve-dat-mui-da-thong-xe"),
        ("Nông dân Tháp Mười được mùa lúa Đông Xuân", "nong-dan-thap-muoi-duoc-mua-lua-dong-xuan"),
        ("“Đặc sản” cá linh: 50% giá tăng!", "dac-san-ca-linh-50-gia-tang"),
    ],
)
def test_slug_from_a_vietnamese_title(title, slug):
    article = make_article(title=title)

    assert article.slug == slug
    assert not article.slug.startswith("ong-")


def test_empty_slug_filled_on_save_and_given_one_stays():
    article = make_article(title="Khánh thành cầu Cao Lãnh", slug="")
    assert article.slug == "khanh-thanh-cau-cao-lanh"

    chosen = make_article(title="Tin khác", slug="ten-rieng")
    assert chosen.slug == "ten-rieng"


def test_slug_stays_when_the_title_changes_after_publishing():
    article = make_article(title="Đồng Tháp khởi công cầu mới")
    url = article.get_absolute_url()

    article.title = "Đồng Tháp khởi công cầu mới nối hai huyện"
    article.full_clean()
    article.save()
    article.refresh_from_db()

    assert article.slug == "dong-thap-khoi-cong-cau-moi"
    assert article.get_absolute_url() == url


def test_addresses_follow_a_change_of_slug_or_section_on_the_same_object():
    # get_absolute_url keeps what it reversed; it must never hand out an old address.
    section, other = make_section(name="Kinh tế"), make_section(name="Xã hội")
    article = make_article(section=section, slug="cau-moi")
    assert article.get_absolute_url().startswith("/kinh-te/cau-moi-")
    assert section.get_absolute_url() == "/kinh-te/"

    article.slug = "cau-moi-noi-hai-huyen"
    assert "/cau-moi-noi-hai-huyen-" in article.get_absolute_url()
    article.section = other
    assert article.get_absolute_url().startswith("/xa-hoi/")
    section.slug = "kinh-te-dong-thap"
    assert section.get_absolute_url() == "/kinh-te-dong-thap/"


def test_byline_lists_authors_in_byline_order_then_the_place():
    second, first = make_author(name="Trần Minh Tâm"), make_author(name="Lê Thu Hà")
    article = make_article(authors=[first, second], location="Châu Thành")

    assert article.byline() == "Lê Thu Hà, Trần Minh Tâm – Châu Thành"

    article.bylines.filter(author=first).update(position=5)
    assert article.byline() == "Trần Minh Tâm, Lê Thu Hà – Châu Thành"


def test_byline_without_place_has_no_dash():
    article = make_article(authors=[make_author(name="Lê Thu Hà")], location="")

    assert article.byline() == "Lê Thu Hà"


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_section_cannot_take_a_slug_the_site_uses(slug):
    section = Section(name="Chuyên mục thử", slug=slug, position=1)

    with pytest.raises(ValidationError) as excinfo:
        section.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_section_named_like_an_address_the_site_uses_gets_a_free_one():
    section = Section(name="Tìm kiếm", position=1)
    section.full_clean()
    assert section.slug == "tim-kiem-2"
    section = Section(name="Tìm kiếm việc làm", position=1)
    section.full_clean()
    assert section.slug == "tim-kiem-viec-lam"  # not reserved: as it is


def small_jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), "#2e7d32").save(buffer, "JPEG")
    return SimpleUploadedFile("anh.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_cover_image_requires_alt_text():
    article = make_article()
    article.cover_image = small_jpeg()
    article.cover_alt = "   "

    with pytest.raises(ValidationError) as excinfo:
        article.full_clean()
    assert list(excinfo.value.message_dict) == ["cover_alt"]

    article.cover_alt = "Ghe xuồng neo bên bến chợ nổi Cái Bè"
    article.full_clean()


def test_absolute_url_carries_section_slug_and_id():
    section = make_section(name="Kinh tế")
    article = make_article(section=section, title="Giá lúa tăng ở Đồng Tháp")

    url = article.get_absolute_url()

    assert url == f"/kinh-te/gia-lua-tang-o-dong-thap-{article.pk}.html"
    assert re.fullmatch(r"/[a-z0-9-]+/[a-z0-9-]+-\d+\.html", url)


def test_preview_url_is_not_the_public_url():
    draft = make_article(status=Article.Status.DRAFT)

    assert draft.get_preview_url() != draft.get_absolute_url()
    assert str(draft.pk) in draft.get_preview_url()


def test_published_at_defaults_to_now():
    article = Article(title="Tin", section=make_section())

    assert abs(article.published_at - timezone.now()) < timedelta(seconds=5)
