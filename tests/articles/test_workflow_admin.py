"""The workflow in the admin, as journalists and editors use it: the buttons each
sees, the note that sends a draft back, the lists "Chờ duyệt" and "Bài của tôi"."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Tag, Transition
from tests.factories import make_article, make_author, make_section, make_staff, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
REVIEW_LIST = reverse("admin:articles_articleinreview_changelist")
MY_LIST = reverse("admin:articles_myarticle_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def buttons(page) -> list[str]:
    """The workflow buttons the page offers, by their action."""
    import re

    return re.findall(r'<button type="submit" name="_workflow" value="([a-z_]+)"', page.text)


def press(browser, article, action=None, **changes):
    """Open the article's form, change fields as typed, press a button."""
    page = browser.get(change_url(article))
    assert page.status_code == 200
    data = {**read(page).form_data("article_form"), **changes}
    if action:
        data["_workflow"] = action
    else:
        data["_save"] = "Lưu lại"
    return browser.post(change_url(article), data)


def own_draft(journalist, **kw):
    article = make_article(status=Article.Status.DRAFT, **kw)
    Article.objects.filter(pk=article.pk).update(created_by=journalist)
    article.refresh_from_db()
    return article


def test_a_journalist_submits_and_sees_no_publish_button(journalist):
    article = own_draft(journalist)
    browser = staff_browser(journalist)
    assert buttons(browser.get(change_url(article))) == ["submit"]

    response = press(browser, article, "submit", title="Tiêu đề đã sửa trước khi gửi")

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == (
        Article.Status.REVIEW,
        "Tiêu đề đã sửa trước khi gửi",
    )
    assert buttons(browser.get(change_url(article))) == ["withdraw"]


def test_in_a_section_where_journalists_publish_they_publish(journalist):
    article = own_draft(journalist, section=make_section(journalists_publish=True))
    browser = staff_browser(journalist)
    assert buttons(browser.get(change_url(article))) == ["submit", "publish", "schedule"]

    assert press(browser, article, "publish").status_code == 302
    article.refresh_from_db()
    assert article.is_public
    # Published, it is the editors' to change: the form opens read-only.
    page = browser.get(change_url(article))
    assert buttons(page) == []
    assert 'name="_save"' not in page.text


def test_a_forged_publish_button_is_refused_with_the_typing_kept(journalist):
    article = own_draft(journalist)
    response = press(staff_browser(journalist), article, "publish", title="Tin sửa vội")

    assert response.status_code == 200
    assert "Bạn không có quyền thực hiện thao tác này" in response.text
    assert 'value="Tin sửa vội"' in response.text
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert not Transition.objects.exists()


def test_a_colleagues_article_opens_read_only_and_a_post_is_refused(journalist):
    article = make_article(status=Article.Status.DRAFT, title="Bài của đồng nghiệp")
    browser = staff_browser(journalist)
    page = browser.get(change_url(article))
    assert page.status_code == 200
    assert 'name="_save"' not in page.text and buttons(page) == []

    token = read(browser.get(ADD_URL)).value("csrfmiddlewaretoken")
    refused = browser.post(change_url(article), {"csrfmiddlewaretoken": token, "title": "Sửa"})
    assert refused.status_code == 403
    article.refresh_from_db()
    assert article.title == "Bài của đồng nghiệp"


def test_an_editor_sends_back_only_with_a_note_and_the_journalist_reads_it(journalist, editor):
    article = own_draft(journalist)
    article.status = Article.Status.REVIEW
    Article.objects.filter(pk=article.pk).update(status=Article.Status.REVIEW)
    desk = staff_browser(editor)
    assert buttons(desk.get(change_url(article))) == [
        "withdraw",
        "send_back",
        "publish",
        "schedule",
    ]

    refused = press(desk, article, "send_back", sapo="Sapo biên tập viên đã sửa.")
    assert refused.status_code == 200
    assert "vì sao bài được trả lại" in refused.text
    assert "Sapo biên tập viên đã sửa." in refused.text  # nothing typed is lost
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW

    note = "Thiếu ý kiến của người dân ở Cồn Tre; bổ sung rồi gửi lại."
    assert press(desk, article, "send_back", workflow_note=note).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT

    page = staff_browser(journalist).get(change_url(article))
    assert "Bài được trả lại" in page.text and note in page.text
    mine = staff_browser(journalist).get(MY_LIST)
    assert note in mine.text


