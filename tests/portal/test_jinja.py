"""The reader pages' engine (portal/jinja.py): Jinja2 rendering as Django's
templates do."""

import jinja2
import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.safestring import SafeString

from portal import jinja


@pytest.fixture
def engine():
    return engines["jinja"]


def test_what_the_view_gives_wins_over_the_context_processors(engine, settings):
    template = engine.from_string("{{ site_name }} / {{ menu_sections }}")
    request = RequestFactory().get("/")

    page = template.render({"site_name": "Báo Thử", "menu_sections": "kept"}, request)

    assert page == "Báo Thử / kept"
    # And without the view's values, the processors' (portal.context_processors.site).
    assert engine.from_string("{{ site_name }}").render({}, request) == settings.SITE_NAME


def test_a_rendered_part_is_safe_html_in_the_page_that_shows_it(engine):
    assert isinstance(render_to_string("500.html"), SafeString)

    page = engine.from_string("<div>{{ part }}</div>").render({"part": "<b>x</b>"})
    assert page == "<div>&lt;b&gt;x&lt;/b&gt;</div>"  # what a view typed is escaped
    page = engine.from_string("<div>{{ part }}</div>").render({"part": SafeString("<b>x</b>")})
    assert page == "<div><b>x</b></div>"


def test_an_unknown_name_or_attribute_renders_as_nothing_even_with_debug_on():
    # With DEBUG on, Django's Jinja2 backend asks for DebugUndefined, which
    # would show "{{ missing }}" to readers.
    env = jinja.environment(undefined=jinja2.DebugUndefined, autoescape=True)
    template = env.from_string("[{{ missing }}][{{ missing.name }}][{{ none.name }}]")
    assert template.render(none=None) == "[][][]"


def test_a_kept_block_is_rendered_once_per_process_for_its_values(engine):
    rendered = []

    def note(value):
        rendered.append(value)
        return value

    template = engine.from_string('{% call kept("test", name) %}{{ note(name) }}{% endcall %}')
    pages = [template.render({"name": name, "note": note}) for name in ("An", "An", "Bình", "An")]

    assert pages == ["An", "An", "Bình", "An"]
    assert rendered == ["An", "Bình"]
    jinja.forget_kept()
    assert template.render({"name": "An", "note": note}) == "An"
    assert rendered == ["An", "Bình", "An"]
