"""Autosave: the article form's content kept as the person's unsaved draft,
never as the article; offered back when the form is opened again; gone once
the article is saved."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, AutosavedDraft, EditingPresence
from portal.dates import short_datetime
from tests.articles.test_edit_conflicts import change_url, csrf, form_fields
from tests.factories import make_article, make_author, make_section, make_staff, staff_browser

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NEW_AUTOSAVE_URL = reverse("admin:articles_article_autosave_new")


def autosave_url(article):
    return reverse("admin:articles_article_autosave", args=[article.pk])


def send(client, url, fields, payload):
    """What the page's script posts: JSON, with the form's CSRF token in a header."""
    return client.post(
        url, json.dumps(payload), content_type="application/json", headers=csrf(fields)
    )


def as_draft(fields, **changes):
    """The page's autosave payload for ``fields`` with ``changes`` typed in."""
    typed = {
        name: values if isinstance(values, list) else [values]
        for name, values in fields.items()
        if name != "csrfmiddlewaretoken"
    }
    typed.pop("_save")
    typed.update({name: [value] for name, value in changes.items()})
    return {"fields": typed, "labels": {"section": {typed["section"][0]: "Nông nghiệp"}}}


def test_autosave_keeps_the_form_and_never_touches_the_article(editor):
    article = make_article(title="Giá lúa tăng nhẹ")
    stored = Article.objects.values().get(pk=article.pk)
    revisions = Version.objects.get_for_object(article).count()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))

    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        reply = send(client, autosave_url(article), fields, as_draft(fields, title="Giá lúa tăng"))
        saved_at = timezone.localtime()

    assert reply.status_code == 200
    assert reply.json() == {"message": f"Đã lưu tự động lúc {saved_at:%H:%M:%S}."}
    draft = AutosavedDraft.objects.get()
    assert (draft.user, draft.article, draft.version) == (editor, article, 1)
    assert draft.data["fields"]["title"] == ["Giá lúa tăng"]
    assert "csrfmiddlewaretoken" not in draft.data["fields"]
    assert Article.objects.values().get(pk=article.pk) == stored
    assert Version.objects.get_for_object(article).count() == revisions


def test_each_autosave_replaces_the_last_one(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))

    for title in ["Bản một", "Bản hai", "Bản ba"]:
        send(client, autosave_url(article), fields, as_draft(fields, title=title))

    assert list(AutosavedDraft.objects.values_list("data__fields__title", flat=True)) == [
        ["Bản ba"]
    ]


def test_reopening_the_form_offers_the_draft_to_restore(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))
    send(client, autosave_url(article), fields, as_draft(fields, title="Tiêu đề đang viết dở"))
    draft = AutosavedDraft.objects.get()

    page = client.get(change_url(article)).content.decode()

    assert f"Bạn có bản lưu tự động lúc {short_datetime(draft.saved_at)} chưa được lưu" in page
    assert "Khôi phục bản lưu tự động" in page
    assert "Bài đã được lưu lại sau khi có bản này" not in page
    script = '<script id="article-editing-draft" type="application/json">'
    offered = json.loads(page.split(script, 1)[1].split("</script>", 1)[0])
    assert offered["fields"]["title"] == ["Tiêu đề đang viết dở"]
    # The form itself still shows the stored article until the person restores.
    assert form_fields(client.get(change_url(article)))["title"] == article.title


def test_the_offer_says_when_the_article_was_saved_after_the_draft(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))
    send(client, autosave_url(article), fields, as_draft(fields, title="Bản cũ"))
    other = make_staff("bientap-khac", "Editors")
    other_client = staff_browser(other)
    other_fields = form_fields(other_client.get(change_url(article)))
    other_fields["location"] = ["Sa Đéc"]
    assert other_client.post(change_url(article), other_fields).status_code == 302

    page = client.get(change_url(article)).content.decode()

    assert "Bài đã được lưu lại sau khi có bản này" in page
    # The draft is the other person's business: theirs is untouched, and none made.
    assert AutosavedDraft.objects.get().user == editor


def test_saving_the_article_removes_the_savers_draft_and_no_one_elses(editor):
    article = make_article()
    other = make_staff("bientap-khac", "Editors")
    clients = {user: staff_browser(user) for user in (editor, other)}
    for user, client in clients.items():
        fields = form_fields(client.get(change_url(article)))
        send(client, autosave_url(article), fields, as_draft(fields, title=f"Bản của {user}"))
    assert AutosavedDraft.objects.count() == 2

    fields = form_fields(clients[editor].get(change_url(article)))
    assert clients[editor].post(change_url(article), fields).status_code == 302

    assert list(AutosavedDraft.objects.values_list("user", flat=True)) == [other.pk]
    assert (
        "Khôi phục bản lưu tự động" not in clients[editor].get(change_url(article)).content.decode()
    )


