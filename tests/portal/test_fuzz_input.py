"""Bad input is a 4xx, never a 500, wherever it enters the site.

Form bodies declaring a charset other than UTF-8 (the comment form, the staff
login), NUL characters in addresses and query strings, path segments too long
for the filesystem, and hostile query strings on every admin change list each
staff group can open. Browsers' requests carry a CSRF token, so these tests use
``Client(enforce_csrf_checks=True)`` with a real token: the CSRF check is what
reads the body first.
"""

import importlib.util
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import portal.urls
from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

HTTP = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}
BAD_REQUEST = "Yêu cầu không hợp lệ"
PASSWORD = "matkhau-123"  # tests/factories.make_staff


def token_of(response) -> str:
    return response.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def comment_door(article) -> tuple[Client, str, str]:
    """A reader's client, the comment form's address and its token: none, since
    comments:post checks that the post comes from this site instead."""
    client = Client(enforce_csrf_checks=True, HTTP_SEC_FETCH_SITE="same-origin")
    return client, reverse("comments:post", args=[article.pk]), ""


def login_door() -> tuple[Client, str, str]:
    client = Client(enforce_csrf_checks=True)
    url = reverse("admin:login")
    return client, url, token_of(client.get(url))


# --- form bodies in a charset other than UTF-8 --------------------------------------------

CHARSETS = ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1258", "utf8", "ascii", "base64"]


def fields(door: str, token: str) -> dict[str, str]:
    if door == "comment":
        return {"name": "Bạn đọc", "body": "Xin chào", "csrfmiddlewaretoken": token}
    return {"username": "bientap", "password": PASSWORD, "csrfmiddlewaretoken": token}


def urlencoded(values: dict[str, str], encoding: str) -> bytes:
    text = "&".join(f"{name}={quote(value)}" for name, value in values.items())
    return text.encode("utf-16" if encoding == "base64" else encoding)


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("door", ["comment", "login"])
def test_a_form_in_another_charset_is_a_400_page(editor, charset, door):
    client, url, token = comment_door(make_article()) if door == "comment" else login_door()
    response = client.generic(
        "POST",
        url,
        urlencoded(fields(door, token), charset),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert BAD_REQUEST in response.text
    assert not Comment.objects.exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\x00", b"\xd8\x00\xdc", b"name=%FF%FE&body=%00", b"\x00" * 7],
    ids=["bom", "lone-surrogate", "percent", "nul"],
)
@pytest.mark.parametrize("door", ["comment", "login"])
def test_undecodable_bytes_declared_utf_16_are_a_400(editor, body, door):
    client, url, _ = comment_door(make_article()) if door == "comment" else login_door()
    response = client.generic(
        "POST", url, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
    )
    assert response.status_code == 400
    assert BAD_REQUEST in response.text


def test_a_form_declared_utf_8_still_works_through_the_whole_path(editor):
    client, url, token = comment_door(make_article())
    response = client.generic(
        "POST",
        url,
        urlencoded(fields("comment", token), "utf-8"),
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
        **SCRIPT,
    )
    assert response.status_code == 201
    assert Comment.objects.get().body == "Xin chào"


