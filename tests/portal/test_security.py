"""Secure by default: the deploy checks, the HTTPS toggles, response headers, the
configurable admin path, the staff login throttle and the static files never served.
"""

import json
import secrets
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.staticfiles import is_never_served
from tests.factories import make_article, make_staff
from tests.portal.test_settings import run

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50)[:50],
    "ALLOWED_HOSTS": "news.example.vn",
}
HTTPS_VARIABLES = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)
HTTPS_VALUES = f"{{v: getattr(s, v) for v in {HTTPS_VARIABLES!r}}}"


def production_values(code: str, **env) -> dict:
    """``code`` (an expression) evaluated by portal.settings in a child process."""
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"from django.urls import resolve, reverse; print(json.dumps({code}, default=str))"
    )
    result = run(["-c", script], DJANGO_SETTINGS_MODULE="portal.settings", **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- check --deploy and the HTTPS settings ------------------------------------------


def test_check_deploy_reports_nothing_but_the_documented_silenced_check(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        STATIC_ROOT=str(tmp_path),  # not this machine's var/static, whatever it holds
        **PRODUCTION,
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert "security.W0" not in output
    assert "System check identified no issues (1 silenced)." in output


def test_the_silenced_editor_check_points_at_the_security_notes():
    source = (run.__globals__["ROOT"] / "portal" / "settings.py").read_text()
    comment_and_line = source.split('SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]')[0][-300:]
    assert "docs/security.md" in comment_and_line


def test_https_settings_are_on_without_debug():
    values = production_values(HTTPS_VALUES)

    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
    }


def test_each_https_setting_can_be_turned_off_by_its_variable():
    off = dict.fromkeys(HTTPS_VARIABLES, "0")
    values = production_values(HTTPS_VALUES, **off)

    assert not any(values.values()), values


def test_proxy_ssl_header_comes_from_the_environment():
    assert production_values("getattr(s, 'SECURE_PROXY_SSL_HEADER', None)") is None
    header = production_values(
        "s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
    )
    assert header == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_reader_pages_carry_the_security_headers(client):
    article = make_article()
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_admin_has_no_reader_csp_but_still_refuses_framing(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "DENY"


# --- the admin path -------------------------------------------------------------


def test_admin_path_is_configurable_everywhere():
    values = production_values(
        "{'index': reverse('admin:index'), 'login': reverse('admin:login'),"
        " 'csp': s.CONTENT_SECURITY_POLICY['EXCLUDE_URL_PREFIXES'], 'setting': s.ADMIN_URL}",
        ADMIN_URL="/toa-soan/",
    )

    assert values["setting"] == "toa-soan/"
    assert values["index"] == "/toa-soan/"
    assert values["login"] == "/toa-soan/login/"
    assert "/toa-soan/" in values["csp"]
    assert "/admin/" not in values["csp"]


def test_old_admin_path_leads_nowhere_when_moved():
    values = production_values(
        "[resolve('/admin/').view_name, resolve('/toa-soan/').view_name]",
        ADMIN_URL="toa-soan",
    )
    # /admin/ falls through to the reader URLs (a section slug nobody has): a 404.
    assert values == ["articles:section", "admin:index"]


def test_default_admin_path():
    assert reverse("admin:index") == "/admin/"


# --- the staff login throttle ---------------------------------------------------------

LOGIN_URL = reverse("admin:login")
PASSWORD = "matkhau-123"


def login(client, username, password, *, ip="198.51.100.10", **extra):
    return client.post(
        LOGIN_URL,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail_until_locked(client, username, *, ip="198.51.100.10", **extra):
    for attempt in range(1, 5):
        response = login(client, username, "sai-mat-khau", ip=ip, **extra)
        assert response.status_code == 200, attempt  # the form again, with its error
    response = login(client, username, "sai-mat-khau", ip=ip, **extra)
    assert response.status_code == 429
    return response


def test_five_failures_lock_the_address_and_username_with_a_vietnamese_page(client):
    make_staff("bientap", "Editors")

    locked = fail_until_locked(client, "bientap")
    text = locked.content.decode()
    assert "Đăng nhập tạm thời bị khoá" in text
    assert "đăng nhập sai 5 lần" in text
    assert "1 giờ" in text
    assert locked["Retry-After"] == "3600"

    # The right password no longer helps from there, and no session is made.
    response = login(client, "bientap", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_for_the_pair_only(client):
    make_staff("bientap", "Editors")
    make_staff("kiemduyet", "Moderators")
    fail_until_locked(client, "bientap")

    # A colleague behind the same office address still logs in...
    assert login(client, "kiemduyet", PASSWORD).status_code == 302
    client.logout()
    # ...and so does the same person from another address.
    assert login(client, "bientap", PASSWORD, ip="203.0.113.99").status_code == 302


def test_lockout_ends_after_an_hour(client):
    make_staff("bientap", "Editors")
    fail_until_locked(client, "bientap")

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        response = login(client, "bientap", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_successful_login_clears_the_failures(client):
    make_staff("bientap", "Editors")
    for _ in range(4):
        login(client, "bientap", "sai-mat-khau")
    assert login(client, "bientap", PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert login(client, "bientap", "sai-mat-khau").status_code == 200
    assert AccessAttempt.objects.get().failures_since_start == 4


def test_unknown_usernames_are_throttled_too(client):
    fail_until_locked(client, "khong-co-ai")


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, settings):
    settings.COMMENTS_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    make_staff("bientap", "Editors")
    # All requests come from the proxy's own address.
    fail_until_locked(client, "bientap", ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.10")

    other = login(client, "bientap", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert other.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.10"


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(client):
    make_staff("bientap", "Editors")
    for n in range(4):
        login(client, "bientap", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = login(client, "bientap", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 302  # 4 failures: not yet locked
    client.logout()
    for n in range(5):
        response = login(client, "bientap", "sai-mat-khau", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert response.status_code == 429


def test_test_client_login_and_force_login_still_work(client):
    user = make_staff("bientap", "Editors")
    assert client.login(username="bientap", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    client.logout()
    client.force_login(user)
    assert client.get(reverse("admin:index")).status_code == 200


def test_login_attempts_are_visible_to_the_superuser_only(client):
    make_staff("bientap", "Editors")
    login(client, "bientap", "sai-mat-khau")
    attempts = reverse("admin:axes_accessattempt_changelist")

    client.force_login(make_staff("bientap2", "Editors"))
    assert client.get(attempts).status_code == 403
    client.force_login(make_staff("quantri", superuser=True))
    response = client.get(attempts)
    assert response.status_code == 200
    assert "bientap" in response.content.decode()


# --- static files ---------------------------------------------------------------------

EDITOR_PAGES = (
    "ckeditor/ckeditor/samples/index.html",
    "ckeditor/ckeditor/plugins/exportpdf/tests/manual/integration.html",
    "ckeditor/ckeditor/plugins/preview/preview.html",
    "ckeditor/ckeditor/plugins/wsc/dialogs/ciframe.html",
)


@pytest.fixture
def empty_static_root(settings, tmp_path):
    """WhiteNoise also serves STATIC_ROOT: keep this machine's var/static out of it."""
    settings.STATIC_ROOT = tmp_path / "static"


@pytest.mark.parametrize("path", EDITOR_PAGES)
@pytest.mark.usefixtures("empty_static_root")
def test_editor_pages_are_never_served(client, path):
    assert is_never_served(path)
    assert finders.find(path) is None
    assert client.get(f"/static/{path}").status_code == 404


@pytest.mark.usefixtures("empty_static_root")
def test_the_editor_itself_is_still_served(client):
    for path in ("ckeditor/ckeditor/ckeditor.js", "ckeditor/ckeditor-init.js"):
        assert not is_never_served(path)
        assert client.get(f"/static/{path}").status_code == 200, path


def test_collectstatic_leaves_the_editor_pages_out(tmp_path):
    root = tmp_path / "static"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        # --no-default-ignore: the exclusion does not depend on collectstatic's options.
        call_command("collectstatic", "--noinput", "--no-default-ignore", verbosity=0)

    collected = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert "ckeditor/ckeditor/ckeditor.js" in collected
    assert "admin/css/base.css" in collected
    pages = {p for p in collected if p.startswith("ckeditor/") and p.endswith((".html", ".htm"))}
    assert pages == set()
    assert not any("/samples/" in p or "/tests/" in p for p in collected if "ckeditor" in p)


def test_deploy_check_warns_about_editor_pages_left_in_static_root(tmp_path):
    stale = tmp_path / "ckeditor" / "ckeditor" / "plugins" / "preview" / "preview.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("<html></html>")
    (tmp_path / "ckeditor" / "ckeditor" / "ckeditor.js").write_text("//")

    result = run(["manage.py", "check", "--deploy"], STATIC_ROOT=str(tmp_path), **PRODUCTION)

    assert "portal.W001" in result.stdout + result.stderr
    assert "collectstatic --noinput --clear" in result.stdout + result.stderr
