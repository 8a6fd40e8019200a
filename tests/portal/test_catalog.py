"""The portal's Vietnamese catalog (locale/vi) is what the site says.

A .po file edited without `make messages` leaves its .mo stale: the compiled
catalog must give every msgstr of the .po, for the server's pages and for the
admin's JavaScript. And every string the admin's JavaScript shows (calendar,
clock, selectors, actions) has a Vietnamese translation.
"""

import ast
import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.factories import make_staff, staff_browser

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"

_LITERAL = r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(
    rf"\b(gettext|gettext_noop|ngettext|pgettext)\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})?", re.S
)


def entries(domain: str) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(LOCALE / f"{domain}.po")) if not e.obsolete]


def served_js_catalog(client) -> dict:
    """The catalog the admin's pages load (``admin:jsi18n``), as the browser gets it."""
    script = client.get(reverse("admin:jsi18n")).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))


def js_key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def test_the_catalog_files_are_there_and_complete():
    for domain in ("django", "djangojs"):
        assert (LOCALE / f"{domain}.mo").is_file(), f"run `make messages`: {domain}.mo is missing"
        assert entries(domain), domain
        untranslated = [e.msgid for e in entries(domain) if not e.translated() or e.fuzzy]
        assert untranslated == [], domain


def test_the_compiled_catalog_gives_every_translation_of_the_po_file():
    stale = []
    with translation.override("vi"):
        for entry in entries("django"):
            if entry.msgid_plural:
                said = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 5)]
                meant = [entry.msgstr_plural[0]] * 2
            elif entry.msgctxt:
                said, meant = translation.pgettext(entry.msgctxt, entry.msgid), entry.msgstr
            else:
                said, meant = translation.gettext(entry.msgid), entry.msgstr
            if said != meant:
                stale.append((entry.msgid, said, meant))
    assert stale == [], "locale/vi/LC_MESSAGES/django.mo is stale: run `make messages`"


@pytest.mark.django_db
def test_the_admin_javascript_gets_every_translation_of_the_po_file():
    catalog = served_js_catalog(staff_browser(make_staff("bientap", "Editors")))
    stale = []
    for entry in entries("djangojs"):
        meant = entry.msgstr_plural[0] if entry.msgid_plural else entry.msgstr
        said = catalog.get(js_key(entry))
        said = said[0] if isinstance(said, list) else said
        if said != meant:
            stale.append((entry.msgid, said, meant))
    assert stale == [], "locale/vi/LC_MESSAGES/djangojs.mo is stale: run `make messages`"


def admin_javascript_strings() -> set[str]:
    """Each (context and) message the admin's own scripts show, read from their source."""
    folder = Path(finders.find("admin/js/calendar.js")).parent
    found = set()
    for script in [*folder.glob("*.js"), *folder.glob("admin/*.js")]:
        for call, first, second in _CALL.findall(script.read_text()):
            first = ast.literal_eval(first)
            if call == "pgettext":
                found.add(f"{first}\x04{ast.literal_eval(second)}")
            else:
                found.add(first)
    return found


@pytest.mark.django_db
def test_every_string_of_the_admin_javascript_is_in_vietnamese():
    catalog = served_js_catalog(staff_browser(make_staff("phongvien", "Journalists")))
    shown = admin_javascript_strings()
    # The calendar, the clock and the two-box selector are among them.
    assert {"Today", "Now", "Choose a time", "Midnight", "abbrev. day Sunday\x04Sun"} <= shown
    missing = sorted(key.replace("\x04", " | ") for key in shown if not catalog.get(key))
    assert missing == []
