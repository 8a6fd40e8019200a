"""Previewing an article from its form, before its first save.

The "Xem trước" button beside the save buttons
(templates/admin/articles/article/includes/preview.html) posts the form as it
is, new or edited, to ``preview_view`` in a new tab. The article is built in
memory from the bound form and its byline table and shown with the public
article template, as ``articles.views.preview`` shows a stored one: nothing is
written to the database and no file is stored (a newly chosen cover is shown
from the page itself). A form with errors shows them instead.
"""

import base64
import io

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps

from portal.text import vn_slugify

from . import popularity
from .forms import PendingUpload
from .models import Article, Author, Correction
from .sanitize import sanitize_body

# A newly chosen cover is shown this wide at most, re-encoded inside the page.
SHOWN_COVER_WIDTH = 960


class _ShownImage:
    """A cover that is not stored, for the ``cover`` template tag: truthy, with a URL."""

    def __init__(self, url: str):
        self.url = url

    def __bool__(self):
        return True


class UnsavedArticle:
    """An article as its form holds it, for the reader's template: what a stored
    article reads from the database (its byline, its cover) comes from the form."""

    def __init__(self, article: Article, *, authors: list[Author], cover: _ShownImage | None):
        self._article = article
        self._authors = authors
        self._cover = cover

    def __getattr__(self, name):
        return getattr(self._article, name)

    @property
    def pk(self):
        # A new article has no address yet: the banner's link to its form is left out
        # (reversing the form's URL with "" fails, quietly, in the template).
        return self._article.pk or ""

    def byline_authors(self) -> list[Author]:
        return self._authors

    @property
    def corrections(self):
        # A new article has none; an edited one shows those already published.
        if self._article.pk is None:
            return Correction.objects.none()
        return self._article.corrections

    @property
    def cover_image(self):
        return self._article.cover_image if self._cover is None else self._cover

    @property
    def cover_renditions(self):
        # The stored renditions belong to the stored cover, not to one just chosen.
        return self._article.cover_renditions if self._cover is None else {}


def _shown_cover(value) -> _ShownImage | None:
    """The form's cover when it is not the stored one: a new upload, inside the page;
    one kept from a form shown again, from where it is kept. None otherwise."""
    if isinstance(value, PendingUpload):
        return _ShownImage(value.url)
    if not isinstance(value, UploadedFile):
        return None
    value.seek(0)
    with Image.open(value) as image:
        shown = ImageOps.exif_transpose(image)
        shown.thumbnail((SHOWN_COVER_WIDTH, SHOWN_COVER_WIDTH * 4))
        if shown.mode not in ("RGB", "L"):
            shown = shown.convert("RGB")
        out = io.BytesIO()
        shown.save(out, "JPEG", quality=80)
    value.seek(0)
    return _ShownImage("data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode())


def _authors(formsets) -> list[Author]:
    """The byline's authors in print order, from the byline table as posted."""
    rows = []
    for formset in formsets:
        if formset.model._meta.model_name != "byline":
            continue
        for index, form in enumerate(formset.forms):
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("author") is not None and not data.get("DELETE"):
                rows.append((data.get("position") or 0, index, data["author"]))
    return [author for _, _, author in sorted(rows, key=lambda row: row[:2])]


def _tag_list(form, article: Article) -> str:
    """The tags as ``Article.tag_links`` reads them: the chosen ones and the new ones."""
    if "tags" in form.cleaned_data:
        tags = [(tag.slug, tag.name) for tag in form.cleaned_data["tags"]]
    else:
        tags = list(article.tags.values_list("slug", "name")) if article.pk else []
    tags += [(vn_slugify(name), name) for name in form.cleaned_data.get("new_tags") or []]
    return "\n".join(f"{slug}\t{name}" for slug, name in tags)


def _errors(form, formsets) -> list[tuple[str, list[str]]]:
    """Each error of the form and its tables, with what it is about."""
    problems = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        problems.append((field.label if field is not None else "", list(errors)))
    for formset in formsets:
        table = formset.model._meta.verbose_name_plural
        if formset.non_form_errors():
            problems.append((table, list(formset.non_form_errors())))
        for number, errors in enumerate(formset.errors, start=1):
            for name, messages in errors.items():
                field = formset.forms[number - 1].fields.get(name)
                label = f"{table}, dòng {number}"
                if field is not None and field.label:
                    label = f"{label}, {field.label}"
                problems.append((label, list(messages)))
    return problems


class PreviewAdmin:
    """Mixed into ArticleAdmin (articles/admin.py)."""

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/admin-preview.css"]})

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        # Staff only, CSRF checked, never cached (admin_view); a post of the form only.
        view = self.admin_site.admin_view(require_POST(self.preview_view))
        return [
            path("xem-truoc/", view, name=f"{name}_preview_new"),
            path("<path:object_id>/xem-truoc/", view, name=f"{name}_preview_edited"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = self._preview_url(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _preview_url(self, request, obj) -> str:
        """Where this person's form posts for a preview; empty if they may not save it."""
        name = f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}"
        if obj is None or obj.pk is None:
            return reverse(f"{name}_preview_new") if self.has_add_permission(request) else ""
        if not self.has_change_permission(request, obj):
            return ""
        return reverse(f"{name}_preview_edited", args=[obj.pk])

    def preview_view(self, request, object_id=None):
        """The article as the posted form holds it, on the reader's page; nothing stored."""
        obj = None
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                raise Http404("Không tìm thấy bài viết.")
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, request.FILES, instance=obj
        )
        valid = form.is_valid()
        article = form.instance
        formsets = self._bound_formsets(request, obj, article)
        if not (valid and all(formset.is_valid() for formset in formsets)):
            context = {
                **self.admin_site.each_context(request),
                "title": "Chưa xem trước được",
                "opts": self.opts,
                "problems": _errors(form, formsets),
            }
            return render(request, "admin/articles/article/preview_errors.html", context)
        article.body = sanitize_body(article.body)
        article.slug = article.slug or vn_slugify(article.title) or "bai-viet"
        article.tag_list = _tag_list(form, article)
        shown = UnsavedArticle(
            article,
            authors=_authors(formsets),
            cover=_shown_cover(form.cleaned_data.get("cover_image")),
        )
        response = render(
            request,
            "articles/article_detail.html",
            {
                "article": shown,
                "related": [],
                "is_preview": True,
                "most_read": popularity.most_read_cached(),
            },
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def _bound_formsets(self, request, obj, article):
        """The form's tables (the byline), bound to what was posted, as the admin binds them."""
        formsets, prefixes = [], {}
        for formset_class, inline in self.get_formsets_with_inlines(request, obj):
            prefix = formset_class.get_default_prefix()
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
            if prefixes[prefix] != 1 or not prefix:
                prefix = f"{prefix}-{prefixes[prefix]}"
            kwargs = self.get_formset_kwargs(request, article, inline, prefix)
            formsets.append(formset_class(**kwargs))
        return formsets
