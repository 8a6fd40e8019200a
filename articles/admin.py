"""The newsroom's admin: sections, authors and articles.

What each staff group may do is decided by its permissions (data migration
0002_staff_groups), not here: journalists lack ``delete_article``, so Django
itself hides the delete button and the "delete selected" action from them.
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet

from portal.admindeletes import DeletesWithoutLinkRows
from portal.adminlists import DeclaredFiltersOnly
from portal.dates import short_datetime
from portal.text import vn_slugify

from . import admin_lists, workflow  # noqa: F401 (admin_lists registers its admins)
from .admin_corrections import CorrectionInline
from .admin_editing import EditingAdmin
from .admin_frontpage import FrontPageActions
from .admin_history import HistoryAdmin
from .admin_preview import PreviewAdmin
from .forms import ACTION_FIELD, ArticleAdminForm, AuthorAdminForm, KeptImageInput
from .models import Article, Author, Byline, Section, Tag
from .services import save_article
from .workflow import Action


class KeepsUploadsAdmin:
    """The admin of a KeepsUploads form: an image chosen stays chosen after an error."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.form.kept_fields:
            kwargs["widget"] = KeptImageInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        form = context["adminform"].form
        form.keep_uploads()
        response = super().render_change_form(request, context, *args, **kwargs)
        if any(form.has_error(name, "storage_unavailable") for name in form.kept_fields):
            # Not the journalist's input: the media storage is down (portal/storage.py).
            response.status_code = 503
        return response

    def save_related(self, request, form, formsets, change):
        # Runs once the object is stored: the model has its own copies by then.
        super().save_related(request, form, formsets, change)
        form.discard_pending()


@admin.register(Section)
class SectionAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "in_menu"]
    list_editable = ["position", "in_menu"]
    ordering = ["position", "name"]
    search_fields = ["name"]
    # No prepopulated_fields: the admin's JavaScript drops "đ" ("Đời sống" ->
    # "oi-song"); an empty slug is made on the server by vn_slugify instead.
    fields = ["name", "slug", "position", "in_menu", "description"]


