"""The newsroom's admin: sections, authors and articles.

What each staff group may do is decided by its permissions (data migration
0002_staff_groups), not here: journalists lack ``delete_article``, so Django
itself hides the delete button and the "delete selected" action from them.
"""

from functools import partial

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AdminTextareaWidget
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet

from portal.adminlists import DeclaredFiltersOnly
from portal.text import vn_slugify

from .forms import ArticleAdminForm, AuthorAdminForm, KeptImageInput
from .models import Article, Author, Byline, Section, Tag
from .services import save_article


class KeepsUploadsAdmin:
    """The admin of a KeepsUploads form: an image chosen stays chosen after an error."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.form.kept_fields:
            kwargs["widget"] = KeptImageInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        context["adminform"].form.keep_uploads()
        return super().render_change_form(request, context, *args, **kwargs)

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
class TagAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
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
class ArticleAdmin(KeepsUploadsAdmin, DeclaredFiltersOnly, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "section", "publication_state", "published_at", "byline_names"]
    list_filter = [PublicationStateFilter, "section", "published_at"]
    list_select_related = ["section"]
    search_fields = ["title", "sapo"]
    date_hierarchy = "published_at"
    inlines = [BylineInline]
    autocomplete_fields = ["tags"]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    # No prepopulated_fields for the slug: see SectionAdmin.
    fieldsets = [
        ("Nội dung", {"fields": ["section", "title", "sapo", "body", "tags"]}),
        (
            "Ảnh đại diện",
            {"fields": ["cover_image", "cover_alt", "cover_caption", "cover_credit"]},
        ),
        (
            "Tác giả & địa danh",
            {
                "fields": ["location"],
                "description": "Chọn tác giả ở bảng “Tác giả của bài” bên dưới, "
                "theo thứ tự in cuối bài.",
            },
        ),
        ("Xuất bản", {"fields": ["status", "published_at", "comments_open"]}),
        ("Đường dẫn", {"fields": ["slug"]}),
    ]
    tracking_fieldset = (
        "Lịch sử",
        {"fields": [("created_by", "created_at"), ("updated_by", "updated_at")]},
    )

    def get_queryset(self, request):
        # The byline column reads every row's authors: one query for all rows.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing to show about who or when before it exists
            return self.fieldsets
        return [*self.fieldsets, self.tracking_fieldset]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Readers, search engines and shares already point at the public URL.
        if obj is not None and obj.is_public:
            fields.append("slug")
        return fields

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "sapo":  # one or two sentences: a small box says so
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": 3})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Stored by save_related, with its bylines and tags: the service then
        # knows everything readers saw before the write and see after it.
        if change and self._slug_follows_title(form):
            obj.slug = vn_slugify(obj.title) or "bai-viet"

    def save_related(self, request, form, formsets, change):
        # super()'s discards the pending cover, after the article is stored.
        related = partial(super().save_related, request, form, formsets, change)
        save_article(article=form.instance, by=request.user, related=related)

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
        return ", ".join(byline.author.name for byline in obj.bylines.all())
