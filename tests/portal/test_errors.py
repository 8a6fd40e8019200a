import json
import os
import subprocess
import sys
from pathlib import Path

from django.test import Client, RequestFactory
from django.views.defaults import server_error

ROOT = Path(__file__).resolve().parents[2]

DB_DOWN_SCRIPT = """
import json, time, django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/")
print(json.dumps({
    "status": response.status_code,
    "seconds": time.monotonic() - started,
    "body": response.content.decode(),
    "retry_after": response.get("Retry-After"),
}))
"""


def test_500_page_is_vietnamese_and_needs_no_database():
    # No database fixture: any query here would raise.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Xin lỗi, đã có lỗi xảy ra" in response.content.decode()


def test_unreachable_database_gives_a_quick_503_page():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Nothing listens on port 9 (discard) on this machine: connection refused.
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/portal",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", DB_DOWN_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert "Trang đang tạm thời gián đoạn" in answer["body"]
    assert answer["retry_after"] == "30"
    assert answer["seconds"] < 5


def test_csrf_failure_page_is_vietnamese(db):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/y-kien/1/gui/", {"body": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()