def test_a_refused_save_keeps_the_draft(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))
    send(client, autosave_url(article), fields, as_draft(fields, title="Bản nháp"))
    fields["title"] = [""]

    shown_again = client.post(change_url(article), fields)

    assert shown_again.status_code == 200
    assert AutosavedDraft.objects.filter(user=editor, article=article).exists()
    # A form shown with its errors holds the typing: no draft offered over it.
    assert "Khôi phục bản lưu tự động" not in shown_again.content.decode()
    assert 'data-unsaved="1"' in shown_again.content.decode()


def test_a_new_article_has_its_draft_until_it_is_saved(journalist):
    section = make_section(name="Nông nghiệp")
    make_author(name="Lê Hoàng Phúc", user=journalist)
    client = staff_browser(journalist)
    fields = form_fields(client.get(ADD_URL))
    payload = as_draft(fields, title="Bài viết dở về mùa nước nổi", section=str(section.pk))

    assert send(client, NEW_AUTOSAVE_URL, fields, payload).status_code == 200

    draft = AutosavedDraft.objects.get()
    assert (draft.article, draft.version) == (None, None)
    page = client.get(ADD_URL).content.decode()
    assert "Bạn có một bài đang viết dở, lưu tự động lúc" in page
    fields = form_fields(client.get(ADD_URL))
    fields.update(
        title=["Mùa nước nổi về sớm"],
        sapo=["Nước lên nhanh."],
        body=["<p>Nước lên nhanh từ đầu tháng Tám.</p>"],
        section=[str(section.pk)],
    )
    response = client.post(ADD_URL, fields)
    assert response.status_code == 302, response.context["errors"]
    assert Article.objects.filter(title="Mùa nước nổi về sớm").exists()
    assert not AutosavedDraft.objects.exists()


def test_a_draft_can_be_discarded(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))
    send(client, autosave_url(article), fields, as_draft(fields, title="Bỏ đi"))

    reply = send(client, autosave_url(article), fields, {"discard": True})

    assert reply.json() == {"discarded": True}
    assert not AutosavedDraft.objects.exists()
    assert Article.objects.get(pk=article.pk).title == article.title


def test_autosave_takes_only_a_forms_content_with_the_pages_token(journalist):
    own = make_article(status=Article.Status.DRAFT, created_by=journalist)
    someone_elses = make_article(status=Article.Status.DRAFT)
    published_own = make_article(created_by=journalist)
    client = staff_browser(journalist)
    fields = form_fields(client.get(change_url(own)))
    good = as_draft(fields, title="Bản nháp")

    assert client.get(autosave_url(own)).status_code == 405
    no_token = client.post(autosave_url(own), json.dumps(good), content_type="application/json")
    assert no_token.status_code == 403
    for bad in [
        None,
        [],
        {"fields": "tiêu đề"},
        {"fields": {"title": "x"}},
        {"fields": {}, "labels": {"a": {}}},
    ]:
        refused = send(client, autosave_url(own), fields, bad)
        assert refused.status_code == 400, bad
        assert refused.json() == {"error": "Nội dung gửi lên không phải một biểu mẫu bài viết."}
    for article in (someone_elses, published_own):
        refused = send(client, autosave_url(article), fields, good)
        assert refused.status_code == 403
    assert not AutosavedDraft.objects.exists()
    assert send(client, autosave_url(own), fields, good).status_code == 200


def test_the_page_carries_the_intervals_and_the_script(editor, settings):
    settings.EDITING_AUTOSAVE_SECONDS = 1.5
    settings.EDITING_HEARTBEAT_SECONDS = 4
    article = make_article()

    page = staff_browser(editor).get(change_url(article)).content.decode()

    assert 'data-autosave-ms="1500"' in page
    assert 'data-heartbeat-ms="4000"' in page
    assert (
        f'data-presence-url="{reverse("admin:articles_article_presence", args=[article.pk])}"'
        in page
    )
    assert "/static/js/article-editing.js" in page
    assert not EditingPresence.objects.exists()  # the page's script says it is open, not the GET


def test_a_form_that_cannot_be_edited_gets_no_autosave(journalist):
    published_own = make_article(created_by=journalist)

    page = staff_browser(journalist).get(change_url(published_own)).content.decode()

    assert 'id="article-editing"' not in page
