"""The libraries' admin change lists, like the portal's own, never answer a 500.

Only a superuser opens them: the staff accounts (Django's users and groups) and
django-axes' records of logins and lockouts. A hostile query string there is a
400 or the unfiltered list flagged ``?e=1``, never a 500, nor the 503 a
database error would pass for (tests/portal/test_fuzz_input.py covers the
project's own lists for each staff group).
"""

from urllib.parse import quote

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"articles", "comments"}
LIBRARY_LISTS = [
    "auth_user",
    "auth_group",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
]
HOSTILE_QUERIES = [
    "ip_address=not-an-ip",
    "ip_address__gt=x",
    "ip_address__regex=(",
    "username__regex=(",
    "username__iregex=[",
    "name__regex=(",
    "user_agent__regex=*",
    "password__startswith=pbkdf2",
    "groups__name__regex=(",
    "groups__id__exact=abc",
    "groups__id__exact=99999999999999999999",
    "permissions__id__exact=-1",
    "is_staff__exact=maybe",
    "is_superuser__exact=2",
    "locked_out__exact=x",
    "locked_out=yes",
    "locked_out=" + "x" * 500,
    "path_info__exact=%FF",
    "failures_since_start__gt=abc",
    "failures_since_start=99999999999999999999",
    "logout_time__isnull=maybe",
    "date_joined__gte=0001-01-01",
    "last_login__lt=9999-12-31%2023:59:59",
    "attempt_time__year=9999",
    "attempt_time__year=9999&attempt_time__month=12",
    "attempt_time__year=9999&attempt_time__month=12&attempt_time__day=31",
    "attempt_time__year=1&attempt_time__month=1&attempt_time__day=1",
    "attempt_time__year=0",
    "attempt_time__year=10000",
    "attempt_time__year=abc",
    "attempt_time__year=2024&attempt_time__month=13",
    "attempt_time__year=2024&attempt_time__month=2&attempt_time__day=30",
    "attempt_time__gte=9999-12-31",
    "attempt_time__gte=abc",
    "attempt_time__lt=0001-01-01",
    "attempt_time__gte=0001-01-01&attempt_time__lt=0001-01-02",
    "logout_time__gte=9999-12-31%2023:59:59",
    "q=%00",
    "q=" + "đ" * 3000,
    "o=%00",
    "o=99",
    "o=-0.1.-2.x",
    "o=" + ".".join(["1"] * 200),
    "p=abc",
    "p=-1",
    "p=99999999999999999999",
    "id=abc",
    "id__in=1,x",
    "pk__regex=(",
    "_to_field=password",
    "_facets=1",
    "_popup=1&_to_field=id",
    "all=",
    "e=1",
    "e=1&username__regex=(",
]
# Each in every place a value goes: the search, the ordering, the page, a
# declared filter, the date hierarchy, a field no filter offers.
HOSTILE_STRINGS = [
    "",
    "(",
    "[a-",
    "\\",
    "'; DROP TABLE auth_user; --",
    "%",
    "-1",
    "0",
    "99999999999999999999",
    "1e400",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "\u202e",
    "²",
    "đ" * 300,
    "1,x",
    "null",
]
HOSTILE_KEYS = [
    "q",
    "o",
    "p",
    "is_staff__exact",
    "groups__id__exact",
    "locked_out",
    "path_info",
    "attempt_time__year",
    "attempt_time__gte",
    "ip_address",
]
HOSTILE_VALUES = [
    f"{key}={quote(value, safe='')}" for key in HOSTILE_KEYS for value in HOSTILE_STRINGS
]


def changelist(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("quantri", "quantri@example.vn", "matkhau-123")


@pytest.fixture
def admin_client_with_rows(superuser):
    """A superuser's client, with a row in every library list (filters and dates to offer)."""
    Group.objects.create(name="Cộng tác viên")
    access = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "192.0.2.1",
        "username": "bientap",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=5)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access, locked_out=True)
    client = Client()
    client.force_login(superuser)
    return client


def assert_never_a_500(client: Client, query: str) -> None:
    for name in LIBRARY_LISTS:
        url = changelist(name)
        response = client.get(f"{url}?{query}")
        assert response.status_code in {200, 302, 400}, (url, query, response.status_code)
        if response.status_code == 302:  # Django's answer to a filter it refuses: the list
            assert response["Location"] == f"{url}?e=1", (url, query)
            assert client.get(response["Location"]).status_code == 200, (url, query)


def test_the_superuser_sees_exactly_these_library_lists(admin_client_with_rows):
    # A library admin added later is noticed here, and so gets fuzzed below.
    app_list = admin_client_with_rows.get(reverse("admin:index")).context["app_list"]
    library = sorted(
        f"{app['app_label']}_{model['object_name'].lower()}"
        for app in app_list
        if app["app_label"] not in PROJECT_APPS
        for model in app["models"]
    )
    assert library == sorted(LIBRARY_LISTS)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_on_library_lists_are_never_a_500(admin_client_with_rows, query):
    assert_never_a_500(admin_client_with_rows, query)


@pytest.mark.parametrize("query", HOSTILE_VALUES)
def test_hostile_values_on_library_lists_are_never_a_500(admin_client_with_rows, query):
    assert_never_a_500(admin_client_with_rows, query)


def test_every_list_the_superuser_sees_refuses_an_undeclared_filter(admin_client_with_rows):
    client = admin_client_with_rows
    for app in client.get(reverse("admin:index")).context["app_list"]:
        for model in app["models"]:
            url = model["admin_url"]
            response = client.get(f"{url}?pk__regex=(", follow=True)
            assert response.redirect_chain == [(f"{url}?e=1", 302)], url
            assert response.status_code == 200, url


@pytest.mark.parametrize(
    ("name", "query", "count"),
    [
        ("auth_user", "is_superuser__exact=1", 1),
        ("auth_user", "is_superuser__exact=0", 0),
        ("auth_user", "q=quantri", 1),
        ("auth_group", "q=tác", 1),
        ("axes_accessattempt", "locked_out=yes", 1),
        ("axes_accessattempt", "locked_out=no", 0),
        ("axes_accessfailurelog", "locked_out__exact=0", 0),
        ("axes_accesslog", "q=192.0.2.1", 1),
        ("axes_accesslog", "attempt_time__year=1999", 0),
    ],
)
def test_the_filters_the_lists_offer_still_filter(admin_client_with_rows, name, query, count):
    response = admin_client_with_rows.get(f"{changelist(name)}?{query}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == count


def test_a_refused_filter_shows_the_whole_list_in_vietnamese(admin_client_with_rows):
    url = changelist("axes_accessattempt")
    response = admin_client_with_rows.get(f"{url}?ip_address=not-an-ip", follow=True)
    assert response.redirect_chain == [(f"{url}?e=1", 302)]
    assert response.context["cl"].result_count == 1
    assert "192.0.2.1" in response.text
    assert 'lang="vi"' in response.text
