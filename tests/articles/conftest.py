from contextlib import contextmanager

import pytest

from articles.signals import content_changed


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
