"""What a reader's text becomes: bidirectional controls removed, invisible-only
text refused, emoji kept, and one canonical form for "the same comment"."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from comments import services
from comments.forms import CommentForm
from comments.models import Comment, body_digest
from portal.text import char_count, comment_key, normalize_comment
from tests.factories import make_article

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
BIDI_MARKS = ["\u200e", "\u200f", "\u061c"]
ZWJ, VS16 = "\u200d", "\ufe0f"
FAMILY = f"\U0001f468{ZWJ}\U0001f469{ZWJ}\U0001f467"  # one family, three people joined
RED_HEART = f"\u2764{VS16}"
RAINBOW_FLAG = f"\U0001f3f3{VS16}{ZWJ}\U0001f308"
# Nothing a reader can see: zero-width space, word joiner, BOM, soft hyphen,
# Hangul filler, a variation selector and a tag character on their own.
INVISIBLE_ONLY = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\u2060\ufeff",
    "\u00ad",
    "\u3164",
    f" {VS16} ",
    "\U000e0041",
    f"{RLO}\u200b{PDF}",
    "\u00a0\u200b\n\u200b\u3000",
]


def send(article, *, name="Nguyễn Thị Lan", body="Cảm ơn tòa soạn.", script=True):
    # As a browser sends the article page's form: CSRF checked, no token, this
    # site's origin (comments:post checks it instead).
    client = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="same-origin")
    return client.post(
        reverse("comments:post", args=[article.pk]),
        {"name": name, "email": "", "body": body},
        **(SCRIPT if script else {}),
    )


# Bidirectional controls


@pytest.mark.parametrize("control", BIDI_CONTROLS + BIDI_MARKS)
def test_every_bidi_control_and_mark_is_removed(control):
    assert normalize_comment(f"Tin{control} hay{control}") == "Tin hay"
    assert char_count(f"{control}ab{control}") == 2


def test_a_name_cannot_pretend_to_be_another_by_reversing_itself():
    form = CommentForm(data={"name": f"{RLO}nimda", "email": "", "body": "Chào"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "nimda"


@pytest.mark.django_db
def test_an_rlo_name_and_body_are_stored_clean():
    article = make_article()
    response = send(article, name=f"{RLO}nimda{PDF}", body=f"{LRI}Đồng ý{PDI} {RLO}100%")
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.name == "nimda"
    assert comment.body == "Đồng ý 100%"


@pytest.mark.django_db
def test_a_comment_saved_around_the_form_is_cleaned_too():
    comment = Comment.objects.create(article=make_article(), name=f"An{RLO}", body=f"{RLO}Hay")
    comment.refresh_from_db()
    assert (comment.name, comment.body) == ("An", "Hay")


# Invisible characters only


@pytest.mark.django_db
@pytest.mark.parametrize("body", INVISIBLE_ONLY)
@pytest.mark.parametrize("script", [True, False], ids=["script", "plain"])
def test_an_invisible_only_body_is_a_400_in_vietnamese(body, script):
    response = send(make_article(), body=body, script=script)
    assert response.status_code == 400
    message = "Hãy viết ý kiến của bạn: ít nhất 1 ký tự, không tính khoảng trắng và ký tự ẩn."
    if script:
        assert json.loads(response.text)["errors"]["body"] == [message]
    else:
        assert message in response.text
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["\u200b", f"{RLO}{PDF}", "\u3164\u3164"])
def test_an_invisible_only_name_is_refused(name):
    response = send(make_article(), name=name)
    assert response.status_code == 400
    assert json.loads(response.text)["errors"]["name"] == ["Hãy cho biết họ tên của bạn."]
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("body", INVISIBLE_ONLY)
def test_the_model_refuses_an_invisible_only_body(body):
    comment = Comment(article=make_article(), name="An", body=body)
    with pytest.raises(ValidationError) as caught:
        comment.full_clean()
    assert caught.value.message_dict["body"] == ["Hãy viết nội dung ý kiến."]


def test_visible_text_around_invisible_characters_is_accepted():
    form = CommentForm(data={"name": "An", "email": "", "body": "\u200bỪ\u200b"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == "\u200bỪ\u200b"


# Emoji sequences


@pytest.mark.django_db
@pytest.mark.parametrize("emoji", [FAMILY, RED_HEART, RAINBOW_FLAG, "\U0001f44d\U0001f3fd"])
def test_emoji_sequences_survive_intact(emoji):
    body = f"Cả nhà ủng hộ {emoji}"
    response = send(make_article(), body=body)
    assert response.status_code == 201
    assert Comment.objects.get().body == body
    # Counted as the browser counts: code points, the joiners and selectors included.
    assert char_count(body) == len("Cả nhà ủng hộ ") + len(emoji)


@pytest.mark.django_db
def test_an_emoji_alone_is_a_comment():
    assert send(make_article(), body=RED_HEART).status_code == 201


# The canonical form


@pytest.mark.parametrize(
    "variant",
    [
        "Đường  ven sông   đẹp quá!",  # doubled spaces
        "Đường\u00a0ven\u00a0sông đẹp quá!",  # non-breaking spaces
        "Đường ven\u202fsông\u3000đẹp quá!",  # narrow and ideographic spaces
        "Đường ven sông\nđẹp quá!",  # a line break
        "Đư\u200bờng ven s\u200công đ\u2060ẹp quá!\ufeff",  # zero-width characters
        "Đường ven s\u00adông đẹp quá!",  # a soft hyphen
        f"{RLO}Đường ven sông đẹp quá!{PDF}",  # bidi controls
        "ĐƯỜNG VEN SÔNG ĐẸP QUÁ!",  # capitals
        "Duong ven song dep qua!",  # no accents
        "duong ven song dep qua!",
        "Đường ven sông đẹp quá！",  # a full-width exclamation mark
        "Đu\u031bo\u031b\u0300ng ven sông đẹp quá!",  # decomposed
    ],
)
def test_what_a_reader_would_call_the_same_text_has_one_key(variant):
    assert (
        comment_key(variant)
        == comment_key("Đường ven sông đẹp quá!")
        == ("duong ven song dep qua!")
    )
    assert body_digest(variant) == body_digest("Đường ven sông đẹp quá!")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Đồng ý", "Không đồng ý"),
        ("đường ven sông", "đường vensông"),  # a space is not nothing
        ("100%", "10 0%"),
        (FAMILY, "\U0001f468"),
    ],
)
def test_different_texts_keep_different_keys(one, other):
    assert comment_key(one) != comment_key(other)


def test_the_key_is_empty_for_text_that_shows_nothing():
    assert all(comment_key(text) == "" for text in INVISIBLE_ONLY)


@pytest.mark.django_db
def test_a_duplicate_hidden_behind_invisible_characters_is_refused_over_http():
    article = make_article()
    assert send(article, body="Mong sớm sửa cầu.").status_code == 201
    response = send(article, body="Mong\u00a0sớm \u200bsửa  CẦU.")
    assert response.status_code == 400
    assert json.loads(response.text)["message"] == services.DUPLICATE_MESSAGE
    assert Comment.objects.count() == 1
