import os
from contextlib import contextmanager

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.signals import template_rendered

from articles.signals import content_changed
from pagecache.copies import worker_copies
from portal.jinja import ReaderTemplate, forget_kept

# The session's S3 server (s3_server) and its helpers, one for every test package.
pytest_plugins = ["tests.s3"]

# The live test server listens with a backlog of 10 (Django's default for
# runserver); the load test opens 40 connections at once and the kernel resets
# the ones that overflow. A real deployment has granian's (2048, portal/serve.py).
ThreadedWSGIServer.request_queue_size = 128

# The test client records the templates a response rendered and their contexts
# (response.context) from the template_rendered signal, which Django's test
# environment makes its own template engine send; the reader pages' Jinja2
# templates (portal/jinja.py) send it too.
_jinja2_render = ReaderTemplate.render


def _render_and_signal(self, context=None, request=None):
    template_rendered.send(sender=self, template=self, context=dict(context or {}))
    return _jinja2_render(self, context, request)


ReaderTemplate.render = _render_and_signal


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and empty caches."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    # The page chrome each process keeps (templates/reader/base.html's kept()).
    forget_kept()
    worker_copies.clear()
    # Content types are kept in memory by id, and every revision names one; a
    # transactional test's flush takes the rows away (serialized_rollback
    # brings them back with other ids): each test reads them afresh.
    ContentType.objects.clear_cache()
    yield
    cache.clear()
    worker_copies.clear()


@pytest.fixture
def journalist(db):
    from tests.factories import make_staff

    return make_staff("phongvien", "Journalists")


@pytest.fixture
def editor(db):
    from tests.factories import make_staff

    return make_staff("bientap", "Editors")


@pytest.fixture
def moderator(db):
    from tests.factories import make_staff

    return make_staff("kiemduyet", "Moderators")


@pytest.fixture
def redis_url():
    """The real Redis behind tests whose behaviour depends on it: TEST_REDIS_URL.
    Without it they are skipped locally and fail under CI."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must export TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
        pytest.skip("TEST_REDIS_URL is not set: export TEST_REDIS_URL=redis://127.0.0.1:6379/15")
    return url


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed() as announced:`` runs the block as one committed write:
    what follows its commit (renditions, search data) runs at the end, and
    ``announced`` lists the changes ``content_changed`` carried meanwhile."""

    @contextmanager
    def block():
        announced = []

        def receiver(sender, change, **kwargs):
            announced.append(change)

        content_changed.connect(receiver)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield announced
        finally:
            content_changed.disconnect(receiver)

    return block
