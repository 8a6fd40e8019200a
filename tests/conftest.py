import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


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
