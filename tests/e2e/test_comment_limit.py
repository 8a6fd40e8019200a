"""The live counter counts against the limit the server renders from MAX_BODY_CHARS."""

import re

import pytest
from playwright.sync_api import expect

from comments import models as comment_models
from comments.models import Comment
from tests.factories import make_article

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_counter_and_sending_follow_max_body_chars(monkeypatch, open_page):
    monkeypatch.setattr(comment_models, "MAX_BODY_CHARS", 20)  # the server thread reads it too
    article = make_article()
    page = open_page(article.get_absolute_url())
    expect(page.locator("[data-comments-body]")).not_to_have_attribute("aria-busy", "true")
    box = page.get_by_label("Ý kiến của bạn")
    counter = page.locator("#y-kien-counter")
    warning = page.get_by_text("Ý kiến tối đa 20 ký tự")
    send = page.get_by_role("button", name="Gửi")
    expect(counter).to_have_text("0 / 20 ký tự")

    box.fill("ệ" * 20)
    expect(counter).to_have_text("20 / 20 ký tự")
    expect(warning).to_be_hidden()
    expect(send).to_be_enabled()

    box.press_sequentially("!")
    expect(counter).to_have_text("21 / 20 ký tự")
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    expect(warning).to_be_visible()
    expect(send).to_be_disabled()

    box.press("Backspace")
    page.get_by_label("Họ tên").fill("Phạm Văn Đồng")
    send.click()
    expect(page.get_by_role("status")).to_have_text(re.compile("đang chờ duyệt"))
    assert Comment.objects.get(article=article).body == "ệ" * 20
