"""Hostile input never breaks anything.

Property tests (hypothesis) on the 500-character rule's normalization and
counting, and fuzzing of ``comments:post`` and the reader URLs: random Unicode
(lone surrogates, NUL, RTL and zero-width marks, stacks of combining marks), a
10 MB body, wrong content types, missing and repeated fields, huge page numbers
and non-numeric ids. Every answer is a normal page or a 4xx with a message,
never a 500, and nothing over 500 characters is ever stored.
"""

import json
import unicodedata
from urllib.parse import quote, quote_from_bytes

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.models import MAX_BODY_CHARS, Comment
from portal.text import char_count, normalize_comment
from tests.factories import make_article, make_author, make_comment

# Modest example counts: the whole suite stays fast. Raise them locally with
# --hypothesis-seed / a bigger max_examples when hunting.
FAST = settings(max_examples=200, deadline=None)
HTTP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}

# What keyboards, copy-paste and attackers send beyond ordinary letters.
SPECIAL = [
    "\x00",  # NUL
    "\r\n",
    "\r",
    "\t",
    "\x1b",
    "\x7f",
    "\x85",  # NEL, a C1 control
    "\u200b",  # zero-width space
    "\u200c",
    "\u200d",
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\ufeff",  # byte-order mark
    "\u2028",  # line separator
    "\u0301",  # combining acute (sắc)
    "\u0303",  # combining tilde (ngã)
    "\u0309",  # combining hook above (hỏi)
    "\u0323",  # combining dot below (nặng)
    "\u0300",  # combining grave (huyền)
    "đ",
    "Đ",
    "ệ",
    "e\u0323\u0302",  # ệ typed decomposed
    "\U0001f600",
    "\u00a0",
    " ",
    "\n",
]
COMBINING = st.sampled_from([chr(c) for c in range(0x0300, 0x0370)])
PIECE = st.one_of(st.characters(), st.sampled_from(SPECIAL), COMBINING)
reader_text = st.lists(PIECE, max_size=600).map("".join)
# Lone surrogates cannot travel in valid UTF-8; they arrive as the bytes a buggy
# client would produce ("surrogatepass"), i.e. invalid UTF-8 on the wire.
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
wire_text = st.lists(st.one_of(PIECE, SURROGATE), max_size=600).map("".join)
combining_stack = st.builds(
    lambda base, marks: base + "".join(marks),
    st.sampled_from("aeoAEOuyđ"),
    st.lists(COMBINING, min_size=1, max_size=600),
)


def wire(text: str) -> str:
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"))


def form_body(**fields) -> bytes:
    """A urlencoded body, byte for byte as sent (lone surrogates included)."""
    pairs = []
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            pairs.append(f"{name}={wire(value)}")
    return "&".join(pairs).encode("ascii")


def assert_nothing_stored_too_long():
    for body in Comment.objects.values_list("body", flat=True):
        assert 1 <= len(body) <= MAX_BODY_CHARS
        assert body == normalize_comment(body)
        assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in body)


def assert_answer_with_a_message(response, *, script: bool):
    assert response.status_code != 500
    assert response.status_code in {201, 303, 400, 403, 413, 429}, response.status_code
    if response.status_code < 400:
        return
    if script and response["Content-Type"].startswith("application/json"):
        assert json.loads(response.content)["message"].strip()
    else:
        text = response.content.decode()
        assert "<html" in text.lower() or "ý kiến" in text.lower()
        assert any(word in text for word in ("Ý kiến", "ý kiến", "không", "Hãy", "Yêu cầu"))


# --- properties of normalization and counting ----------------------------------------


@FAST
@given(reader_text)
def test_normalizing_twice_changes_nothing(text):
    once = normalize_comment(text)
    assert normalize_comment(once) == once


@FAST
@given(reader_text)
def test_normalized_text_is_nfc_stripped_and_free_of_controls_but_newlines(text):
    normalized = normalize_comment(text)
    assert unicodedata.is_normalized("NFC", normalized)
    assert normalized == normalized.strip()
    assert "\r" not in normalized
    assert all(unicodedata.category(ch) != "Cc" or ch == "\n" for ch in normalized)


@FAST
@given(reader_text)
def test_count_is_the_length_of_what_is_stored(text):
    assert char_count(text) == len(normalize_comment(text))


@FAST
@given(reader_text)
def test_composed_and_decomposed_input_are_the_same_comment(text):
    composed = unicodedata.normalize("NFC", text)
    decomposed = unicodedata.normalize("NFD", text)
    assert normalize_comment(composed) == normalize_comment(decomposed)
    assert char_count(composed) == char_count(decomposed)


