"""The reader pages' template engine: Django's Jinja2 backend (settings.TEMPLATES).

Reader pages (templates/reader/) are rendered by Jinja2, which renders a page
several times faster than Django's template language; the admin, the editor,
mail, feeds and sitemaps stay on Django's templates (templates/).

What the templates call is named here and in each app's ``jinja`` module,
listed under ``OPTIONS["libraries"]``: a module's ``GLOBALS`` and ``FILTERS``
are added to the environment, as an app's template tag library is loaded by
Django's templates.
"""

from importlib import import_module

import jinja2
from django.conf import settings
from django.template import defaultfilters
from django.template.backends import jinja2 as backend
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markupsafe import Markup

from portal.templatetags import vn


class Jinja2(backend.Jinja2):
    """Django's Jinja2 engine, its templates rendering as Django's do (ReaderTemplate)."""

    def get_template(self, template_name):
        return ReaderTemplate(super().get_template(template_name).template, self)

    def from_string(self, template_code):
        return ReaderTemplate(self.env.from_string(template_code), self)


class ReaderTemplate(backend.Template):
    """A template of the Jinja2 engine that renders as Django's templates do:
    what the view gives wins over what the context processors add (a page that
    brings its kept menu is not made to read it again), and the result is safe
    HTML (a part rendered with render_to_string() is put in a page as it is)."""

    def render(self, context=None, request=None) -> SafeString:
        values = {}
        if request is not None:
            values["request"] = request
            values["csrf_input"] = csrf_input_lazy(request)
            values["csrf_token"] = csrf_token_lazy(request)
            for context_processor in self.backend.template_context_processors:
                values.update(context_processor(request))
        values.update(context or {})
        try:
            return mark_safe(self.template.render(values))
        except jinja2.TemplateSyntaxError as exc:
            error = backend.TemplateSyntaxError(exc.args)
            error.template_debug = backend.get_exception_info(exc)
            raise error from exc


def url(name: str, *args, **kwargs) -> str:
    """``reverse(name)``, as ``{% url %}`` in Django's templates."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


# The blocks kept() holds, by name and the values they were rendered from.
_kept: dict = {}
KEPT_MAX = 64


def kept(name: str, *vary_on, caller) -> Markup:
    """``{% call kept("chrome_head", site_name) %}…{% endcall %}``: the block
    rendered once per process for the values it is keyed by (the settings it
    shows), as ``{% cache %}`` keeps a fragment of Django's templates."""
    key = (name, vary_on, settings.STATIC_URL, settings.ROOT_URLCONF)
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        html = _kept[key] = Markup(caller())
    return html


def forget_kept() -> None:
    """Forget every block kept() holds (the tests do before each test)."""
    _kept.clear()


GLOBALS = {"kept": kept, "static": static, "url": url}

FILTERS = {
    # The paper's date formats, as Django's templates have them (portal/templatetags/vn.py).
    "dateline": vn.dateline,
    "long_date": vn.long_date,
    "short_datetime": vn.short_datetime,
    "iso_datetime": vn.iso_datetime,
    # Django's own filters, where Jinja2's differ (escaping, word counts).
    "linebreaks": lambda value: defaultfilters.linebreaks_filter(value, autoescape=True),
    "linebreaksbr": lambda value: defaultfilters.linebreaksbr(value, autoescape=True),
    "truncatechars": defaultfilters.truncatechars,
    "truncatewords": defaultfilters.truncatewords,
    "urlencode": defaultfilters.urlencode,
}


def environment(*, libraries=(), **options) -> jinja2.Environment:
    """The environment of settings.TEMPLATES' Jinja2 engine.

    Undefined names and attributes render as nothing, as in Django's templates,
    whatever DEBUG says.
    """
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(**options)
    env.globals.update(GLOBALS)
    env.filters.update(FILTERS)
    for name in libraries:
        library = import_module(name)
        env.globals.update(getattr(library, "GLOBALS", {}))
        env.filters.update(getattr(library, "FILTERS", {}))
    return env
