"""comments:post takes no CSRF token (the article page carrying its form is cached
for everyone) and refuses, instead, what a browser sends from another site
(portal.http.same_origin_only; docs/security.md, "CSRF")."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from portal.http import CROSS_SITE_MESSAGE
from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

SCRIPT = {"HTTP_X_REQUESTED_WITH": "fetch"}


def browser() -> Client:
    """Django's CSRF check on, as for a real browser; no token anywhere."""
    return Client(enforce_csrf_checks=True)


def post(headers, body="Bài viết hữu ích.", **extra):
    article = make_article()
    fields = {"name": "Võ Thị Sáu", "email": "", "body": body}
    return browser().post(reverse("comments:post", args=[article.pk]), fields, **headers, **extra)


@pytest.mark.parametrize(
    "headers",
    [
        # fetch() or the form on the site's own page, as Chromium and Firefox send it
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        # typed or bookmarked by the reader
        {"HTTP_SEC_FETCH_SITE": "none"},
        # an older browser: no Sec-Fetch-Site, its Origin is this site
        {"HTTP_ORIGIN": "http://testserver"},
        # no browser at all (curl, a feed reader): nobody's browser was made to send it
        {},
    ],
    ids=["same-origin", "typed", "origin-only", "no-browser"],
)
@pytest.mark.parametrize("script", [True, False], ids=["script", "plain"])
def test_a_post_from_this_site_needs_no_token(headers, script):
    response = post(headers, **(SCRIPT if script else {}))
    assert response.status_code == (201 if script else 303)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://lua-dao.example"},
        # a sibling subdomain is another site's page too
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://blog.testserver"},
        # the browser's word wins over an Origin that looks right
        {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "https://lua-dao.example"},
        {"HTTP_ORIGIN": "null"},  # a sandboxed frame, a data: page
        {"HTTP_ORIGIN": "https://testserver"},  # another scheme is another origin
        {"HTTP_ORIGIN": "http://testserver.lua-dao.example"},
    ],
    ids=["cross-site", "same-site", "cross-site-origin-ok", "foreign", "null", "https", "suffix"],
)
@pytest.mark.parametrize("script", [True, False], ids=["script", "plain"])
def test_a_post_from_another_site_is_refused_and_nothing_is_stored(headers, script):
    response = post(headers, **(SCRIPT if script else {}))
    assert response.status_code == 403
    assert response.text == CROSS_SITE_MESSAGE
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not Comment.objects.exists()


def test_trusted_origins_are_this_site_too(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://baophusa.vn", "https://*.baophusa.vn"]
    for origin in ("https://baophusa.vn", "https://m.baophusa.vn"):
        assert post({"HTTP_ORIGIN": origin}, body=f"Từ {origin}.", **SCRIPT).status_code == 201
    for origin in ("https://baophusa.vn.lua-dao.example", "http://m.baophusa.vn"):
        assert post({"HTTP_ORIGIN": origin}, **SCRIPT).status_code == 403
    assert Comment.objects.count() == 2


def test_behind_a_tls_proxy_the_origin_is_the_https_one(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The proxy passes the reader's Host and says the request came over HTTPS.
    headers = {
        "HTTP_HOST": "testserver",
        "HTTP_ORIGIN": "https://testserver",
        "HTTP_X_FORWARDED_PROTO": "https",
    }
    assert post(headers, **SCRIPT).status_code == 201


def test_a_refused_post_does_not_use_up_the_readers_allowance(settings):
    settings.COMMENTS_RATE_LIMIT = "1/d"
    for _ in range(3):
        assert post({"HTTP_SEC_FETCH_SITE": "cross-site"}, **SCRIPT).status_code == 403
    response = post({"HTTP_SEC_FETCH_SITE": "same-origin"}, **SCRIPT)
    assert response.status_code == 201
    assert json.loads(response.text)["message"] == "Ý kiến của bạn đang chờ duyệt"


def test_the_report_form_keeps_its_csrf_token(moderator):
    # Its page is rendered for one reader, so it carries Django's own token.
    from comments.services import moderate

    comment = make_comment()
    assert moderate(comment=comment, moderator=moderator, status="approved")
    url = reverse("comments:report", args=[comment.pk])
    same_origin = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
    reader = browser()
    assert reader.post(url, {"reason": "abuse"}, **same_origin).status_code == 403
    page = reader.get(url)
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = reader.post(url, {"reason": "abuse", "csrfmiddlewaretoken": token}, **same_origin)
    assert response.status_code == 200
    assert "Cảm ơn bạn" in response.text
