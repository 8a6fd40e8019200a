"""Trusted commenters (COMMENTS_TRUST): the confirmation link, approval without
waiting, what revokes it, what it never approves, and undoing it."""

import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail, signing
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import trust
from comments.models import BannedTerm, Comment, CommenterBan, CommenterEmail, ModerationLog
from comments.services import moderate
from tests.factories import make_article, make_comment, staff_browser
from tests.pages import read

pytestmark = pytest.mark.django_db

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
EMAIL = "mai.nguyen@example.vn"
TRUSTED_BODY = "Mong tỉnh sớm làm đường ven sông qua xã Mỹ An."


@pytest.fixture(autouse=True)
def _room_to_post(settings):
    settings.COMMENTS_RATE_LIMIT = "100/m"
    settings.SITE_URL = "https://baophusa.example"


@pytest.fixture
def trust_on(settings):
    settings.COMMENTS_TRUST = True
    settings.COMMENTS_TRUST_APPROVED = 3
    settings.COMMENTS_TRUST_DAYS = 90
    return settings


@pytest.fixture
def reader(django_capture_on_commit_callbacks):
    """A reader's browser posting the article page's plain form (the token it carries);
    what follows the commit (the mail, the list's refresh) runs."""
    browser = Client(enforce_csrf_checks=True)

    def post(article, body=TRUSTED_BODY, email=EMAIL, name="Nguyễn Thị Mai"):
        page = read(browser.get(reverse("comments:list", args=[article.pk])))
        sent = page.form_data(press="Gửi", name=name, email=email, body=body)
        with django_capture_on_commit_callbacks(execute=True):
            response = browser.post(reverse("comments:post", args=[article.pk]), sent, **SCRIPT)
        assert response.status_code == 201, response.content.decode()
        return Comment.objects.filter(article=article).latest("id")

    post.browser = browser
    return post


def confirmed(email=EMAIL):
    return CommenterEmail.objects.create(email=email, confirmed_at=timezone.now())


def approved_record(moderator, *, email=EMAIL, count=3, **kw):
    """``count`` comments from ``email``, approved by ``moderator``."""
    article = make_article()
    for n in range(count):
        comment = make_comment(article=article, email=email, body=f"Ý kiến cũ số {n}.", **kw)
        assert moderate(comment=comment, moderator=moderator, status="approved")
    return article


def trusted(moderator, email=EMAIL):
    confirmed(email)
    approved_record(moderator, email=email)


