"""Abuse rules applied by post_comment(): banned terms, links, honeypot, duplicates."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles.models import Article
from comments import services, spam
from comments.models import BannedTerm, Comment
from portal.text import fold
from tests.factories import make_article


def post(article=None, **kw):
    kw.setdefault("name", "Phạm Thị Hoa")
    kw.setdefault("email", "")
    kw.setdefault("body", "Mong tỉnh sớm làm xong con đường này.")
    kw.setdefault("ip_address", "198.51.100.20")
    kw.setdefault("user_agent", "Mozilla/5.0 (Linux; Android 14)")
    return services.post_comment(article=article or make_article(), **kw)


# Banned terms: whole words, accents and case ignored


@pytest.mark.parametrize(
    "text",
    [
        "Vào đây đánh bạc nhé",
        "ĐÁNH BẠC trực tuyến",
        "danh bac online",
        "Đánh   Bạc!",
        "(đánh\nbạc)",
        "Đa\u0301nh ba\u0323c",  # decomposed accents
    ],
)
def test_banned_phrase_matches_whatever_the_accents_and_case(text):
    assert spam.term_pattern("đánh bạc").search(fold(text)) is not None


@pytest.mark.parametrize(
    "text",
    [
        "đánh bạch đằng",  # "bạc" inside "bạch"
        "xđánh bạc",  # "đánh" inside a longer word
        "đánhbạc",  # one word, not the phrase
        "Đánh giá bạc màu",
    ],
)
def test_banned_phrase_never_matches_inside_longer_words(text):
    assert spam.term_pattern("đánh bạc").search(fold(text)) is None


def test_d_with_stroke_folds_to_d():
    assert spam.term_pattern("do den").search(fold("Lô ĐỎ ĐEN đây")) is not None
    assert spam.term_pattern("đỏ đen").search(fold("do den")) is not None


def test_a_term_without_words_matches_nothing():
    assert spam.term_pattern("   ") is None
    assert spam.matching_terms("bất kỳ", [BannedTerm(term="  ")]) == []


@pytest.mark.django_db
def test_banned_spam_term_stores_spam_and_records_the_term():
    BannedTerm.objects.create(term="cá độ", action=BannedTerm.Action.SPAM)
    comment = post(body="Vào nhóm CA DO bóng đá kiếm tiền")
    assert comment.status == Comment.Status.SPAM
    assert comment.held_reason == "banned:cá độ; betting:cá độ"


@pytest.mark.django_db
def test_banned_hold_term_keeps_pending_with_the_reason():
    BannedTerm.objects.create(term="vay tiền", action=BannedTerm.Action.HOLD)
    comment = post(body="Ai cần VAY TIỀN nhanh thì liên hệ")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "banned:vay tiền; betting:vay tiền nhanh"


@pytest.mark.django_db
def test_banned_term_inside_a_longer_word_lets_the_comment_through():
    BannedTerm.objects.create(term="bạc", action=BannedTerm.Action.SPAM)
    comment = post(body="Trận đấu trên sông Bạch Đằng rất hay")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == ""


# Links


@pytest.mark.django_db
def test_more_than_two_links_keeps_it_pending_with_reason_links():
    comment = post(body="Xem https://a.example/1 và http://b.example/2 và www.c.example")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == "links"


@pytest.mark.django_db
def test_bare_domains_count_as_links():
    assert spam.count_links("ghé khuyenmai.vn, sale.com và abc.xyz") == 3
    comment = post(body="ghé khuyenmai.vn, sale.com và abc.xyz")
    assert comment.held_reason == "links"


@pytest.mark.django_db
def test_two_links_are_fine():
    comment = post(body="Nguồn: https://a.example/1 và https://b.example/2")
    assert comment.status == Comment.Status.PENDING
    assert comment.held_reason == ""


def test_reasons_are_described_for_moderators():
    assert spam.describe_reason("banned:cá độ; links") == (
        "Có từ bị chặn: “cá độ”; Có hơn 2 liên kết (links)"
    )
    assert spam.describe_reason("") == ""


# Honeypot


@pytest.mark.django_db
def test_filled_honeypot_is_stored_as_spam():
    comment = post(honeypot="filled")
    assert comment.status == Comment.Status.SPAM
    assert comment.held_reason == "honeypot"


# Duplicates


@pytest.mark.django_db
def test_same_body_from_same_address_within_24_hours_is_refused():
    article = make_article()
    post(article, body="Ý kiến giống hệt nhau.")
    with pytest.raises(services.CommentRefused) as refused:
        post(article, body="  Ý KIẾN giống hệt nhau.  ", email="khac@example.vn")
    assert refused.value.code == services.CommentRefused.DUPLICATE
    assert "24 giờ" in refused.value.message
    assert Comment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "again",
    [
        "Ý kiến  giống   hệt nhau.",  # doubled spaces
        "Ý\u00a0kiến giống\u00a0hệt nhau.",  # non-breaking spaces
        "Ý kiến\ngiống hệt nhau.",  # a line break
        "Ý ki\u200bến giống h\u200bệt nhau.\u200b",  # zero-width spaces
        "Ý kiến gi\u2060ống hệt n\ufeffhau.",  # word joiner, BOM
        "\u202eÝ kiến giống hệt nhau.\u202c",  # bidi controls
        "y kien giong het nhau.",  # no accents
        "Y KIEN GIONG HET NHAU.",
    ],
    ids=["spaces", "nbsp", "newline", "zwsp", "joiners", "bidi", "no-accents", "capitals"],
)
def test_same_body_behind_invisible_or_spacing_differences_is_refused(again):
    article = make_article()
    post(article, body="Ý kiến giống hệt nhau.")
    with pytest.raises(services.CommentRefused) as refused:
        post(article, body=again)
    assert refused.value.code == services.CommentRefused.DUPLICATE
    assert Comment.objects.count() == 1


@pytest.mark.django_db
def test_a_different_word_is_not_a_duplicate():
    article = make_article()
    post(article, body="Ý kiến giống hệt nhau.")
    post(article, body="Ý kiến không giống nhau.")
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_same_body_from_same_email_is_refused_even_from_another_address():
    post(body="Nội dung lặp lại.", email="ban.doc@example.vn")
    with pytest.raises(services.CommentRefused):
        post(
            make_article(),
            body="Nội dung lặp lại.",
            email="Ban.Doc@example.vn",
            ip_address="192.0.2.99",
        )


@pytest.mark.django_db
def test_same_body_from_someone_else_is_accepted():
    post(body="Đồng ý với tác giả.")
    post(body="Đồng ý với tác giả.", ip_address="192.0.2.50")
    assert Comment.objects.count() == 2


@pytest.mark.django_db
def test_same_body_after_24_hours_is_accepted():
    article = make_article()
    post(article, body="Hỏi lại lần nữa.")
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
        post(article, body="Hỏi lại lần nữa.")
    assert Comment.objects.count() == 2


# The article must take comments


@pytest.mark.django_db
@pytest.mark.parametrize(
    "article_kw",
    [
        {"comments_open": False},
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["closed", "draft", "scheduled"],
)
def test_article_that_takes_no_comments_refuses(article_kw):
    with pytest.raises(services.CommentRefused) as refused:
        post(make_article(**article_kw))
    assert refused.value.code == services.CommentRefused.CLOSED
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_post_comment_stores_normalized_pending_comment():
    comment = post(body="  Cảm ơn\r\nbài viết\x00  ", user_agent="UA\x00" + "x" * 400)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.body == "Cảm ơn\nbài viết"
    assert comment.ip_address == "198.51.100.20"
    assert len(comment.user_agent) == 255 and "\x00" not in comment.user_agent
