"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

One browser for the whole session, a fresh context (cookies, storage, viewport)
per page a test opens. Tests run against pytest-django's ``live_server`` on the
suite's test database, so each test module is marked
``django_db(transaction=True, serialized_rollback=True)``: the server thread only
sees committed data, and the rollback restores the migrated rows (the staff
groups) that the flush after every transactional test removes.

Without /usr/bin/chromium the tests are skipped with one line saying how to
install it, except under CI (``CI=true``), where a missing browser fails them.
"""

import os
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connections

from demo.covers import MOTIF_ALT
from tests.e2e import helpers
from tests.e2e.content import (
    PHONE,
    STORY_BODY,
    STORY_PUBLISHED_AT,
    STORY_SAPO,
    STORY_TITLE,
    WIDE_FIGURE,
    draw,
)
from tests.factories import make_article, make_author, make_section

# Playwright's sync API keeps an asyncio event loop running in the test thread
# (it switches to it, in greenlets, whenever it waits for the browser). Django
# sees that running loop and refuses ORM calls from the thread with
# SynchronousOnlyOperation, although nothing here is asynchronous: the test
# makes its queries while Playwright sits idle. The loop lives until the
# session ends, so this holds for the rest of the process, which is only tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# The machine is offline: without the last ones Chromium keeps trying to reach
# the internet (updates, sync, QUIC probes) and slows every test down.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
INSTALL_HINT = (
    f"browser tests need Chromium at {CHROMIUM}: install it with "
    "`apt-get update && apt-get install -y chromium` (as root)"
)
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    """The session's Chromium; a skip (or, in CI, a failure) when it is not installed."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"CI=true and {INSTALL_HINT}", pytrace=False)
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    # Django's connections live in a thread-critical asgiref Local, which
    # switches to context-local storage while an event loop runs in the thread,
    # as Playwright's does from now on: the test thread would get a second set
    # of connections, without the test database's serialized contents (so
    # serialized_rollback would restore nothing) and never closed. Keep the same.
    same_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in same_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # pytest reports a skip at each test's own line; one missing browser is one
    # reason, so point every such skip here and the summary folds them into one line.
    report = yield
    missing_browser = f"Skipped: {INSTALL_HINT}"
    if (
        report.skipped
        and isinstance(report.longrepr, tuple)
        and report.longrepr[2] == missing_browser
    ):
        report.longrepr = (__file__, None, report.longrepr[2])
    return report


@pytest.fixture(autouse=True)
def _browser_first(browser):
    """Every test here needs the browser: skip (or fail) before any database work."""


@pytest.fixture(autouse=True)
def _serve_media(settings):
    # SERVE_MEDIA is read when portal/urls.py is imported, long before these tests:
    # an URLconf of our own serves the test's MEDIA_ROOT instead (see urls.py).
    settings.ROOT_URLCONF = "tests.e2e.urls"


@pytest.fixture
def open_page(request, browser, live_server):
    """Open a path in a fresh browser context: ``open_page("/", viewport=DESKTOP)``.

    Uncaught JavaScript errors and Content-Security-Policy violations on any page
    fail the test. A test that saved no screenshot of its own gets one of each
    page it opened, named after the test.
    """
    contexts, pages, problems = [], [], []
    shots_before = len(helpers.saved)

    def watch(page):
        page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def open_page(path="/", *, viewport=PHONE, javascript=True):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            java_script_enabled=javascript,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        pages.append(page)
        if path is not None:
            page.goto(path)
        return page

    yield open_page

    if len(helpers.saved) == shots_before:
        name = request.node.name.replace("[", "-").replace("]", "")
        for n, page in enumerate(pages):
            if not page.is_closed():
                helpers.screenshot(page, f"{name}-{n + 1}" if len(pages) > 1 else name)
    for context in contexts:
        context.close()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


@pytest.fixture
def newsroom():
    """Sections and authors as a small paper has them."""
    return {
        # Journalists publish here themselves; elsewhere they submit for review.
        "thoi-su": make_section(name="Thời sự", position=1, journalists_publish=True),
        "nong-nghiep": make_section(name="Nông nghiệp", position=2),
        "du-lich": make_section(name="Du lịch", position=3),
        "tam": make_author(name="Nguyễn Thanh Tâm"),
        "phuc": make_author(name="Lê Hoàng Phúc"),
    }


@pytest.fixture
def story(newsroom):
    """A complete article: cover, sub-heading, a wide photo, a quote, a wide table, a
    long address, two authors and a place; with related articles in its section."""
    figure = default_storage.save(
        "uploads/2024/02/gat-lua-my-an.jpg", draw("fields", seed="figure", size=WIDE_FIGURE)
    )
    body = STORY_BODY.format(
        figure_url=default_storage.url(figure), width=WIDE_FIGURE[0], height=WIDE_FIGURE[1]
    )
    article = make_article(
        section=newsroom["nong-nghiep"],
        title=STORY_TITLE,
        sapo=STORY_SAPO,
        body=body,
        location="Tháp Mười",
        published_at=STORY_PUBLISHED_AT,
        cover_image=draw("fields", seed="cover"),
        cover_alt=MOTIF_ALT["fields"],
        cover_caption="Cánh đồng lúa Đông Xuân ở huyện Tháp Mười vào mùa thu hoạch.",
        cover_credit="Thanh Tâm",
        authors=[newsroom["tam"], newsroom["phuc"]],
    )
    for n, (section, motif, title) in enumerate(
        [
            ("nong-nghiep", "fields", "Giá lúa tươi tại ruộng tăng nhẹ đầu vụ Đông Xuân"),
            ("nong-nghiep", "boats", "Thương lái miền Tây tăng thu mua xoài cát Hòa Lộc xuất khẩu"),
            ("thoi-su", "bridge", "Khánh thành cầu Đình Trung nối hai bờ sông Tiền"),
            ("du-lich", "palms", "Đồng Tháp đón đoàn khách du lịch đầu tiên của năm mới"),
        ]
    ):
        make_article(
            section=newsroom[section],
            title=title,
            sapo="Tin ngắn trong ngày của phóng viên Báo Phù Sa tại các huyện, thành phố.",
            cover_image=draw(motif, seed=f"related-{n}", size=(640, 360)),
            cover_alt=MOTIF_ALT[motif],
            authors=[newsroom["phuc"]],
        )
    return article
