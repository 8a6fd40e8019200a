"""portal.staticfiles.ManifestStorage: the hashed names of collected files, each
worked out once per process."""

import json

import pytest
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

from portal.staticfiles import ManifestStorage


@pytest.fixture
def collected(tmp_path):
    """A collected tree with its manifest, as collectstatic leaves it."""
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "base.2e9278863e7d.css").write_text("body{}")
    manifest = {"paths": {"css/base.css": "css/base.2e9278863e7d.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


@override_settings(DEBUG=False)
def test_each_name_is_looked_up_in_the_manifest_once(collected, monkeypatch):
    storage = ManifestStorage(location=str(collected), base_url="/static/")
    looked_up = []
    original = CompressedManifestStaticFilesStorage.url
    monkeypatch.setattr(
        CompressedManifestStaticFilesStorage,
        "url",
        lambda self, name, force=False: looked_up.append(name) or original(self, name, force),
    )
    assert storage.url("css/base.css") == "/static/css/base.2e9278863e7d.css"
    assert storage.url("css/base.css") == "/static/css/base.2e9278863e7d.css"
    assert looked_up == ["css/base.css"]


def test_debug_names_the_source_file_and_a_missing_one_still_fails(collected):
    storage = ManifestStorage(location=str(collected), base_url="/static/")
    with override_settings(DEBUG=True):
        assert storage.url("css/base.css") == "/static/css/base.css"
    with override_settings(DEBUG=False):
        assert storage.url("css/base.css") == "/static/css/base.2e9278863e7d.css"
        for _ in range(2):
            with pytest.raises(ValueError):
                storage.url("css/missing.css")
