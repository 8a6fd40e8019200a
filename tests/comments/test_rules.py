"""The 500-character rule, held by the form, the model and the database alike."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from comments.forms import CommentForm
from comments.models import Comment
from tests.factories import make_article, make_comment

# "ệ" typed composed (one code point) and decomposed (e + dot below + circumflex).
E_COMPOSED = "ệ"
E_DECOMPOSED = "e\u0323\u0302"


def form(body, **extra):
    return CommentForm(data={"name": "Lê Văn Tám", "email": "", "body": body, **extra})


def test_decomposed_letter_is_one_character():
    assert unicodedata.normalize("NFC", E_DECOMPOSED) == E_COMPOSED
    assert len(E_DECOMPOSED) == 3


# The form


def test_form_accepts_500_characters():
    f = form(E_COMPOSED * 500)
    assert f.is_valid(), f.errors
    assert len(f.cleaned_data["body"]) == 500


def test_form_refuses_501_characters_naming_the_rule():
    f = form(E_COMPOSED * 501)
    assert not f.is_valid()
    assert f.errors["body"] == ["Ý kiến tối đa 500 ký tự, bạn đã viết 501 ký tự."]


def test_form_counts_decomposed_input_as_composed():
    f = form(E_DECOMPOSED * 500)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["body"] == E_COMPOSED * 500

    f = form(E_DECOMPOSED * 501)
    assert f.errors["body"] == ["Ý kiến tối đa 500 ký tự, bạn đã viết 501 ký tự."]


def test_form_counts_emoji_as_one_character():
    assert form("😀" * 500).is_valid()
    assert not form("😀" * 501).is_valid()


@pytest.mark.parametrize("body", ["", "   ", "\n\n\t ", "\u3000\u00a0", "\x00\x07"])
def test_form_refuses_whitespace_only(body):
    f = form(body)
    assert not f.is_valid()
    assert "ít nhất 1 ký tự" in f.errors["body"][0]


def test_surrounding_space_and_control_characters_do_not_count():
    f = form("  \r\n" + "a" * 499 + "\x00b\x1b\r\n  ")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["body"] == "a" * 499 + "b"


def test_line_breaks_are_kept_and_count_once():
    f = form("Dòng một\r\nDòng hai")
    assert f.is_valid()
    assert f.cleaned_data["body"] == "Dòng một\nDòng hai"


def test_name_is_required_and_at_most_80_characters():
    assert form("Hay", name="   ").errors["name"] == ["Hãy cho biết họ tên của bạn."]
    assert form("Hay", name="Đ" * 80).is_valid()
    assert form("Hay", name="Đ" * 81).errors["name"] == [
        "Họ tên tối đa 80 ký tự, bạn đã viết 81 ký tự."
    ]


@pytest.mark.parametrize("email", ["khong-phai-email", "a\x00@b.vn", "x" * 250 + "@b.vn"])
def test_bad_email_is_refused_in_vietnamese(email):
    errors = form("Hay", email=email).errors["email"]
    assert errors and all(("e-mail" in e) for e in errors)


def test_honeypot_is_optional_and_only_marks():
    empty = form("Hay")
    assert empty.is_valid()
    assert empty.cleaned_data["website"] == ""
    f = form("Hay", website="http://spam.example\x00")
    assert f.is_valid()
    assert f.cleaned_data["website"] == "filled"


# The model


@pytest.mark.django_db
def test_model_validation_accepts_500_and_refuses_501():
    article = make_article()
    ok = Comment(article=article, name="An", body=E_DECOMPOSED * 500)
    ok.full_clean()
    assert ok.body == E_COMPOSED * 500

    too_long = Comment(article=article, name="An", body=E_COMPOSED * 501)
    with pytest.raises(ValidationError) as caught:
        too_long.full_clean()
    assert "body" in caught.value.message_dict


@pytest.mark.django_db
def test_model_validation_refuses_whitespace_only():
    with pytest.raises(ValidationError) as caught:
        Comment(article=make_article(), name="An", body=" \n ").full_clean()
    assert "body" in caught.value.message_dict


# The database


@pytest.mark.django_db
def test_database_stores_500_multibyte_characters():
    comment = make_comment(body=E_COMPOSED * 500)
    comment.refresh_from_db()
    assert comment.body == E_COMPOSED * 500


@pytest.mark.django_db
def test_database_refuses_501_on_create():
    article = make_article()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(article=article, name="An", body="a" * 501)
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_database_refuses_501_on_update():
    comment = make_comment(body="Ngắn gọn.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(body=E_COMPOSED * 501)
    comment.refresh_from_db()
    assert comment.body == "Ngắn gọn."


@pytest.mark.django_db
def test_database_refuses_an_empty_body():
    comment = make_comment()
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(body="")