@HTTP
@given(
    charset=st.sampled_from([*CHARSETS, "utf-7", "x-unknown", "hex", "rot13", "idna", ""]),
    content_type=st.sampled_from(
        ["application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "text/plain"]
    ),
    body=st.binary(max_size=300),
    door=st.sampled_from(["comment", "login"]),
)
def test_any_bytes_in_any_charset_are_never_a_500(editor, charset, content_type, body, door):
    client, url, token = comment_door(make_article()) if door == "comment" else login_door()
    multipart = b'--b\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
    payload = (
        multipart + token.encode() + b"\r\n--b\r\n" + body if "multipart" in content_type else body
    )
    declared = f"{content_type}; charset={charset}" if charset else content_type
    response = client.generic("POST", url, payload, content_type=declared)
    assert response.status_code < 500, (declared, payload)


# --- NUL characters -----------------------------------------------------------------------


def test_a_nul_anywhere_in_the_address_is_a_400_page(editor):
    article = make_article()
    section = article.section.slug
    client = Client()
    client.force_login(editor)
    for url in (
        f"/{section}/%00/",
        f"/{section}/{article.slug}%00-{article.pk}.html",
        "/tim-kiem/?q=%00",
        "/tim-kiem/?q=a%00b",
        f"/{section}/?trang=1&%00=1",
        reverse("admin:articles_article_changelist") + "?q=%00",
        reverse("admin:articles_article_changelist") + "?status=%00",
        reverse("admin:articles_article_changelist") + "?status__exact=draft%00",
        reverse("admin:articles_section_changelist") + "?%00",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert BAD_REQUEST in response.text


def test_a_nul_in_a_login_form_is_a_form_error_not_a_500(editor):
    client, url, token = login_door()
    response = client.post(
        url, {"username": "bien\x00tap", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_nul_in_a_comment_is_removed_and_the_comment_kept():
    client, url, token = comment_door(make_article())
    response = client.post(
        url, {"name": "An\x00", "body": "Hay\x00 quá", "csrfmiddlewaretoken": token}, **SCRIPT
    )
    assert response.status_code == 201
    assert Comment.objects.get().body == "Hay quá"


# --- path segments too long for the filesystem --------------------------------------------


@pytest.fixture
def media_served(settings):
    """portal/urls.py as `make serve` imports it, with SERVE_MEDIA on."""
    settings.SERVE_MEDIA = True
    name = "tests.portal._urls_serving_media"
    spec = importlib.util.spec_from_file_location(name, portal.urls.__file__)
    urls = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(urls)
    sys.modules[name] = urls
    settings.ROOT_URLCONF = name
    # As on a site with uploads: the kernel meets the long name, not a missing folder.
    root = Path(settings.MEDIA_ROOT)
    (root / "uploads").mkdir(parents=True)
    yield root
    del sys.modules[name]


@pytest.mark.parametrize(
    "path",
    [
        "a" * 256,
        "uploads/" + "a" * 300 + ".jpg",
        "uploads/" + "ả" * 90 + ".jpg",  # 90 letters, 270 bytes
        "a/" * 2100,  # past the 4096-byte path limit
        "b" * 5000 + "/c.jpg",
    ],
    ids=["256", "300", "vietnamese", "deep", "5000"],
)
def test_a_media_name_too_long_for_the_filesystem_is_a_404(client, media_served, path):
    response = client.get(f"/media/{quote(path)}")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text


def test_media_files_are_still_served(client, media_served):
    (media_served / "uploads" / "a.txt").write_bytes(b"noi dung")
    response = client.get("/media/uploads/a.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"noi dung"
    assert client.get("/media/uploads/b.txt").status_code == 404


@pytest.mark.parametrize("length", [256, 1000, 5000])
def test_overlong_reader_addresses_are_a_404(client, length):
    article = make_article()
    for url in (
        f"/{'a' * length}/",
        f"/{article.section.slug}/{'a' * length}-{article.pk}.html",
        f"/tac-gia/{'a' * length}/",
        f"/static/{'a' * length}.css",
    ):
        assert client.get(url).status_code in {301, 404}, url


# --- the admin's change lists, for each staff group ---------------------------------------

STAFF_GROUPS = ["journalist", "editor", "moderator"]
HOSTILE_QUERIES = [
    "status=%00",
    "ip_address=not-an-ip",
    "ip_address__gt=x",
    "body__regex=(",
    "ip_address__regex=(",
    "title__regex=[",
    "q=%00",
    "q=" + "đ" * 3000,
    "o=%00",
    "o=99",
    "o=1.-2.x",
    "p=abc",
    "p=99999999999999999999",
    "published_at__year=9999",
    "published_at__year=9999&published_at__month=12",
    "published_at__year=9999&published_at__month=12&published_at__day=31",
    "published_at__year=1&published_at__month=1&published_at__day=1",
    "published_at__year=abc",
    "published_at__year=2024&published_at__month=13",
    "published_at__gte=9999-12-31",
    "published_at__lt=0001-01-01",
    "created_at__gte=abc",
    "created_at__lt=0001-01-01",
    "created_at__gte=9999-12-31%2023:59:59",
    "at__gte=0001-01-01&at__lt=0001-01-02",
    "section__id__exact=abc",
    "section__id__exact=99999999999999999999",
    "bai_viet=99999999999999999999",
    "bai_viet=%C2%B2",
    "bai_viet=-1",
    "status__in=a,b",
    "status=" + "x" * 500,
    "to_status=%FF",
    "id=abc",
    "id__in=1,x",
    "created_at__isnull=maybe",
    "article__title__regex=(",
    "_to_field=password",
    "_facets=1",
    "all=",
    "e=1",
]


def changelists_of(user) -> list[str]:
    """Every change list the user's group can open."""
    client = Client()
    client.force_login(user)
    urls = []
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        if client.get(url).status_code == 200:
            urls.append(url)
    return urls


@pytest.fixture(params=STAFF_GROUPS)
def staff(request):
    make_comment()
    user = request.getfixturevalue(request.param)
    client = Client()
    client.force_login(user)
    return client, changelists_of(user)


def test_each_group_reaches_its_own_lists(staff):
    # The fuzzing below covers what each group can open: not nothing.
    _, urls = staff
    assert urls


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_change_list_queries_are_never_a_500(staff, query):
    client, urls = staff
    for url in urls:
        response = client.get(f"{url}?{query}")
        assert response.status_code in {200, 302, 400}, (url, query, response.status_code)
        if response.status_code == 302:  # Django's answer to a filter it refuses: the list
            assert response["Location"] == f"{url}?e=1"
            assert client.get(response["Location"]).status_code == 200


def test_a_filter_the_list_does_not_offer_shows_the_whole_list(moderator):
    kept = make_comment(ip_address="192.0.2.1")
    client = Client()
    client.force_login(moderator)
    url = reverse("admin:comments_comment_changelist")
    response = client.get(f"{url}?ip_address=not-an-ip", follow=True)
    assert response.redirect_chain == [(f"{url}?e=1", 302)]
    assert kept.name in response.text
    # The filters the page does offer still filter.
    assert client.get(f"{url}?status__exact=spam").context["cl"].result_count == 0
    assert client.get(f"{url}?status__exact=pending").context["cl"].result_count == 1


KEYS = st.sampled_from(
    ["status", "status__exact", "section__id__exact", "bai_viet", "to_status__exact",
     "created_at__gte", "created_at__lt", "at__gte", "published_at__gte",
     "published_at__year", "published_at__month", "published_at__day", "action__exact",
     "ip_address", "q", "o", "p", "id", "in_menu__exact", "created_at__isnull"]
)  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "2024-02-30", "1.-1", "%", "\u202e", "²"]),
)


@HTTP
@given(params=st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=4))
def test_random_change_list_queries_are_never_a_500(staff, params):
    client, urls = staff
    query = "&".join(f"{quote(key)}={quote(value, safe='')}" for key, value in params)
    for url in urls:
        response = client.get(f"{url}?{query}")
        assert response.status_code in {200, 302, 400}, (url, query, response.status_code)


# --- the staff login, end to end ----------------------------------------------------------


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/admin/", ""])
def test_a_refused_next_lands_on_the_admin_index(editor, next_url):
    client = Client(enforce_csrf_checks=True)
    login = reverse("admin:login")
    page = client.get(login, {"next": next_url})
    response = client.post(
        f"{login}?{'next=' + quote(next_url, safe='') if next_url else ''}",
        {
            "username": "bientap",
            "password": PASSWORD,
            "next": next_url,
            "csrfmiddlewaretoken": token_of(page),
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert response.status_code == 200
    assert "Bảng điều khiển tòa soạn" in response.text


def test_a_next_on_this_site_is_followed(editor):
    client = Client(enforce_csrf_checks=True)
    login = reverse("admin:login")
    target = reverse("admin:articles_article_changelist")
    page = client.get(login, {"next": target})
    response = client.post(
        login,
        {"username": "bientap", "password": PASSWORD, "next": target},
        headers={"X-CSRFToken": token_of(page)},
    )
    assert response.status_code == 302
    assert response["Location"] == target
