"""Two people editing one article: the second save is refused with who saved in
between, when and what changed, everything typed kept; the "Đang được sửa bởi …"
notice while someone else has the form open."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from articles import editing
from articles.models import Article, Byline, EditingPresence
from articles.services import save_article
from portal.dates import dateline
from tests.factories import make_article, make_author, make_staff, staff_browser
from tests.pages import read

BODY = "<p>Giá lúa tươi tại ruộng tăng 200 đồng mỗi ký so với tuần trước.</p>"


def form_fields(response) -> dict:
    """The article form of an admin page as the browser posts it with "Lưu"."""
    assert response.status_code == 200
    return read(response).form_data("article_form", press="Lưu")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def csrf(fields) -> dict:
    return {"X-CSRFToken": fields["csrfmiddlewaretoken"]}


def two_editors():
    first = make_staff("bientap-a", "Editors")
    make_author(name="Lê Hoàng Phúc", user=first)
    second = make_staff("bientap-b", "Editors")
    second.first_name, second.last_name = "Trần Thị", "Mỹ Duyên"
    second.save()
    return first, second


def conflict_message(response) -> str:
    errors = response.context["adminform"].form.non_field_errors()
    assert len(errors) == 1, errors
    return errors[0]


@pytest.mark.django_db
def test_the_form_carries_its_version_and_what_it_was_opened_on(editor):
    article = make_article(title="Giá lúa tăng nhẹ", body=BODY)
    save_article(article=article, by=None)  # version 2

    fields = form_fields(staff_browser(editor).get(change_url(article)))

    assert fields["version"] == "2"
    opened = editing.read_snapshot(fields["opened"])
    assert opened["title"] == "Giá lúa tăng nhẹ"
    assert opened["body"] == BODY
    assert opened[editing.BYLINES] == [article.bylines.get().author_id]
    assert editing.read_snapshot(fields["opened"][:-3] + "abc") is None  # signed


@pytest.mark.django_db
def test_the_second_save_is_refused_naming_who_when_and_what_changed_keeping_the_typing():
    first, second = two_editors()
    article = make_article(title="Giá lúa tăng nhẹ", body=BODY)
    a, b = staff_browser(first), staff_browser(second)
    a_form = form_fields(a.get(change_url(article)))
    b_form = form_fields(b.get(change_url(article)))

    a_form["title"] = ["Giá lúa tăng nhẹ đầu vụ Đông Xuân"]
    assert a.post(change_url(article), a_form).status_code == 302
    typed = "<p>Giá lúa tươi tăng 250 đồng mỗi ký.</p><p>Thương lái thu mua mạnh.</p>"
    b_form["body"] = [typed]
    refused = b.post(change_url(article), b_form)

    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version) == (
        "Giá lúa tăng nhẹ đầu vụ Đông Xuân",
        BODY,
        2,
    )
    assert refused.status_code == 200
    message = conflict_message(refused)
    assert message.startswith(
        f"Trong lúc bạn sửa, Lê Hoàng Phúc đã lưu bài này lúc {dateline(stored.updated_at)}."
    )
    assert "mọi thứ bạn đã gõ vẫn còn nguyên" in message
    assert "Phần đã thay đổi: tiêu đề." in message
    page = refused.content.decode()
    assert "<ins>đầu vụ Đông Xuân</ins>" in page
    shown_again = form_fields(refused)
    assert shown_again["body"] == typed
    assert shown_again["title"] == "Giá lúa tăng nhẹ"  # what B's form held
    # Sent back with the next save: the version B has now seen.
    assert shown_again["version"] == "2"

    # B takes A's title into their version and saves again: both changes stored.
    shown_again["title"] = [stored.title]
    assert b.post(change_url(article), shown_again).status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.version, stored.updated_by) == (
        "Giá lúa tăng nhẹ đầu vụ Đông Xuân",
        3,
        second,
    )
    assert "Thương lái thu mua mạnh." in stored.body


@pytest.mark.django_db
def test_several_saves_in_between_are_counted_and_the_last_saver_named():
    first, second = two_editors()
    article = make_article(location="Cao Lãnh")
    b = staff_browser(second)
    b_form = form_fields(b.get(change_url(article)))
    b_form["sapo"] = ["Sapo mới của biên tập viên B."]
    save_article(article=article, by=None)
    article.location = "Sa Đéc"
    save_article(article=article, by=second)
    article.title = "Tiêu đề đã sửa"
    save_article(article=article, by=first)

    message = conflict_message(b.post(change_url(article), b_form))

    assert message.startswith(
        "Trong lúc bạn sửa, bài này đã được lưu 3 lần, lần gần nhất bởi Lê Hoàng Phúc"
    )
    assert "Phần đã thay đổi: tiêu đề, địa danh." in message


@pytest.mark.django_db
def test_a_save_from_the_current_version_goes_through(editor):
    article = make_article(title="Giá lúa tăng nhẹ")
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))
    fields["title"] = ["Giá lúa tăng mạnh"]

    assert client.post(change_url(article), fields).status_code == 302

    article.refresh_from_db()
    assert (article.title, article.version) == ("Giá lúa tăng mạnh", 2)


@pytest.mark.django_db
def test_what_changed_names_each_field_with_its_values_bylines_and_tags_included():
    first, second = make_author(name="Nguyễn Thanh Tâm"), make_author(name="Lê Hoàng Phúc")
    article = make_article(title="Khánh thành cầu Đình Trung", authors=[first])
    names = ["title", "sapo", "comments_open", editing.BYLINES]
    opened = editing.snapshot(article, names)
    article.title = "Khánh thành cầu Đình Trung nối hai bờ sông Tiền"
    article.comments_open = False

    def bylines():
        Byline.objects.filter(article=article).delete()
        Byline.objects.create(article=article, author=second, position=0)

    save_article(article=article, by=None, related=bylines)

    conflict = editing.conflict_since(article=article, version=1, opened=opened, names=names)
    changes = {change.name: change for change in conflict.changes}
    assert list(changes) == ["title", "comments_open", editing.BYLINES]
    assert changes["title"].pieces == [
        ("same", "Khánh thành cầu Đình Trung"),
        ("ins", "nối hai bờ sông Tiền"),
    ]
    assert (changes["comments_open"].before, changes["comments_open"].after) == ("có", "không")
    bylines_change = changes[editing.BYLINES]
    assert (bylines_change.label, bylines_change.before, bylines_change.after) == (
        "tác giả",
        "Nguyễn Thanh Tâm",
        "Lê Hoàng Phúc",
    )
    assert editing.conflict_since(article=article, version=2, opened=opened, names=names) is None


@pytest.mark.django_db
def test_when_both_forms_passed_the_check_the_service_refuses_the_later_and_the_form_returns(
    monkeypatch,
):
    first, second = two_editors()
    article = make_article(title="Giá lúa tăng nhẹ", body=BODY)
    b = staff_browser(second)
    b_form = form_fields(b.get(change_url(article)))
    b_form["body"] = ["<p>Bản của biên tập viên B.</p>"]
    article.title = "Tiêu đề của biên tập viên A"
    save_article(article=article, by=first)
    # B's check ran before A's save was committed: it saw the version B opened.
    real, calls = editing.conflict_since, []

    def checked_too_early(**kwargs):
        calls.append(kwargs["version"])
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(editing, "conflict_since", checked_too_early)

    refused = b.post(change_url(article), b_form)

    assert calls == [1, 1]  # the view ran again after the service refused
    assert refused.status_code == 200
    assert conflict_message(refused).startswith("Trong lúc bạn sửa, Lê Hoàng Phúc đã lưu")
    assert form_fields(refused)["body"] == "<p>Bản của biên tập viên B.</p>"
    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body, stored.version) == ("Tiêu đề của biên tập viên A", BODY, 2)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL (SQLite serializes every writer); CI runs this on PostgreSQL",
)
# serialized_rollback: the test starts from the migrated data (staff groups
# included) even after an earlier transactional test flushed the tables.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("meet", ["before posting", "after the version check"])
def test_two_editors_posting_at_once_store_exactly_one_save(meet, monkeypatch):
    first, second = two_editors()
    article = make_article(title="Giá lúa tăng nhẹ", body=BODY)
    barrier = threading.Barrier(2)
    if meet == "after the version check":
        # Both checks pass before either save: the row lock and the service decide.
        real, waited = editing.conflict_since, threading.local()

        def check_then_meet(**kwargs):
            found = real(**kwargs)
            if not getattr(waited, "done", False):
                waited.done = True
                barrier.wait(timeout=10)
            return found

        monkeypatch.setattr(editing, "conflict_since", check_then_meet)
    editors = {first.username: first, second.username: second}
    forms, responses, errors = {}, {}, []
    for username, user in editors.items():
        client = staff_browser(user)
        fields = form_fields(client.get(change_url(article)))
        fields["body"] = [f"<p>Bản của {username}.</p>"]
        forms[username] = (client, fields)

    def post(username):
        try:
            client, fields = forms[username]
            if meet == "before posting":
                barrier.wait(timeout=10)
            responses[username] = client.post(change_url(article), fields)
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(username,)) for username in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    codes = {username: response.status_code for username, response in responses.items()}
    assert sorted(codes.values()) == [200, 302]
    winner = next(username for username, code in codes.items() if code == 302)
    loser = next(username for username, code in codes.items() if code == 200)
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version, stored.updated_by.username) == (
        f"<p>Bản của {winner}.</p>",
        2,
        winner,
    )
    refused = responses[loser]
    winner_name = editing.editor_name(editors[winner])
    assert conflict_message(refused).startswith(f"Trong lúc bạn sửa, {winner_name} đã lưu")
    assert form_fields(refused)["body"] == f"<p>Bản của {loser}.</p>"


# Đang được sửa bởi …


@pytest.mark.django_db
def test_an_open_form_is_announced_to_the_others_and_not_to_oneself():
    first, second = two_editors()
    article = make_article()
    a, b = staff_browser(first), staff_browser(second)
    a_form = form_fields(a.get(change_url(article)))

    reply = a.post(presence_url(article), {"version": "1"}, headers=csrf(a_form)).json()
    assert reply == {"presence": "", "saved": ""}

    page = b.get(change_url(article))
    assert "Đang được sửa bởi Lê Hoàng Phúc." in page.content.decode()
    b.post(presence_url(article), {"version": "1"}, headers=csrf(form_fields(page)))
    reply = a.post(presence_url(article), {"version": "1"}, headers=csrf(a_form)).json()
    assert reply["presence"] == "Đang được sửa bởi Trần Thị Mỹ Duyên."
    a_page = a.get(change_url(article)).content.decode()
    assert "Đang được sửa bởi Trần Thị Mỹ Duyên." in a_page
    assert "bởi Lê Hoàng Phúc" not in a_page


@pytest.mark.django_db
def test_the_notice_goes_soon_after_the_page_is_left_or_stops_beating():
    first, second = two_editors()
    article = make_article()
    a, b = staff_browser(first), staff_browser(second)
    a_form = form_fields(a.get(change_url(article)))
    b_form = form_fields(b.get(change_url(article)))

    def b_sees():
        reply = b.post(presence_url(article), {"version": "1"}, headers=csrf(b_form)).json()
        return reply["presence"]

    a.post(presence_url(article), {"version": "1"}, headers=csrf(a_form))
    assert b_sees() == "Đang được sửa bởi Lê Hoàng Phúc."
    # The page's goodbye, as its beacon sends it: the token in the form data.
    token = a_form["csrfmiddlewaretoken"]
    a.post(presence_url(article), {"leaving": "1", "csrfmiddlewaretoken": token})
    assert b_sees() == ""
    assert not EditingPresence.objects.filter(user=first).exists()

    a.post(presence_url(article), {"version": "1"}, headers=csrf(a_form))
    with time_machine.travel(timezone.now() + timedelta(seconds=59)):
        assert b_sees() == "Đang được sửa bởi Lê Hoàng Phúc."
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert b_sees() == ""


@pytest.mark.django_db
def test_an_open_form_learns_that_someone_saved_the_article_since():
    first, second = two_editors()
    article = make_article()
    b = staff_browser(second)
    b_form = form_fields(b.get(change_url(article)))
    save_article(article=article, by=first)

    reply = b.post(presence_url(article), {"version": "1"}, headers=csrf(b_form)).json()

    saved_at = timezone.localtime(Article.objects.get(pk=article.pk).updated_at)
    assert reply["saved"].startswith(f"Lê Hoàng Phúc đã lưu bài lúc {saved_at:%H:%M:%S}")
    reply = b.post(presence_url(article), {"version": "2"}, headers=csrf(b_form)).json()
    assert reply["saved"] == ""


@pytest.mark.django_db
def test_presence_is_posted_with_the_pages_token_by_someone_who_may_edit(client, journalist):
    someone_elses = make_article(status=Article.Status.DRAFT)
    own = make_article(status=Article.Status.DRAFT, created_by=journalist)
    browser = staff_browser(journalist)
    token = csrf(form_fields(browser.get(change_url(own))))

    assert browser.get(presence_url(own)).status_code == 405
    assert browser.post(presence_url(own)).status_code == 403  # no CSRF token
    refused = browser.post(presence_url(someone_elses), headers=token)
    assert refused.status_code == 403
    assert refused.json() == {"error": "Bạn không có quyền sửa bài này."}
    assert browser.post(presence_url(own), headers=token).status_code == 200
    missing = reverse("admin:articles_article_presence", args=[someone_elses.pk + 100])
    assert browser.post(missing, headers=token).status_code == 404
    assert client.post(presence_url(own)).status_code == 302  # to the login page
    assert list(EditingPresence.objects.values_list("article", "user")) == [(own.pk, journalist.pk)]


@pytest.mark.django_db
def test_saving_an_article_writes_no_presence(editor):
    article = make_article()
    client = staff_browser(editor)
    fields = form_fields(client.get(change_url(article)))

    assert client.post(change_url(article), fields).status_code == 302
    assert not EditingPresence.objects.exists()


@pytest.mark.django_db
def test_saving_the_form_leaves_it_for_the_others_without_waiting_for_its_goodbye():
    first, second = two_editors()
    article = make_article()
    a, b = staff_browser(first), staff_browser(second)
    a_fields = form_fields(a.get(change_url(article)))
    b_form = form_fields(b.get(change_url(article)))
    a.post(presence_url(article), {"version": "1"}, headers=csrf(a_fields))

    assert a.post(change_url(article), a_fields).status_code == 302

    reply = b.post(presence_url(article), {"version": "1"}, headers=csrf(b_form)).json()
    assert reply["presence"] == ""
    assert not EditingPresence.objects.filter(user=first).exists()