def test_a_vietnamese_letter_with_its_tone_mark_is_one_character():
    assert char_count("e\u0323\u0302") == char_count("ệ") == 1
    assert char_count("Vie\u0323\u0302t Nam") == len("Việt Nam")


# --- posting: the form and the endpoint --------------------------------------------------


@pytest.fixture
def article(db, settings):
    # The door's other brakes stay out of the way: this is about the input.
    settings.COMMENTS_RATE_LIMIT = "100000/m"
    return make_article()


def post_url(article):
    return reverse("comments:post", args=[article.pk])


@HTTP
@given(name=wire_text, email=wire_text, body=wire_text, script=st.booleans())
def test_random_unicode_posts_never_break_anything(article, name, email, body, script):
    extra = SCRIPT if script else {}
    response = Client().post(
        post_url(article),
        form_body(name=name, email=email, body=body),
        content_type="application/x-www-form-urlencoded",
        **extra,
    )
    assert_answer_with_a_message(response, script=script)
    assert_nothing_stored_too_long()


@HTTP
@given(body=combining_stack, script=st.booleans())
def test_stacks_of_combining_marks(article, body, script):
    response = Client().post(
        post_url(article),
        {"name": "Bạn đọc", "body": body},
        **(SCRIPT if script else {}),
    )
    assert_answer_with_a_message(response, script=script)
    if response.status_code in {201, 303}:
        assert Comment.objects.filter(body=normalize_comment(body)).exists()
        assert char_count(body) <= MAX_BODY_CHARS
    elif char_count(body) > MAX_BODY_CHARS:
        assert response.status_code == 400
    assert_nothing_stored_too_long()


@pytest.mark.parametrize("length", [500, 501])
def test_exactly_500_characters_after_normalization(article, length):
    # Decomposed letters and a NUL: 3 code points a letter on the wire, 1 once normalized.
    body = "\x00 " + "e\u0323\u0302" * length + " \r\n"
    response = Client().post(post_url(article), {"name": "Bạn đọc", "body": body}, **SCRIPT)
    assert response.status_code == (201 if length == 500 else 400)
    assert Comment.objects.count() == (1 if length == 500 else 0)


def test_control_and_zero_width_characters_are_not_a_way_around_the_limit(article):
    body = "a" * 500 + "\x00" * 50 + "\u200b"  # zero-width space is a character: 501
    response = Client().post(post_url(article), {"name": "Bạn đọc", "body": body}, **SCRIPT)
    assert response.status_code == 400
    assert "tối đa 500 ký tự" in json.loads(response.content)["errors"]["body"][0]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("script", [True, False])
def test_a_10_mb_body_is_a_400_with_the_vietnamese_page(article, script):
    body = form_body(name="Bạn đọc", body="a" * (10 * 1024 * 1024))
    response = Client().post(
        post_url(article),
        body,
        content_type="application/x-www-form-urlencoded",
        **(SCRIPT if script else {}),
    )
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_10_mb_multipart_field_is_a_400_too(article):
    response = Client().post(post_url(article), {"name": "Bạn đọc", "body": "a" * 10_000_000})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        ("application/json", json.dumps({"name": "Bạn đọc", "body": "Xin chào"})),
        ("text/plain", "name=Bạn đọc\nbody=Xin chào"),
        ("application/xml", "<comment><body>Xin chào</body></comment>"),
        ("multipart/form-data; boundary=x", "--x\r\ngarbage"),
        ("multipart/form-data", "no boundary at all"),
    ],
)
@pytest.mark.parametrize("script", [True, False])
def test_wrong_content_types_are_refused_with_a_message(article, content_type, payload, script):
    # generic(): the test client's post() would itself choke on an unknown charset.
    response = Client().generic(
        "POST",
        post_url(article),
        payload.encode(),
        content_type=content_type,
        **(SCRIPT if script else {}),
    )
    assert 400 <= response.status_code < 500
    assert_answer_with_a_message(response, script=script)
    assert not Comment.objects.exists()


def test_an_unknown_charset_is_read_as_utf_8(article):
    response = Client().generic(
        "POST",
        post_url(article),
        form_body(name="Bạn đọc", body="Xin chào"),
        content_type="application/x-www-form-urlencoded; charset=nonsense-42",
        **SCRIPT,
    )
    assert response.status_code == 201
    assert Comment.objects.get().body == "Xin chào"


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"name": "Bạn đọc"},
        {"body": "Xin chào"},
        {"name": "", "body": ""},
        {"name": " \u200b ", "body": "\x00\r\n\t"},
        {"name": "Bạn đọc", "body": "Xin chào", "email": "khong-phai-email"},
    ],
)
def test_missing_or_empty_fields_get_messages(article, fields):
    response = Client().post(post_url(article), fields, **SCRIPT)
    assert response.status_code == 400
    payload = json.loads(response.content)
    assert payload["message"]
    assert payload["errors"]
    assert not Comment.objects.exists()