def count_of(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


# Off by default


def test_off_by_default_a_trusted_commenter_waits(reader, moderator, settings):
    assert settings.COMMENTS_TRUST is False
    trusted(moderator)
    comment = reader(make_article())
    assert comment.status == "pending"
    assert not mail.outbox


# The confirmation link


def test_an_unconfirmed_address_gets_one_link_a_day(reader, trust_on):
    article = make_article()
    first = reader(article, email="Mai.Nguyen@Example.VN")
    assert first.status == "pending"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Xác nhận địa chỉ e-mail của bạn – Báo Phù Sa"
    assert message.from_email == "Báo Phù Sa <khong-tra-loi@baophusa.vn>"
    assert 'bấm "Xác nhận"' in message.body
    assert re.search(r"https://baophusa\.example/y-kien/xac-nhan-email/\S+/", message.body)
    assert CommenterEmail.objects.get().sent_at is not None

    reader(article, body="Ý kiến thứ hai trong ngày.")
    assert len(mail.outbox) == 1  # nobody floods an inbox by typing its address

    CommenterEmail.objects.update(sent_at=timezone.now() - timedelta(hours=25))
    reader(article, body="Ý kiến của ngày hôm sau.")
    assert len(mail.outbox) == 2


def test_no_link_for_spam_or_without_an_address(reader, trust_on):
    BannedTerm.objects.create(term="nhà cái uy tín", action=BannedTerm.Action.SPAM)
    article = make_article()
    assert reader(article, body="Vào nhà cái uy tín nhận thưởng").status == "spam"
    assert reader(article, email="").status == "pending"
    assert not mail.outbox
    assert not CommenterEmail.objects.exists()


def link_path(message) -> str:
    return re.search(r"https://baophusa\.example(/\S+/)", message.body)[1]


def test_the_link_shows_a_button_and_only_the_post_confirms(reader, trust_on):
    reader(make_article())
    path = link_path(mail.outbox[0])
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(path)  # what a mail scanner does, too
    assert page.status_code == 200
    assert "no-cache" in page["Cache-Control"] and "private" in page["Cache-Control"]
    shown = read(page)
    assert EMAIL in shown.text and "Xác nhận" in [b["text"] for b in shown.buttons]
    assert CommenterEmail.objects.get().confirmed_at is None

    assert browser.post(path).status_code == 403  # no token: not from the page
    assert CommenterEmail.objects.get().confirmed_at is None

    done = browser.post(path, shown.form_data(press="Xác nhận"))
    assert done.status_code == 200
    assert "địa chỉ e-mail đã được xác nhận" in done.content.decode()
    first = CommenterEmail.objects.get().confirmed_at
    assert first is not None
    browser.post(path, shown.form_data(press="Xác nhận"))
    assert CommenterEmail.objects.get().confirmed_at == first  # the first time is kept


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_expired_link_is_400_with_a_way_forward(reader, trust_on, method):
    reader(make_article())
    path = link_path(mail.outbox[0])
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = reverse("comments:confirm_email", args=[f"{token[:-3]}abc"])
    # Signed with the site's key, but for another purpose.
    other = reverse("comments:confirm_email", args=[signing.dumps(EMAIL, salt="khac")])
    garbage = "/y-kien/xac-nhan-email/%C4%91%20%3Cb%3E/"
    client = Client()  # CSRF aside: a link that is no link is refused first
    for url in (forged, other, garbage):
        response = getattr(client, method)(url)
        assert response.status_code == 400, url
        text = response.content.decode()
        assert "Liên kết xác nhận không đúng hoặc đã hết hạn." in text
        assert "Hãy gửi một ý kiến mới" in text

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = getattr(client, method)(path)
    assert expired.status_code == 400
    assert CommenterEmail.objects.get().confirmed_at is None


# Approved without waiting


def test_a_trusted_commenter_is_approved_at_once_and_logged(reader, trust_on, moderator):
    trusted(moderator)
    article = make_article()
    comment = reader(article, email="MAI.nguyen@example.vn")  # case aside
    assert comment.status == "approved"
    assert comment.moderated_by is None
    assert count_of(article) == 1
    log = comment.moderation_logs.get()
    assert log.moderator is None
    assert (log.from_status, log.to_status) == ("pending", "approved")
    assert log.reason.startswith("Người gửi tin cậy: e-mail đã xác nhận, 3 ý kiến được duyệt")
    listed = reader.browser.get(reverse("comments:list", args=[article.pk]), **SCRIPT)
    assert TRUSTED_BODY in listed.content.decode()
    assert "Ý kiến (1)" in listed.content.decode()
    assert not mail.outbox
    assert trust.is_trusted(EMAIL, timezone.now())


def test_confirmed_but_too_few_approvals_waits(reader, trust_on, moderator):
    confirmed()
    approved_record(moderator, count=2)
    assert reader(make_article()).status == "pending"
    assert not trust.is_trusted(EMAIL, timezone.now())


def test_approvals_without_confirmation_wait(reader, trust_on, moderator):
    approved_record(moderator)
    assert reader(make_article()).status == "pending"
    assert len(mail.outbox) == 1


def test_only_the_window_and_only_moderators_approvals_count(reader, trust_on, moderator):
    confirmed()
    approved_record(moderator, count=2)
    long_ago = approved_record(moderator, count=2)
    Comment.objects.filter(article=long_ago).update(created_at=timezone.now() - timedelta(days=91))
    # The site's own approvals (earlier trusted ones) do not earn trust.
    by_the_site = approved_record(moderator, count=2)
    Comment.objects.filter(article=by_the_site).update(moderated_by=None)
    assert reader(make_article()).status == "pending"
    trust_on.COMMENTS_TRUST_APPROVED = 2
    assert reader(make_article(), body="Với hai ý kiến là đủ.").status == "approved"


def test_one_rejection_in_the_window_revokes_trust(reader, trust_on, moderator):
    trusted(moderator)
    slip = make_comment(email=EMAIL.upper(), body="Một ý kiến bị từ chối.")
    moderate(comment=slip, moderator=moderator, status="rejected", reason="Xúc phạm")
    comment = reader(make_article())
    assert comment.status == "pending"
    assert not comment.moderation_logs.exists()

    # Out of the window, the rejection does not count against them.
    Comment.objects.filter(pk=slip.pk).update(created_at=timezone.now() - timedelta(days=91))
    assert reader(make_article(), body="Ý kiến sau ba tháng.").status == "approved"


def test_taking_down_an_automatic_approval_revokes_trust(reader, trust_on, moderator):
    trusted(moderator)
    first = reader(make_article())
    assert first.status == "approved"
    moderate(comment=first, moderator=moderator, status="spam")
    assert reader(make_article(), body="Ý kiến tiếp theo.").status == "pending"


@pytest.mark.parametrize(
    "body, reason",
    [
        ("Ai cần mua lúa giống liên hệ 0912 345 678 nhé.", "phone:"),
        ("Kết bạn zalo @maitrongnha để trao đổi.", "chat:"),
        ("Xem http://a.example http://b.example http://c.example", "links"),
        ("Đừng tin mấy trang vay nóng trên mạng.", "betting:"),
    ],
)
def test_a_comment_held_by_a_rule_waits_with_its_reason(reader, trust_on, moderator, body, reason):
    trusted(moderator)
    comment = reader(make_article(), body=body)
    assert comment.status == "pending"
    assert reason in comment.held_reason
    assert not comment.moderation_logs.exists()


def test_a_banned_term_held_and_a_banned_commenter_are_never_approved(reader, trust_on, moderator):
    trusted(moderator)
    BannedTerm.objects.create(term="lừa đảo", action=BannedTerm.Action.HOLD)
    assert reader(make_article(), body="Coi chừng lừa đảo qua mạng.").status == "pending"

    CommenterBan.objects.create(email=EMAIL, reason="Quấy rối")
    banned = reader(make_article(), body="Tôi lại viết đây.")
    assert banned.status == "spam"
    assert banned.moderation_logs.get().to_status == "spam"


# Undo


def test_the_automatic_approval_is_undone_from_the_admin(reader, trust_on, moderator):
    trusted(moderator)
    article = make_article()
    comment = reader(article)
    assert count_of(article) == 1
    log = comment.moderation_logs.get()
    desk = staff_browser(moderator)
    history = desk.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert any("Hệ thống (tự động)" in piece for piece in read(history).text)
    assert any("Người gửi tin cậy" in piece for piece in read(history).text)
    token = read(history).value("csrfmiddlewaretoken")

    undone = desk.post(
        reverse("admin:comments_moderationlog_undo", args=[log.pk]),
        {"csrfmiddlewaretoken": token},
        follow=True,
    )
    assert "Đã hoàn tác" in undone.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert count_of(article) == 0
    last = ModerationLog.objects.filter(comment=comment).latest("id")
    assert (last.from_status, last.to_status, last.moderator) == ("approved", "pending", moderator)


def test_the_history_sends_an_automatic_approval_back_to_the_queue(reader, trust_on, moderator):
    trusted(moderator)
    article = make_article()
    comment = reader(article)
    desk = staff_browser(moderator)
    history = read(desk.get(reverse("admin:comments_comment_changelist")))
    sent = history.form_data(
        "changelist-form", action="restore_to_queue", _selected_action=str(comment.pk)
    )
    desk.post(reverse("admin:comments_comment_changelist"), sent)
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert count_of(article) == 0


# The moderators' list


def test_moderators_see_the_addresses_read_only(client, moderator):
    confirmed()
    CommenterEmail.objects.create(email="chua-xac-nhan@example.vn", sent_at=timezone.now())
    desk = staff_browser(moderator)
    listed = desk.get(reverse("admin:comments_commenteremail_changelist"))
    assert listed.status_code == 200
    text = listed.content.decode()
    assert "E-mail người gửi" in text and EMAIL in text and "chua-xac-nhan@example.vn" in text
    unconfirmed = desk.get(
        reverse("admin:comments_commenteremail_changelist"), {"confirmed_at__isempty": "1"}
    )
    assert EMAIL not in unconfirmed.content.decode()
    assert desk.get(reverse("admin:comments_commenteremail_add")).status_code == 403
    record = CommenterEmail.objects.get(email=EMAIL)
    url = reverse("admin:comments_commenteremail_change", args=[record.pk])
    shown = desk.get(url)
    assert shown.status_code == 200 and "Lưu" not in [b["text"] for b in read(shown).buttons]
    token = read(shown).value("csrfmiddlewaretoken")
    sent = {"email": "khac@example.vn", "csrfmiddlewaretoken": token}
    assert desk.post(url, sent).status_code == 403
    assert CommenterEmail.objects.filter(email=EMAIL).exists()
    assert not User.objects.get(pk=moderator.pk).has_perm("comments.change_commenteremail")


# A mail server that fails


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server went away")


def test_a_failing_mail_server_loses_no_comment_and_tries_again(reader, trust_on, settings):
    settings.EMAIL_BACKEND = "tests.comments.test_trust.FailingBackend"
    comment = reader(make_article())
    assert comment.status == "pending"
    assert CommenterEmail.objects.get().sent_at is None  # the next post tries again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader(make_article(), body="Gửi lại lần nữa.")
    assert len(mail.outbox) == 1


# What a post costs


def queries_of_a_post(article, email, capture):
    browser = Client()
    with capture(execute=True), CaptureQueriesContext(connection) as queries:
        response = browser.post(
            reverse("comments:post", args=[article.pk]),
            {"name": "Nguyễn Thị Mai", "email": email, "body": f"Ý kiến số {article.pk}."},
            **SCRIPT,
        )
    assert response.status_code == 201
    return [q["sql"] for q in queries]


def test_trust_off_costs_a_post_nothing(moderator, django_capture_on_commit_callbacks):
    trusted(moderator)
    queries = queries_of_a_post(make_article(), EMAIL, django_capture_on_commit_callbacks)
    assert len(queries) <= 7, queries


def test_a_post_with_trust_on_stays_bounded(
    trust_on, moderator, django_capture_on_commit_callbacks
):
    unconfirmed = queries_of_a_post(
        make_article(), "moi@example.vn", django_capture_on_commit_callbacks
    )
    # The post's budget, then: is it confirmed, its row (read, then created in a
    # savepoint: 3 statements here), the send-once update.
    assert len(unconfirmed) <= 7 + 6, unconfirmed
    trusted(moderator)
    approved = queries_of_a_post(make_article(), EMAIL, django_capture_on_commit_callbacks)
    # The post's budget, then: is it confirmed, the record, and the decision in
    # a savepoint here (the row lock, its update, the log line, the article's count).
    assert len(approved) <= 7 + 8, approved
    assert Comment.objects.filter(email=EMAIL, moderated_by=None, status="approved").count() == 1
