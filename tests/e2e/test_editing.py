"""Two editors on one article in the browser: each sees the other (Đang được
sửa bởi …), the second save is refused and keeps what was typed; autosave
keeps a draft that a reopened form offers back, and leaving with changes asks."""

import html
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Article, AutosavedDraft
from tests.e2e.content import DESKTOP
from tests.e2e.helpers import screenshot
from tests.e2e.test_newsroom import log_in
from tests.factories import make_article, make_author, make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Giá lúa tươi tại ruộng tăng nhẹ đầu vụ Đông Xuân"
BODY = "<p>Giá lúa tươi tại ruộng tăng 200 đồng mỗi ký so với tuần trước.</p>"
BODY_TEXT = "CKEDITOR.instances.id_body.editable().getText()"


def open_form(open_page, user, article):
    page = open_page(None, viewport=DESKTOP)
    log_in(page, user)
    page.goto(reverse("admin:articles_article_change", args=[article.pk]))
    wait_for_editor(page)
    return page


def wait_for_editor(page):
    page.wait_for_function(
        "() => window.CKEDITOR && CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready'"
    )


def type_at_end_of_body(page, text):
    body = page.frame_locator("#cke_id_body iframe").locator("body[contenteditable=true] p")
    body.last.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def watch_dialogs(page) -> list[str]:
    """Every dialog the page opens (accepted), by type: "beforeunload" for a leave prompt."""
    seen = []

    def accept(dialog):
        seen.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    return seen


@pytest.fixture
def editors(newsroom):
    first = make_staff("bientap-a", "Editors")
    make_author(name="Võ Minh Khoa", user=first)
    second = make_staff("bientap-b", "Editors")
    second.first_name, second.last_name = "Trần Thị", "Mỹ Duyên"
    second.save()
    return first, second


def test_two_editors_see_each_other_and_the_second_save_keeps_its_typing(
    open_page, newsroom, editors, settings
):
    settings.EDITING_HEARTBEAT_SECONDS = 0.5
    first, second = editors
    article = make_article(
        section=newsroom["nong-nghiep"], title=TITLE, body=BODY, authors=[newsroom["tam"]]
    )
    a = open_form(open_page, first, article)
    b = open_form(open_page, second, article)
    b_dialogs = watch_dialogs(b)

    expect(b.locator(".article-editing-presence")).to_have_text("Đang được sửa bởi Võ Minh Khoa.")
    expect(a.locator(".article-editing-presence")).to_have_text(
        "Đang được sửa bởi Trần Thị Mỹ Duyên."
    )
    screenshot(b, "editing-presence")

    # A corrects the title and saves; A's page is gone, B learns of the save.
    a.locator("#id_title").fill(TITLE + " 2024")
    a.locator("input[name=_save]").click()
    expect(a.locator(".messagelist .success")).to_be_visible()
    expect(b.locator(".article-editing-presence")).to_be_hidden()
    expect(b.locator(".article-editing-saved")).to_contain_text("Võ Minh Khoa đã lưu bài lúc")

    # B, still on the version opened, adds a sentence and saves: refused, kept.
    type_at_end_of_body(b, " Thương lái thu mua mạnh.")
    b.locator("input[name=_save]").click()
    expect(b.locator(".errorlist.nonfield")).to_contain_text(
        "Trong lúc bạn sửa, Võ Minh Khoa đã lưu bài này lúc"
    )
    expect(b.locator("#article-editing-conflict")).to_contain_text("Tiêu đề")
    expect(b.locator("#article-editing-conflict ins")).to_have_text("2024")
    wait_for_editor(b)
    assert "Thương lái thu mua mạnh." in b.evaluate(BODY_TEXT)
    expect(b.locator("#id_title")).to_have_value(TITLE)
    screenshot(b, "editing-conflict")
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version) == (TITLE + " 2024", BODY, 2)

    # B takes A's title and saves again: both changes are stored.
    b.locator("#id_title").fill(TITLE + " 2024")
    b.locator("input[name=_save]").click()
    expect(b.locator(".messagelist .success")).to_be_visible()
    stored.refresh_from_db()
    assert (stored.title, stored.version) == (TITLE + " 2024", 3)
    assert "Thương lái thu mua mạnh." in html.unescape(stored.body)
    assert b_dialogs == []  # a submit never asks to leave


def test_autosave_keeps_a_draft_that_the_reopened_form_restores(
    open_page, newsroom, editors, settings
):
    settings.EDITING_AUTOSAVE_SECONDS = 0.5
    first, _ = editors
    article = make_article(
        section=newsroom["nong-nghiep"], title=TITLE, body=BODY, authors=[newsroom["tam"]]
    )
    page = open_form(open_page, first, article)
    dialogs = watch_dialogs(page)
    typed_title = "Giá lúa tăng mạnh nhờ thương lái thu mua"

    page.locator("#id_title").fill(typed_title)
    # A second author in the byline table's blank row, through its autocomplete.
    page.locator("#id_bylines-1-author + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Hoàng Phúc")
    page.locator(".select2-results__option", has_text="Lê Hoàng Phúc").click()
    type_at_end_of_body(page, " Nông dân phấn khởi.")
    expect(page.locator(".article-editing-status")).to_contain_text("Đã lưu tự động lúc")
    deadline = time.monotonic() + 10
    while True:  # the draft holds the last keystrokes once an autosave after them ran
        draft = AutosavedDraft.objects.filter(user=first, article=article).first()
        body = html.unescape(draft.data["fields"]["body"][0]) if draft else ""
        if "Nông dân phấn khởi." in body or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert draft.data["fields"]["title"] == [typed_title]
    assert draft.data["fields"]["bylines-1-author"] == [str(newsroom["phuc"].pk)]
    assert "Nông dân phấn khởi." in body
    assert Article.objects.values_list("title", "body", "version").get(pk=article.pk) == (
        TITLE,
        BODY,
        1,
    )

    # A preview in another tab leaves the form as it was; leaving it asks first.
    with page.context.expect_page() as preview:
        page.get_by_role("button", name="Xem trước").click()
    preview.value.close()
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]

    reopened = open_form(open_page, first, article)
    offer = reopened.locator(".article-editing-draft")
    expect(offer).to_contain_text("Bạn có bản lưu tự động lúc")
    expect(reopened.locator("#id_title")).to_have_value(TITLE)
    screenshot(reopened, "editing-draft-offer")
    offer.get_by_role("button", name="Khôi phục bản lưu tự động").click()

    expect(offer).to_be_hidden()
    expect(reopened.locator("#id_title")).to_have_value(typed_title)
    expect(reopened.locator("#select2-id_bylines-1-author-container")).to_contain_text(
        "Lê Hoàng Phúc"
    )
    reopened.wait_for_function(f"() => {BODY_TEXT}.includes('Nông dân phấn khởi.')")
    expect(reopened.locator(".article-editing-status")).to_contain_text(
        "Đã khôi phục bản lưu tự động"
    )

    reopened.locator("input[name=_save]").click()
    expect(reopened.locator(".messagelist .success")).to_be_visible()
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == typed_title
    assert "Nông dân phấn khởi." in html.unescape(stored.body)
    assert stored.author_names() == "Nguyễn Thanh Tâm, Lê Hoàng Phúc"
    assert not AutosavedDraft.objects.exists()
