"""Static files: the storage that names them, and those the site must never serve.

``ManifestStorage`` is WhiteNoise's (hashed, compressed names, far-future
headers) with each name's URL worked out once per process: the manifest does
not change while the process runs (``collectstatic`` comes with a restart), and
every page names a dozen files.

Never served:

django-ckeditor ships CKEditor's own HTML pages (sample pages in older
releases, a plugin's manual test pages, the preview and spell-check frames).
Served from this site's origin, with no Content-Security-Policy on static
files, each would be a page running the unmaintained editor's code for anyone
who links to it. The finder below leaves them out of ``collectstatic`` (so
WhiteNoise never has them) and out of lookups (``runserver``, WhiteNoise's
finders mode). The editor itself never loads them: they belong to buttons the
toolbar does not offer (see CKEDITOR_CONFIGS and docs/security.md).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.utils import matches_patterns
from django.core import checks
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Matched with fnmatch against the path under STATIC_URL, where "*" also
# crosses "/": every HTML page and every test folder under the editor's tree.
NEVER_SERVED = [
    "ckeditor/ckeditor/samples/*",
    "ckeditor/*/tests/*",
    "ckeditor/*.html",
    "ckeditor/*.htm",
]


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.worked_out = {}

    def url(self, name, force=False):
        key = (name, force, settings.DEBUG)
        url = self.worked_out.get(key)
        if url is None:
            url = self.worked_out[key] = super().url(name, force)
        return url


def is_never_served(path: str) -> bool:
    return matches_patterns(path.replace("\\", "/").lstrip("/"), NEVER_SERVED)


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's app directories finder minus ``NEVER_SERVED``."""

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if not is_never_served(path):
                yield path, storage

    def find_in_app(self, app, path):
        if is_never_served(path):
            return None
        return super().find_in_app(app, path)


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_static_root(app_configs=None, **kwargs):
    """A STATIC_ROOT collected before this finder existed still holds the pages."""
    root = Path(settings.STATIC_ROOT or "")
    editor = root / "ckeditor"
    if not settings.STATIC_ROOT or not editor.is_dir():
        return []
    found = [
        path
        for path in editor.rglob("*")
        if path.is_file() and is_never_served(path.relative_to(root).as_posix())
    ]
    if not found:
        return []
    return [
        checks.Warning(
            f"STATIC_ROOT holds {len(found)} CKEditor pages that must not be served, "
            f"e.g. {found[0].relative_to(root).as_posix()}.",
            hint="Run `manage.py collectstatic --noinput --clear`; see docs/security.md.",
            id="portal.W001",
        )
    ]