def test_repeated_fields_store_one_comment_of_the_last_value(article):
    body = form_body(name=["A", "B"], body=["Một", "Hai"], email=["", "a@example.vn"])
    response = Client().post(
        post_url(article), body, content_type="application/x-www-form-urlencoded", **SCRIPT
    )
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert (comment.name, comment.body, comment.email) == ("B", "Hai", "a@example.vn")


def test_user_agent_of_any_size_and_content(article):
    response = Client().post(
        post_url(article),
        {"name": "Bạn đọc", "body": "Xin chào"},
        HTTP_USER_AGENT="\x00\u202e" + "A" * 100_000,
        **SCRIPT,
    )
    assert response.status_code == 201
    assert len(Comment.objects.get().user_agent) <= 255


# --- reader URLs ---------------------------------------------------------------------------

HUGE = "99999999999999999999"


@pytest.fixture
def published(db):
    author = make_author(name="Lê Văn Tám")
    article = make_article(authors=[author])
    make_comment(article=article)
    return article


def reader_urls(article):
    section = article.section.slug
    return [
        "/",
        f"/?trang={HUGE}",
        f"/{section}/",
        f"/{section}/?trang={HUGE}",
        f"/{section}/?trang=-1",
        f"/{section}/?trang=abc",
        f"/{section}/?trang=1e9",
        f"/{section}/?trang=%00",
        f"/{section}/?trang=last",
        f"/{section}/?trang=0",
        f"/{section}/{article.slug}-{HUGE}.html",
        f"/{section}/{article.slug}-{HUGE}{HUGE}.html",
        f"/{section}/{article.slug}-abc.html",
        f"/{section}/{article.slug}--1.html",
        f"/tac-gia/{article.authors.get().slug}/?trang={HUGE}",
        f"/y-kien/{article.pk}/?trang={HUGE}",
        f"/y-kien/{article.pk}/?trang=0",
        f"/y-kien/{article.pk}/?trang=-5",
        f"/y-kien/{article.pk}/?trang=%F0%9F%98%80",
        f"/y-kien/{article.pk}/?trang=1&trang=2",
        f"/y-kien/{HUGE}/",
        f"/y-kien/{HUGE}{HUGE}/gui/",
        "/y-kien/abc/",
        "/y-kien/-1/",
        f"/y-kien/{HUGE}/da-gui/",
        f"/xem-truoc/{HUGE}/",
        "/%ED%A0%80/",  # a lone surrogate, percent-encoded
        "/%00/",
        "/%E2%80%AE/",
        "/..%2F..%2Fetc%2Fpasswd",
        "/static/..%2F..%2Fportal%2Fsettings.py",
        "/media/..%2F..%2Fportal%2Fsettings.py",
        f"/tim-kiem/?q=%00&trang={HUGE}",
        "/tim-kiem/?q=" + quote("\u202e" * 1000),
    ]


@pytest.mark.django_db
def test_hostile_reader_urls_are_a_page_or_a_4xx(client, published):
    for url in reader_urls(published):
        for headers in ({}, SCRIPT):
            response = client.get(url, **headers)
            assert response.status_code in {200, 301, 302, 400, 404, 405}, (
                url,
                response.status_code,
            )
            if response.status_code in (400, 404) and not headers:
                assert "Không tìm thấy" in response.content.decode() or (
                    "Yêu cầu không hợp lệ" in response.content.decode()
                ), url


@pytest.mark.django_db
def test_a_post_to_a_huge_or_missing_article_is_a_404(client):
    for url in (f"/y-kien/{HUGE}/gui/", "/y-kien/0/gui/"):
        response = client.post(url, {"name": "Bạn đọc", "body": "Xin chào"})
        assert response.status_code == 404
    assert not Comment.objects.exists()


@HTTP
@given(segment=wire_text, query=wire_text)
def test_random_paths_and_queries(published, segment, query):
    client = Client()
    for url in (
        f"/{wire(segment)}/",
        f"/{published.section.slug}/?trang={wire(query)}",
        f"/y-kien/{published.pk}/?trang={wire(query)}",
        f"/tac-gia/{wire(segment)}/",
        f"/{wire(segment)}/{wire(query)}-1.html",
    ):
        response = client.get(url)
        assert response.status_code in {200, 301, 302, 400, 404}, (url, response.status_code)
