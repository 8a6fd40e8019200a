"""A charset that names a codec of bytes, not of text, is a 400 and never a 500,
through the WSGI application the server runs (Django fails while it builds the
request, before any middleware, so the test client cannot show it)."""

import io

import pytest

from tests.pagecache.helpers import call as call_wsgi

pytestmark = pytest.mark.django_db


def call(method, path, query, content_type, body=b""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    status, _, content = call_wsgi(environ)
    return int(status.split()[0]), content.decode()


@pytest.mark.parametrize("charset", ["hex", "base64", "HEX", '"zlib"', "rot13"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/", b""), ("POST", "/y-kien/1/gui/", b"name=x&body=y")],
)
def test_a_charset_of_bytes_is_a_vietnamese_400(method, path, body, charset):
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    status, text = call(method, path, "trang=2", content_type, body)

    assert status == 400
    assert "Yêu cầu không hợp lệ" in text


def test_a_text_charset_or_an_unknown_one_is_read_as_usual():
    assert call("GET", "/", "a=1", "text/plain; charset=utf-8")[0] == 200
    assert call("GET", "/", "a=1", "text/plain; charset=no-such-codec")[0] == 200
