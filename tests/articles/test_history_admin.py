"""The article's history in the admin (Lịch sử): revisions made by the change
form, the list, the word-level comparison, restoring, and who may do what."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from articles import revisions, workflow
from articles.models import Article
from articles.revisions import Snapshot
from articles.services import save_article
from tests.factories import make_article, make_staff, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def history_url(article):
    return reverse("admin:articles_article_history", args=[article.pk])


def compare_url(article):
    return reverse("admin:articles_article_compare", args=[article.pk])


def restore_url(article, revision):
    return reverse("admin:articles_article_restore", args=[article.pk, revision.pk])


RESTORE = "Có, khôi phục phiên bản này"


def history(article):
    return list(revisions.revisions_of(article))


def save(article, by=None, **changes):
    for name, value in changes.items():
        setattr(article, name, value)
    save_article(article=article, by=by)


def test_a_save_through_the_change_form_is_a_revision_by_whoever_saved(editor):
    article = make_article(title="Nước lũ dâng cao ở Hồng Ngự")
    browser = staff_browser(editor)
    data = read(browser.get(change_url(article))).form_data("article_form")
    data["title"] = "Nước lũ rút nhanh ở Hồng Ngự"
    data["_save"] = "Lưu lại"

    response = browser.post(change_url(article), data)

    assert response.status_code == 302, response.context and response.context.get("errors")
    kept = history(article)
    assert len(kept) == 2
    assert kept[0].user == editor
    assert Snapshot.of_revision(kept[0], article).title == "Nước lũ rút nhanh ở Hồng Ngự"
    assert len(Snapshot.of_revision(kept[0], article).author_ids) == 1


def test_the_admins_history_link_leads_to_the_vietnamese_history(editor, journalist):
    editor.first_name, editor.last_name = "Hoa", "Trần"
    editor.save()
    article = make_article(status=Article.Status.DRAFT, created_by=journalist)
    workflow.perform(article=article, by=journalist, action=workflow.Action.SUBMIT)
    workflow.perform(
        article=article,
        by=editor,
        action=workflow.Action.SEND_BACK,
        note="Thiếu ý kiến của người dân.",
    )
    browser = staff_browser(editor)

    page = browser.get(change_url(article))
    assert f'href="{history_url(article)}"' in page.content.decode()
    response = browser.get(history_url(article))

    assert response.status_code == 200
    assert "admin/articles/article/history.html" in [t.name for t in response.templates]
    text = response.content.decode()
    assert "Lịch sử" in text and "Các phiên bản" in text
    assert "Hoa Trần" in text and "phongvien" in text and "Hệ thống" in text
    assert "Chờ duyệt" in text and "Bản nháp" in text
    assert response.context["page"].paginator.count == 3
    # The transitions, with the editor's note.
    assert "Trả lại" in text and "Gửi duyệt" in text
    assert "Thiếu ý kiến của người dân." in text
    assert "css/admin-history.css" in text


def test_the_comparison_highlights_the_changed_words(editor):
    article = make_article(title="Nước lũ dâng cao ở Hồng Ngự", body="<p>Giá lúa 7.000 đồng.</p>")
    save(article, editor, title="Nước lũ rút nhanh ở Hồng Ngự", body="<p>Giá lúa 7.500 đồng.</p>")
    newer, older = history(article)
    browser = staff_browser(editor)

    response = browser.get(compare_url(article), {"a": older.pk, "b": newer.pk})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nước lũ <del>dâng cao</del> <ins>rút nhanh</ins> ở Hồng Ngự" in text
    assert "Giá lúa <del>7.000</del> <ins>7.500</ins> đồng." in text
    assert "Không đổi: " in text and "Sapo" in text

    # Only the newer named: against the revision before it; either order reads the same.
    against_previous = browser.get(compare_url(article), {"b": newer.pk})
    assert [diff.name for diff in against_previous.context["changed"]] == ["title", "body"]
    swapped = browser.get(compare_url(article), {"a": newer.pk, "b": older.pk})
    assert "<del>dâng cao</del> <ins>rút nhanh</ins>" in swapped.content.decode()


def test_restoring_through_the_admin_makes_a_new_revision(editor):
    article = make_article(title="Bản đầu", sapo="Sapo đầu.")
    first = history(article)[0]
    save(article, editor, title="Bản sau", sapo="Sapo sau.")
    browser = staff_browser(editor)

    listing = browser.get(history_url(article)).content.decode()
    assert f'href="{restore_url(article, first)}"' in listing
    page = browser.get(restore_url(article, first))
    assert page.status_code == 200
    assert "Bản <del>sau</del> <ins>đầu</ins>" in page.content.decode()
    response = browser.post(
        restore_url(article, first), read(page).form_data(press=RESTORE), follow=True
    )

    assert response.redirect_chain == [(history_url(article), 302)]
    assert "Đã khôi phục nội dung phiên bản lúc" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.sapo) == ("Bản đầu", "Sapo đầu.")
    assert article.status == Article.Status.PUBLISHED
    kept = history(article)
    assert len(kept) == 3
    assert kept[0].user == editor and kept[0].comment.startswith("Khôi phục")
    assert Snapshot.of_revision(kept[1], article).title == "Bản sau"


def test_a_restore_posted_from_a_stale_page_changes_nothing(editor):
    article = make_article(title="Bản đầu")
    first = history(article)[0]
    save(article, editor, title="Bản sau")
    browser = staff_browser(editor)
    page = browser.get(restore_url(article, first))
    save(article, editor, title="Bản của người khác")

    response = browser.post(
        restore_url(article, first), read(page).form_data(press=RESTORE), follow=True
    )

    assert response.redirect_chain == [(restore_url(article, first), 302)]
    assert "chưa khôi phục gì" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Bản của người khác"
    assert len(history(article)) == 3


def test_a_restore_without_the_pages_token_is_refused(editor):
    article = make_article(title="Bản đầu")
    first = history(article)[0]
    save(article, editor, title="Bản sau")

    response = staff_browser(editor).post(restore_url(article, first), {"version": "2"})

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Bản sau"


def test_a_cover_whose_file_is_gone_stays_and_the_page_says_so(editor):
    article = make_article(title="Bản đầu", cover_alt="Ảnh cũ")
    old = default_storage.save("covers/2024/01/cu.jpg", ContentFile(b"x"))
    Article.objects.filter(pk=article.pk).update(cover_image=old)
    article.refresh_from_db()
    save(article, editor)
    first = history(article)[0]
    new = default_storage.save("covers/2024/02/moi.jpg", ContentFile(b"y"))
    save(article, editor, cover_image=new, cover_alt="Ảnh mới", title="Bản sau")
    default_storage.delete(old)
    browser = staff_browser(editor)

    page = browser.get(restore_url(article, first))
    response = browser.post(
        restore_url(article, first), read(page).form_data(press=RESTORE), follow=True
    )

    assert revisions.COVER_GONE in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.cover_image.name) == ("Bản đầu", new)


def test_who_may_see_the_history_and_who_may_restore(journalist, moderator):
    article = make_article(created_by=journalist, title="Bản đầu")  # published: editors edit it
    first = history(article)[0]
    save(article, title="Bản sau")
    reader_of_it = staff_browser(journalist)

    listing = reader_of_it.get(history_url(article))
    assert listing.status_code == 200
    assert "Khôi phục" not in listing.content.decode()
    assert reader_of_it.get(compare_url(article), {"b": first.pk}).status_code == 200
    assert reader_of_it.get(restore_url(article, first)).status_code == 403
    token_page = reader_of_it.get(history_url(article))
    token = token_page.cookies["csrftoken"].value
    refused = reader_of_it.post(
        restore_url(article, first),
        {"version": "2", "csrfmiddlewaretoken": token},
    )
    assert refused.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Bản sau"

    outsider = staff_browser(moderator)
    assert outsider.get(history_url(article)).status_code == 403
    assert outsider.get(compare_url(article), {"b": first.pk}).status_code == 403


def test_a_journalist_restores_their_own_draft(journalist):
    article = make_article(status=Article.Status.DRAFT, created_by=journalist, title="Bản đầu")
    first = history(article)[0]
    save(article, journalist, title="Bản sau")
    browser = staff_browser(journalist)

    page = browser.get(restore_url(article, first))
    browser.post(restore_url(article, first), read(page).form_data(press=RESTORE))

    article.refresh_from_db()
    assert article.title == "Bản đầu"
    assert article.status == Article.Status.DRAFT


def test_another_articles_revision_is_not_found(editor):
    article, other = make_article(), make_article()
    theirs = history(other)[0]
    browser = staff_browser(editor)

    assert browser.get(compare_url(article), {"b": theirs.pk}).status_code == 404
    assert browser.get(compare_url(article), {"b": "x"}).status_code == 404
    assert browser.get(restore_url(article, theirs)).status_code == 404


def test_many_revisions_are_paged():
    editor = make_staff("bientap2", "Editors")
    article = make_article()
    for n in range(55):
        save(article, editor, title=f"Lần {n}")
    browser = staff_browser(editor)

    first_page = browser.get(history_url(article))
    second_page = browser.get(history_url(article), {"p": 2})

    assert len(first_page.context["entries"]) == 50
    assert len(second_page.context["entries"]) == 6
    # Only the newest revision (first on the first page) has nothing to restore.
    assert [e["newest"] for e in first_page.context["entries"]][:2] == [True, False]
    assert not any(e["newest"] for e in second_page.context["entries"])
