"""The newsroom's round trips through the admin, in the browser: a moderator
approves a reader's comment; an article goes from the journalist through the
editor's review to readers at its time; an article taken down is gone."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from comments.models import Comment
from comments.views import PENDING_MESSAGE
from demo.covers import MOTIF_ALT
from tests.e2e.content import DESKTOP, draw
from tests.e2e.helpers import log_in, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


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


def test_an_article_goes_through_review_and_appears_on_time(
    open_page, journalist, editor, newsroom, tmp_path
):
    """The done-when story: a journalist writes and submits; an editor sends it
    back with a note; the journalist fixes it and submits again; the editor
    schedules it; readers find it at its time, on the home page too."""
    cover = tmp_path / "tau-cao-toc.jpg"
    cover.write_bytes(draw("palms", seed="publish", size=(1200, 675)).read())

    desk = open_page(None, viewport=DESKTOP)
    log_in(desk, journalist)
    desk.goto(reverse("admin:articles_article_add"))
    desk.locator("#id_title").fill(TITLE)
    desk.locator("#id_sapo").fill(SAPO)

    # The body is typed into CKEditor's editing frame, as a journalist does.
    body = desk.frame_locator("#cke_id_body iframe").locator("body[contenteditable=true]")
    body.click()
    desk.keyboard.type(PARAGRAPHS[0])
    desk.keyboard.press("Enter")
    desk.keyboard.type(PARAGRAPHS[1])
    expect(body.locator("p")).to_have_text(PARAGRAPHS)

    desk.locator("#id_cover_image").set_input_files(cover)
    desk.locator("#id_cover_alt").fill(MOTIF_ALT["palms"])
    desk.locator("#id_section").select_option(label="Du lịch")
    desk.locator("#id_location").fill("Cao Lãnh")

    # The author through the autocomplete (select2) of the byline row.
    desk.locator("#id_bylines-0-author + .select2 .select2-selection").click()
    desk.locator(".select2-container--open .select2-search__field").fill("Thanh Tâm")
    desk.locator(".select2-results__option", has_text="Nguyễn Thanh Tâm").click()
    expect(desk.locator("#select2-id_bylines-0-author-container")).to_have_text(
        re.compile("Nguyễn Thanh Tâm")
    )
    # A journalist in an ordinary section submits; there is no publish button.
    expect(desk.get_by_role("button", name="Xuất bản", exact=True)).to_have_count(0)
    screenshot(desk, "review-article-form")
    desk.get_by_role("button", name="Gửi duyệt").click()
    expect(desk.locator(".messagelist .success").first).to_contain_text(TITLE)
    article = Article.objects.get(title=TITLE)
    assert article.publication_state == Article.State.REVIEW
    assert article.slug == SLUG

    # The editor finds it from the admin index, and sends it back with a note.
    chief = open_page(None, viewport=DESKTOP)
    log_in(chief, editor)
    chief.get_by_role("link", name=re.compile("1 bài đang chờ duyệt")).click()
    chief.get_by_role("link", name=TITLE).click()
    note = "Cần thêm số chuyến tàu mỗi tuần và giá vé."
    chief.get_by_role("button", name="Trả lại").click()
    expect(chief.locator(".errorlist").first).to_contain_text("vì sao bài được trả lại")
    chief.locator("#id_workflow_note").fill(note)
    chief.get_by_role("button", name="Trả lại").click()
    expect(chief.locator(".messagelist .success").first).to_be_visible()

    # The journalist reads the note on the form, fixes the sapo, submits again.
    desk.goto(reverse("admin:articles_myarticle_changelist"))
    expect(desk.locator(".field-last_note")).to_have_text(note)
    desk.get_by_role("link", name=TITLE).click()
    expect(desk.locator("[data-workflow-note]")).to_contain_text(note)
    fixed_sapo = SAPO + " Tàu chạy bốn chuyến mỗi tuần, vé 350.000 đồng."
    desk.locator("#id_sapo").fill(fixed_sapo)
    desk.get_by_role("button", name="Gửi duyệt").click()
    expect(desk.locator(".messagelist .success").first).to_be_visible()

    # The editor schedules it a few seconds ahead.
    chief.goto(reverse("admin:articles_article_change", args=[article.pk]))
    at = timezone.localtime(timezone.now() + timedelta(seconds=12))
    chief.locator("#id_published_at_0").fill(at.strftime("%Y-%m-%d"))
    chief.locator("#id_published_at_1").fill(at.strftime("%H:%M:%S"))
    chief.get_by_role("button", name="Hẹn giờ").click()
    expect(chief.locator(".messagelist .success").first).to_contain_text("Đã hẹn giờ")
    article.refresh_from_db()
    assert article.publication_state == Article.State.SCHEDULED
    assert article.sapo == fixed_sapo
    expected_url = f"/du-lich/{SLUG}-{article.pk}.html"

    # A reader (no session) is told nothing before its time, then finds it.
    reader = open_page(None, viewport=DESKTOP)
    assert reader.goto(expected_url).status == 404
    while timezone.now() < at:
        reader.wait_for_timeout(500)
    reader.goto("/")
    link = reader.get_by_role("link", name=TITLE).first
    expect(link).to_have_attribute("href", expected_url)
    screenshot(reader, "publish-home-page")
    link.click()

    expect(reader).to_have_url(re.compile(re.escape(expected_url) + "$"))
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(reader.locator(".sapo")).to_have_text(fixed_sapo)
    expect(reader.locator(".article-body p")).to_have_text(PARAGRAPHS)
    expect(reader.locator(".byline")).to_have_text("Nguyễn Thanh Tâm – Cao Lãnh")
    cover_image = reader.locator(".article-cover img")
    expect(cover_image).to_have_attribute("alt", MOTIF_ALT["palms"])
    reader.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=cover_image.element_handle()
    )
    screenshot(reader, "publish-article-page")


def test_a_taken_down_article_answers_410(open_page, editor, story):
    desk = open_page(None, viewport=DESKTOP)
    log_in(desk, editor)
    desk.goto(reverse("admin:articles_article_change", args=[story.pk]))
    desk.get_by_role("button", name="Gỡ bài").click()
    expect(desk.locator(".messagelist .success").first).to_be_visible()

    reader = open_page(None)
    response = reader.goto(story.get_absolute_url())
    assert response.status == 410
    expect(reader.get_by_role("heading", level=1)).to_have_text("Bài viết đã được gỡ")
