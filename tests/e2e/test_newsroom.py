"""The newsroom's round trips through the admin, in the browser: a moderator
approves a reader's comment, a journalist writes and publishes an article."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from comments.views import PENDING_MESSAGE
from demo.covers import MOTIF_ALT
from tests.e2e.content import DESKTOP, draw
from tests.e2e.helpers import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "matkhau-123"  # tests.factories.make_staff


def log_in(page, user):
    page.goto(reverse("admin:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def test_moderator_approves_in_one_click_and_the_reader_sees_it(open_page, story, moderator):
    # A reader posts from the article page.
    reader = open_page(story.get_absolute_url())
    expect(reader.locator("#y-kien-heading")).to_have_text("Ý kiến (0)")
    body = "Cảm ơn Báo Phù Sa, mong có thêm tin về giá lúa từng tuần."
    reader.get_by_label("Ý kiến của bạn").fill(body)
    reader.get_by_label("Họ tên").fill("Đặng Thị Lan")
    reader.get_by_role("button", name="Gửi").click()
    expect(reader.get_by_role("status")).to_have_text(PENDING_MESSAGE)

    # The moderator logs in and goes from the admin's front page to the queue.
    admin = open_page(None, viewport=DESKTOP)
    log_in(admin, moderator)
    admin.get_by_role("link", name=re.compile("1 ý kiến đang chờ duyệt")).click()
    expect(admin).to_have_url(re.compile(reverse("admin:comments_pendingcomment_changelist")))
    row = admin.locator("#result_list tbody tr", has_text=body)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(story.title)
    expect(row).to_contain_text("Đặng Thị Lan")
    screenshot(admin, "moderation-queue")

    row.get_by_role("button", name="Duyệt", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("Ý kiến của Đặng Thị Lan: đã duyệt.")
    expect(admin.locator("#result_list tbody tr", has_text=body)).to_have_count(0)
    screenshot(admin, "moderation-queue-after-approval")
    comment = Comment.objects.get(article=story)
    assert (comment.status, comment.moderated_by) == ("approved", moderator)

    # The reader reloads and finds the comment under the new count.
    reader.reload()
    expect(reader.locator("#y-kien-heading")).to_have_text("Ý kiến (1)")
    approved = reader.locator(".comment-list .comment")
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text("Đặng Thị Lan")
    expect(approved).to_contain_text(body)
    screenshot(reader, "moderation-reader-sees-approved-comment")


TITLE = "Đất Sen Hồng đón đoàn khách du lịch đầu tiên đi tàu cao tốc từ TP.HCM"
# Written out, not computed: "Đ" must become "d", not disappear.
SLUG = "dat-sen-hong-don-doan-khach-du-lich-dau-tien-di-tau-cao-toc-tu-tphcm"
SAPO = "Sáng nay, chuyến tàu cao tốc đầu tiên cập bến Cao Lãnh với hơn 150 du khách."
PARAGRAPHS = [
    "Đoàn khách được chào đón bằng những bó sen hồng và điệu hò Đồng Tháp.",
    "Tuyến tàu chạy mỗi ngày hai chuyến, mất khoảng bốn giờ từ Thành phố Hồ Chí Minh.",
]


def test_journalist_publishes_an_article_that_reaches_the_home_page(
    open_page, journalist, newsroom, tmp_path
):
    cover = tmp_path / "tau-cao-toc.jpg"
    cover.write_bytes(draw("palms", seed="publish", size=(1200, 675)).read())

    page = open_page(None, viewport=DESKTOP)
    log_in(page, journalist)
    page.goto(reverse("admin:articles_article_add"))
    page.locator("#id_section").select_option(label="Du lịch")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_sapo").fill(SAPO)

    # The body is typed into CKEditor's editing frame, as a journalist does.
    editor = page.frame_locator("#cke_id_body iframe").locator("body[contenteditable=true]")
    editor.click()
    page.keyboard.type(PARAGRAPHS[0])
    page.keyboard.press("Enter")
    page.keyboard.type(PARAGRAPHS[1])
    expect(editor.locator("p")).to_have_text(PARAGRAPHS)

    page.locator("#id_cover_image").set_input_files(cover)
    page.locator("#id_cover_alt").fill(MOTIF_ALT["palms"])
    page.locator("#id_location").fill("Cao Lãnh")

    # The author through the autocomplete (select2) of the byline row.
    page.locator("#id_bylines-0-author + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Thanh Tâm")
    page.locator(".select2-results__option", has_text="Nguyễn Thanh Tâm").click()
    expect(page.locator("#select2-id_bylines-0-author-container")).to_have_text(
        re.compile("Nguyễn Thanh Tâm")
    )
    page.locator("#id_status").select_option("published")
    screenshot(page, "publish-article-form")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(TITLE)

    article = Article.objects.get(title=TITLE)
    assert article.slug == SLUG
    assert article.is_public
    assert article.cover_image and article.cover_alt == MOTIF_ALT["palms"]
    expected_url = f"/du-lich/{SLUG}-{article.pk}.html"
    assert article.get_absolute_url() == expected_url

    # A reader (no session) finds it on the home page, the top story with its cover.
    reader = open_page("/", viewport=DESKTOP)
    link = reader.locator(".card--featured").get_by_role("link", name=TITLE)
    expect(link).to_have_attribute("href", expected_url)
    top_image = reader.locator(".card--featured img")
    expect(top_image).to_have_attribute("alt", MOTIF_ALT["palms"])
    screenshot(reader, "publish-home-page")
    link.click()

    expect(reader).to_have_url(re.compile(re.escape(expected_url) + "$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".sapo")).to_have_text(SAPO)
    expect(reader.locator(".article-body p")).to_have_text(PARAGRAPHS)
    expect(reader.locator(".byline")).to_have_text("Nguyễn Thanh Tâm – Cao Lãnh")
    cover_image = reader.locator(".article-cover img")
    expect(cover_image).to_have_attribute("alt", MOTIF_ALT["palms"])
    reader.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=cover_image.element_handle()
    )
    screenshot(reader, "publish-article-page")