def test_an_editor_schedules_from_the_form(journalist, editor):
    article = own_draft(journalist)
    at = timezone.localtime(timezone.now() + timedelta(days=1)).replace(microsecond=0)
    response = press(
        staff_browser(editor),
        article,
        "schedule",
        published_at_0=at.strftime("%Y-%m-%d"),
        published_at_1=at.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.publication_state, article.published_at) == (Article.State.SCHEDULED, at)

    past = press(
        staff_browser(editor),
        article,
        "schedule",
        published_at_0="2020-01-01",
        published_at_1="08:00:00",
    )
    assert past.status_code == 200 and "Giờ hẹn đăng phải ở tương lai" in past.text


def first_button(page) -> str:
    """The button Enter in a field presses: the form's first submit button."""
    import re

    form = page.text[page.text.index('<form enctype="multipart/form-data"') :]
    return re.search(r'<(?:input|button) type="submit"[^>]*name="([^"]+)"', form)[1]


def test_an_editor_takes_down_and_republishes(editor):
    article = make_article()
    desk = staff_browser(editor)
    page = desk.get(change_url(article))
    assert buttons(page) == ["unpublish"]
    assert first_button(page) == "_save"  # Enter saves; it never takes the article down
    assert press(desk, article, "unpublish").status_code == 302
    assert desk.get(article.get_absolute_url()).status_code == 410
    assert buttons(desk.get(change_url(article))) == ["republish"]
    assert press(desk, article, "republish").status_code == 302
    assert desk.get(article.get_absolute_url()).status_code == 200


def test_new_tags_are_typed_in_the_form_and_existing_ones_reused(editor):
    existing = Tag.objects.create(name="Mùa nước nổi")
    article = make_article()
    page = staff_browser(editor).get(change_url(article))
    assert 'id="add_id_tags"' not in page.text  # no popup to make a tag

    response = press(staff_browser(editor), article, new_tags="mùa nước nổi, Lũ sớm , , Lũ sớm")
    assert response.status_code == 302
    assert set(article.tags.values_list("name", flat=True)) == {"Mùa nước nổi", "Lũ sớm"}
    assert Tag.objects.filter(name="Mùa nước nổi").get() == existing


def test_a_new_article_starts_with_the_journalists_own_byline(journalist):
    own = make_author(name="Nguyễn Thị Phóng Viên", user=journalist)
    page = staff_browser(journalist).get(ADD_URL)
    assert read(page).form_data("article_form")["bylines-0-author"] == str(own.pk)


def test_the_form_follows_the_order_a_journalist_works_in(editor):
    page = staff_browser(editor).get(change_url(make_article())).text
    marks = [
        'name="title"',
        'name="sapo"',
        'name="body"',
        'name="cover_image"',
        'name="section"',
        'name="tags"',
        'name="location"',
        'name="bylines-0-author"',
        'name="published_at_0"',
    ]
    positions = [page.index(mark) for mark in marks]
    assert positions == sorted(positions)


def test_the_review_list_is_oldest_first_for_editors_with_its_count(journalist, editor):
    first = own_draft(journalist, title="Gửi trước: cầu Cồn Tre")
    second = own_draft(journalist, title="Gửi sau: chợ nổi")
    browser = staff_browser(journalist)
    for article in (first, second):
        assert press(browser, article, "submit").status_code == 302

    listed = staff_browser(editor).get(REVIEW_LIST)
    assert listed.status_code == 200
    assert listed.text.index(first.title) < listed.text.index(second.title)
    assert change_url(first) in listed.text
    index = staff_browser(editor).get(reverse("admin:index"))
    assert "<strong>2</strong> bài đang chờ duyệt" in index.text

    assert staff_browser(journalist).get(REVIEW_LIST).status_code == 403
    assert "bài đang chờ duyệt" not in staff_browser(journalist).get(reverse("admin:index")).text


def test_my_articles_lists_only_ones_own(journalist):
    mine = own_draft(journalist, title="Bài tôi viết")
    byline = make_article(
        status=Article.Status.DRAFT,
        title="Bài có tên tôi",
        authors=[make_author(user=journalist)],
    )
    make_article(title="Bài của người khác")
    page = staff_browser(journalist).get(MY_LIST)
    assert mine.title in page.text and byline.title in page.text
    assert "Bài của người khác" not in page.text
    assert staff_browser(make_staff("kiemduyet", "Moderators")).get(MY_LIST).status_code == 403
