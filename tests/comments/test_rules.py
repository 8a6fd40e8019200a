"""The length rule (MAX_BODY_CHARS), held by the form, the model and the database
alike, and shown by the template and the counter from the same constant."""

import unicodedata

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from comments import models as comment_models
from comments.forms import CommentForm
from comments.models import MAX_BODY_CHARS, Comment
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


@pytest.mark.parametrize("body", ["\u200b", "\u202e", "\u2060\ufeff\u200d", "\u3164", "\ufe0f"])
def test_form_refuses_invisible_characters_only(body):
    assert form(body).errors["body"] == [
        "Hãy viết ý kiến của bạn: ít nhất 1 ký tự, không tính khoảng trắng và ký tự ẩn."
    ]


def test_bidi_controls_do_not_count():
    # Removed, so neither counted by the form nor stored: 500 letters still fit.
    f = form("\u202e" + E_COMPOSED * 500 + "\u202c\u2066\u2069\u200f")
    assert f.is_valid(), f.errors
    assert f.cleaned_data["body"] == E_COMPOSED * 500


def test_zero_width_joiners_and_selectors_count_like_any_character():
    # Kept for emoji (👨‍👩‍👧, ❤️), so counted: the browser's counter does the same.
    assert form("\u200d" * 500).errors["body"][0].startswith("Hãy viết ý kiến")
    assert form("a" + "\u200d" * 499).is_valid()
    assert form("a" + "\ufe0f" * 500).errors["body"] == [
        "Ý kiến tối đa 500 ký tự, bạn đã viết 501 ký tự."
    ]


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
@pytest.mark.parametrize("body", [" \n ", "\u200b\u202e", "\u3000\ufeff"])
def test_model_validation_refuses_whitespace_or_invisible_only(body):
    with pytest.raises(ValidationError) as caught:
        Comment(article=make_article(), name="An", body=body).full_clean()
    assert "body" in caught.value.message_dict


@pytest.mark.django_db
def test_model_validation_and_database_agree_on_bidi_controls():
    # What the model validates is what is stored: 500 letters, the controls gone.
    comment = Comment(article=make_article(), name="An", body="\u202e" + "a" * 500 + "\u202c")
    comment.full_clean()
    comment.save()
    comment.refresh_from_db()
    assert comment.body == "a" * 500


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


# One constant for every layer


@pytest.mark.django_db
def test_max_body_chars_sets_the_form_model_template_and_counter_limit(monkeypatch):
    monkeypatch.setattr(comment_models, "MAX_BODY_CHARS", 20)
    article = make_article()

    assert form("ệ" * 20).is_valid()
    assert form("ệ" * 21).errors["body"] == ["Ý kiến tối đa 20 ký tự, bạn đã viết 21 ký tự."]
    with pytest.raises(ValidationError, match="tối đa 20 ký tự"):
        Comment(article=article, name="An", body="ệ" * 21).full_clean()

    # The article page's form (the same HTML for every reader) and the one the
    # comments page renders after a refusal: the counter, its warning, and the
    # data-max that comments.js counts against.
    client = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="same-origin")
    article_page = client.get(article.get_absolute_url()).text
    assert 'data-counter data-max="20">0 / 20 ký tự</p>' in article_page
    assert "Ý kiến tối đa 20 ký tự: hãy rút gọn trước khi gửi." in article_page
    refused = client.post(
        reverse("comments:post", args=[article.pk]), {"name": "An", "body": "ệ" * 21}
    )
    assert refused.status_code == 400
    assert 'class="comment-counter is-over"' in refused.text
    assert 'data-max="20">21 / 20 ký tự</p>' in refused.text
    assert "data-counter-warning>Ý kiến tối đa 20 ký tự" in refused.text  # shown, not hidden


def test_no_number_but_the_constant_in_the_template_and_the_script():
    template = (settings.BASE_DIR / "templates/reader/comments/_form.html").read_text()
    script = (settings.BASE_DIR / "static/js/comments.js").read_text()

    assert str(MAX_BODY_CHARS) not in template + script
    assert "counter.dataset.max" in script


@pytest.mark.django_db
def test_the_database_constraint_is_named_for_the_rule():
    with connection.cursor() as cursor:
        names = set(connection.introspection.get_constraints(cursor, Comment._meta.db_table))
    assert "comment_body_max_chars" in names
    assert "comment_body_max_500" not in names
