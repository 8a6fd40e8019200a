"""Choosing the front page in the admin: the picks' own list (Tin chính, Tiêu
điểm, their order and end times) and two actions on the article list.

Editors hold the picks' permissions (data migration 0004_newsroom_groups);
journalists see neither the list nor the actions. The rules of what leads and
what is featured are in articles/frontpage.py.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from portal.adminlists import DeclaredFiltersOnly
from portal.dates import short_datetime

from . import frontpage
from .models import Article, FrontPagePick

Place = FrontPagePick.Place

ENDS_IN_PAST = "Giờ hết hạn đã qua: hãy chọn một giờ ở tương lai, hoặc để trống."


def _picked_twice(article: Article, place: str) -> str:
    label = Place(place).label
    return f"Bài “{article}” đã có trong {label}: hãy sửa dòng đã có thay vì thêm dòng mới."


class PickTimesForm(forms.ModelForm):
    """An end time, when one is given or changed, is still ahead."""

    def clean_ends_at(self):
        ends_at = self.cleaned_data.get("ends_at")
        if "ends_at" in self.changed_data and ends_at is not None and ends_at <= timezone.now():
            raise forms.ValidationError(ENDS_IN_PAST, code="ends_in_past")
        return ends_at


class FrontPagePickForm(PickTimesForm):
    class Meta:
        model = FrontPagePick
        fields = ["article", "place", "position", "ends_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        # Checked here too: the autocomplete offers only these, a hand-made post may not.
        article.queryset = frontpage.pickable_articles()
        article.error_messages["invalid_choice"] = frontpage.NOT_PICKABLE

    def clean(self):
        cleaned = super().clean()
        article, place = cleaned.get("article"), cleaned.get("place")
        if article is not None and place:
            others = FrontPagePick.objects.filter(article=article, place=place)
            if others.exclude(pk=self.instance.pk).exists():
                # On the field, so the model's own (English-worded) constraint
                # check is skipped for it.
                self.add_error("article", forms.ValidationError(_picked_twice(article, place)))
        return cleaned


@admin.register(FrontPagePick)
class FrontPagePickAdmin(DeclaredFiltersOnly, admin.ModelAdmin):
    form = FrontPagePickForm
    list_display = ["article", "place", "on_home_page", "position", "ends_at"]
    list_display_links = ["article"]
    list_editable = ["position", "ends_at"]
    list_select_related = ["article"]
    # Tin chính first ("lead" after "featured"), each place in the front page's order.
    ordering = ["-place", "position", "-created_at"]
    autocomplete_fields = ["article"]
    fields = ["article", "place", "position", "ends_at"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=PickTimesForm, **kwargs)

    def get_queryset(self, request):
        # Whether each pick is on the front page now: one query for the page.
        now = timezone.now()
        top = frontpage.front_page(latest_count=0)
        lead = top.lead.pk if top.lead is not None else None
        shown = Q(place=Place.LEAD, article_id=lead) | Q(
            place=Place.FEATURED, article_id__in=[a.pk for a in top.featured]
        )
        current = FrontPagePick.current(now).values("pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                shown=Case(
                    When(shown & Q(pk__in=current), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @admin.display(description="trên trang chủ")
    def on_home_page(self, pick):
        if pick.shown:
            return "Đang hiện"
        if pick.ends_at is not None and pick.ends_at <= timezone.now():
            return "Đã hết hạn"
        state = pick.article.publication_state
        if state == Article.State.SCHEDULED:
            return f"Hiện khi bài được đăng ({short_datetime(pick.article.published_at)})"
        if state != Article.State.PUBLISHED:
            return "Không hiện: bạn đọc không thấy bài này"
        return "Chưa hiện: xếp sau các bài khác"


class FrontPageActions:
    """Mixed into ArticleAdmin (articles/admin.py): "Đặt làm tin chính" and
    "Đưa vào Tiêu điểm" on the article list, and the picks' autocomplete,
    which offers only the articles a pick may name."""

    actions = ["set_as_lead", "add_to_featured"]

    def has_front_page_permission(self, request):
        return request.user.has_perms(
            ["articles.add_frontpagepick", "articles.change_frontpagepick"]
        )

    @admin.action(description="Đặt làm tin chính trang chủ", permissions=["front_page"])
    def set_as_lead(self, request, queryset):
        articles = list(queryset[:2])
        if len(articles) != 1:
            self.message_user(
                request, "Hãy chọn đúng một bài để đặt làm tin chính.", messages.ERROR
            )
            return
        article = articles[0]
        if not frontpage.is_pickable(article):
            self.message_user(request, f"“{article}”: {frontpage.NOT_PICKABLE}", messages.ERROR)
            return
        frontpage.make_lead(article=article)
        if article.publication_state == Article.State.SCHEDULED:
            when = short_datetime(article.published_at)
            done = f"“{article}” sẽ là tin chính trang chủ từ {when}, khi bài được đăng."
        else:
            done = f"“{article}” là tin chính trang chủ."
        self._done(request, done)

    @admin.action(description="Đưa vào Tiêu điểm trang chủ", permissions=["front_page"])
    def add_to_featured(self, request, queryset):
        articles = list(queryset)
        pickable = [a for a in articles if frontpage.is_pickable(a)]
        refused = [a for a in articles if a not in pickable]
        if refused:
            names = ", ".join(f"“{a}”" for a in refused)
            self.message_user(request, f"{names}: {frontpage.NOT_PICKABLE}", messages.WARNING)
        if not pickable:
            return
        frontpage.add_to_featured(articles=pickable)
        done = f"Đã đưa {len(pickable)} bài lên đầu Tiêu điểm."
        if len(pickable) > frontpage.FEATURED_COUNT:
            done += f" Trang chủ hiện {frontpage.FEATURED_COUNT} bài đầu."
        self._done(request, done)

    def _done(self, request, text):
        url = reverse("admin:articles_frontpagepick_changelist")
        self.message_user(
            request,
            format_html('{} <a href="{}">Sắp xếp, hẹn giờ hết hạn</a>', text, url),
            messages.SUCCESS,
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if _choosing_a_pick(request):
            queryset = queryset & frontpage.pickable_articles()
        return queryset, may_have_duplicates


def _choosing_a_pick(request) -> bool:
    """The admin's autocomplete for a pick's article (its documented query parameters)."""
    return (
        request.path == reverse("admin:autocomplete")
        and request.GET.get("app_label") == "articles"
        and request.GET.get("model_name") == FrontPagePick._meta.model_name
        and request.GET.get("field_name") == "article"
    )