@admin.register(Author)
class AuthorAdmin(KeepsUploadsAdmin, DeclaredFiltersOnly, admin.ModelAdmin):
    form = AuthorAdminForm
    list_display = ["name", "slug", "user"]
    search_fields = ["name", "slug"]  # also serves the byline autocomplete
    fields = ["name", "slug", "user", "bio", "photo"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only staff accounts can be linked to a byline; readers have none.
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(is_staff=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Tag)
class TagAdmin(DeletesWithoutLinkRows, DeclaredFiltersOnly, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]  # also serves the article's tag autocomplete
    fields = ["name", "slug"]


class BylineInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return  # the rows' own errors come first
        authors = [
            form.cleaned_data.get("author")
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]
        if not any(authors):
            raise ValidationError(
                "Bài viết cần ít nhất một tác giả: hãy chọn tác giả trong bảng “Tác giả của bài”.",
                code="no_author",
            )


class BylineInline(admin.TabularInline):
    model = Byline
    # Right under "Tác giả & địa danh" (templates/admin/articles/article/change_form.html).
    placement = "byline"
    formset = BylineInlineFormSet
    fields = ["author", "position"]
    autocomplete_fields = ["author"]
    extra = 1


class PublicationStateFilter(admin.SimpleListFilter):
    title = "trạng thái"
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in Article.State.values:
            raise IncorrectLookupParameters(f"Not a publication state: {self.value()!r}")
        return queryset.in_state(Article.State(self.value()))


@admin.register(Article)
class ArticleAdmin(
    HistoryAdmin,
    EditingAdmin,
    FrontPageActions,
    PreviewAdmin,
    KeepsUploadsAdmin,
    DeletesWithoutLinkRows,
    DeclaredFiltersOnly,
    admin.ModelAdmin,
):
    form = ArticleAdminForm
    list_display = ["title", "section", "publication_state", "published_at", "byline_names"]
    list_filter = [PublicationStateFilter, "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "sapo"]
    date_hierarchy = "published_at"
    inlines = [BylineInline, CorrectionInline]
    autocomplete_fields = ["tags"]
    readonly_fields = [
        "publication_state",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    # No prepopulated_fields for the slug: see SectionAdmin.
    # In the order a journalist works; the byline table comes right after
    # "Tác giả & địa danh", the fieldsets marked "publishing" after it
    # (templates/admin/articles/article/change_form.html).
    fieldsets = [
        ("Nội dung", {"fields": ["title", "sapo", "body"]}),
        (
            "Ảnh đại diện",
            {"fields": ["cover_image", "cover_alt", "cover_caption", "cover_credit"]},
        ),
        ("Chuyên mục & thẻ", {"fields": ["section", "tags", "new_tags"]}),
        (
            "Tác giả & địa danh",
            {
                "fields": ["location"],
                "description": "Tác giả chọn ở bảng “Tác giả của bài” ngay dưới, "
                "theo thứ tự in cuối bài.",
            },
        ),
        (
            "Xuất bản",
            {
                "classes": ["publishing"],
                "fields": ["publication_state", "published_at", "comments_open"],
            },
        ),
        ("Đường dẫn", {"classes": ["publishing"], "fields": ["slug"]}),
    ]
    tracking_fieldset = (
        "Người viết, người sửa",
        {
            "classes": ["publishing"],
            "fields": [("created_by", "created_at"), ("updated_by", "updated_at")],
        },
    )

    def get_queryset(self, request):
        # The byline column reads every row's authors: one query for all rows.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.fieldsets)
        if obj is not None and not self.has_change_permission(request, obj):
            # Read-only: no box to type new tags into.
            name, options = fieldsets[2]
            fields = [field for field in options["fields"] if field != "new_tags"]
            fieldsets[2] = (name, {**options, "fields": fields})
        if obj is not None and Action.SEND_BACK in workflow.allowed_actions(request.user, obj):
            name, options = fieldsets[4]
            fieldsets[4] = (name, {**options, "fields": [*options["fields"], "workflow_note"]})
        if obj is None:  # nothing to show about who or when before it exists
            return fieldsets
        return [*fieldsets, self.tracking_fieldset]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The form checks the workflow's rule with the fields (articles/forms.py).
        return type(
            form.__name__,
            (form,),
            {"workflow_user": request.user, "workflow_action": request.POST.get(ACTION_FIELD)},
        )

    def get_inlines(self, request, obj):
        # A correction amends what readers saw: nothing to correct before the article exists.
        if obj is None:
            return [inline for inline in self.inlines if inline is not CorrectionInline]
        return self.inlines

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new article starts with the journalist's own byline.
        if obj.pk is None and isinstance(inline, BylineInline) and request.method == "GET":
            own = Author.objects.filter(user=request.user).first()
            if own is not None:
                kwargs["initial"] = [{"author": own.pk, "position": 0}]
        return kwargs

    def has_change_permission(self, request, obj=None):
        # Journalists edit their own articles while draft or in review;
        # anything else they may see opens read-only.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.may_edit(request.user, obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj if obj is not None else Article()
        state = workflow.stored_state(article)
        context["workflow"] = {
            "state": state,
            "actions": [
                (action, " ".join(map(str, sections)))
                for action, sections in workflow.offered_actions(request.user, article, state)
            ]
            if self.has_change_permission(request, obj)
            else [],
            "last_note": workflow.last_note(article),
            "field": ACTION_FIELD,
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Readers, search engines and shares already point at the public URL.
        if obj is not None and obj.is_public:
            fields.append("slug")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "sapo":  # one or two sentences: a small box says so
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": 3})
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            # New tags are typed in "thẻ mới" beside the list, not made in a popup.
            field.widget.can_add_related = False
        return field

    def save_model(self, request, obj, form, change):
        # Stored by save_related, with its bylines and tags: the service then
        # knows everything readers saw before the write and see after it.
        if change and self._slug_follows_title(form):
            obj.slug = vn_slugify(obj.title) or "bai-viet"

    def save_related(self, request, form, formsets, change):
        # super()'s discards the pending cover, after the article is stored.
        def related():
            super(ArticleAdmin, self).save_related(request, form, formsets, change)
            form.save_new_tags()

        article, version = form.instance, form.cleaned_data.get("version")
        action = form.workflow_action
        if not action:
            save_article(
                article=article, by=request.user, related=related, expected_version=version
            )
            return
        workflow.perform(
            article=article,
            by=request.user,
            action=action,
            note=form.cleaned_data.get("workflow_note", ""),
            at=form.workflow_at,
            related=related,
            expected_version=version,
        )
        # Said instead of the admin's own "saved" (message_user below).
        request.workflow_done = workflow.DONE[Action(action)].format(
            title=article, at=short_datetime(article.published_at)
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        done = getattr(request, "workflow_done", None)
        if done is not None and level == messages.SUCCESS:
            message, request.workflow_done = done, None
        super().message_user(request, message, level, *args, **kwargs)

    @staticmethod
    def _slug_follows_title(form):
        """Before publication, a slug nobody edited follows a corrected title.

        Once public the slug is read-only (not in the form), and a slug a
        journalist typed by hand is theirs to keep.
        """
        if "slug" not in form.fields or "slug" in form.changed_data:
            return False
        if "title" not in form.changed_data:
            return False
        return form.initial.get("slug") == vn_slugify(form.initial.get("title", ""))

    def view_on_site(self, obj):
        # A draft or a scheduled article is a 404 on its public URL.
        return obj.get_absolute_url() if obj.is_public else obj.get_preview_url()

    @admin.display(description="trạng thái", ordering="status")
    def publication_state(self, obj):
        return obj.publication_state.label

    @admin.display(description="tác giả")
    def byline_names(self, obj):
        return obj.author_names()
