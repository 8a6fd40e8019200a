"""The journalists' admin: writing an article, and what each staff group may do."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline
from comments.models import Comment
from tests.factories import make_article, make_author, make_section, make_staff

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def changelist_actions(response):
    """Names of the actions offered above a changelist (none: no form at all)."""
    form = response.context["action_form"]
    return [name for name, _ in form.fields["action"].choices] if form else []


def article_post_data(*, section, title, authors=(), **overrides):
    """What the admin's add/change form sends, byline inline and management form included."""
    when = timezone.localtime(timezone.now() - timedelta(minutes=5))
    data = {
        "section": section.pk,
        "title": title,
        "sapo": "Mùa nước nổi năm nay về sớm, người dân chủ động chuẩn bị ghe xuồng.",
        "body": "<p>Nước lên nhanh từ đầu tháng Tám.</p>",
        "cover_alt": "",
        "cover_caption": "",
        "cover_credit": "",
        "location": "Hồng Ngự",
        "published_at_0": when.strftime("%Y-%m-%d"),
        "published_at_1": when.strftime("%H:%M:%S"),
        "comments_open": "on",
        "slug": "",
        "bylines-TOTAL_FORMS": str(max(len(authors), 1)),
        "bylines-INITIAL_FORMS": "0",
        "bylines-MIN_NUM_FORMS": "0",
        "bylines-MAX_NUM_FORMS": "1000",
        # The corrections table (an article already saved shows it, empty).
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "_save": "Lưu lại",
    }
    for i, author in enumerate(authors):
        data[f"bylines-{i}-author"] = author.pk
        data[f"bylines-{i}-position"] = str(i)
    if not authors:  # the blank extra row the page shows
        data["bylines-0-author"] = ""
        data["bylines-0-position"] = "0"
    data.update(overrides)
    return data


def existing_article_data(article, **overrides):
    """The change form for an article as it stands, its bylines as initial rows."""
    bylines = list(article.bylines.all())
    data = article_post_data(
        section=article.section,
        title=article.title,
        slug=article.slug,
        **{
            "bylines-TOTAL_FORMS": str(len(bylines)),
            "bylines-INITIAL_FORMS": str(len(bylines)),
        },
    )
    when = timezone.localtime(article.published_at)
    data["published_at_0"] = when.strftime("%Y-%m-%d")
    data["published_at_1"] = when.strftime("%H:%M:%S")
    data.pop("bylines-0-author", None)
    for i, byline in enumerate(bylines):
        data[f"bylines-{i}-id"] = byline.pk
        data[f"bylines-{i}-article"] = article.pk
        data[f"bylines-{i}-author"] = byline.author_id
        data[f"bylines-{i}-position"] = byline.position
    data.update(overrides)
    return data


def test_journalist_writes_and_submits_an_article(client, journalist):
    section = make_section(name="Nông nghiệp")
    first, second = make_author(name="Lê Hoàng Phúc"), make_author(name="Trần Thị Mỹ Duyên")
    client.force_login(journalist)

    assert client.get(ADD_URL).status_code == 200
    response = client.post(
        ADD_URL,
        article_post_data(
            section=section,
            title="Đồng Tháp đón mùa nước nổi sớm hơn mọi năm",
            authors=[second, first],
            _workflow="submit",
        ),
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get()
    assert article.created_by == journalist
    assert article.updated_by == journalist
    assert article.slug == "dong-thap-don-mua-nuoc-noi-som-hon-moi-nam"
    assert article.publication_state == Article.State.REVIEW
    assert article.byline() == "Trần Thị Mỹ Duyên, Lê Hoàng Phúc – Hồng Ngự"
    assert not Article.objects.published().exists()


def test_editing_keeps_the_creator_and_records_the_last_editor(client, journalist, editor):
    article = make_article(created_by=journalist, updated_by=journalist)
    client.force_login(editor)

    response = client.post(change_url(article), existing_article_data(article, location="Sa Đéc"))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.created_by, article.updated_by) == (journalist, editor)
    assert article.location == "Sa Đéc"


def test_an_article_without_author_is_refused_with_a_message(client, journalist):
    client.force_login(journalist)

    response = client.post(
        ADD_URL, article_post_data(section=make_section(), title="Tin không có tác giả")
    )

    assert response.status_code == 200
    assert "Bài viết cần ít nhất một tác giả" in response.content.decode()
    assert not Article.objects.exists()


def test_removing_the_last_author_is_refused(client, editor):
    article = make_article()
    client.force_login(editor)

    response = client.post(
        change_url(article), existing_article_data(article, **{"bylines-0-DELETE": "on"})
    )

    assert response.status_code == 200
    assert "Bài viết cần ít nhất một tác giả" in response.content.decode()
    assert Byline.objects.filter(article=article).count() == 1


def test_journalist_cannot_delete(client, journalist):
    article = make_article()
    client.force_login(journalist)

    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()

    changelist = client.get(CHANGELIST_URL)
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist_actions(changelist)
    assert delete_url not in client.get(change_url(article)).content.decode()


def test_editor_can_delete(client, editor):
    article = make_article()
    client.force_login(editor)

    changelist = client.get(CHANGELIST_URL)
    assert "delete_selected" in changelist_actions(changelist)
    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_journalist_only_views_sections_and_authors(client, journalist):
    section, author = make_section(name="Du lịch"), make_author()
    client.force_login(journalist)

    for model, obj in (("section", section), ("author", author)):
        change = reverse(f"admin:articles_{model}_change", args=[obj.pk])
        assert client.get(change).status_code == 200  # read-only page
        assert client.post(change, {"name": "Đổi tên"}).status_code == 403
        assert client.get(reverse(f"admin:articles_{model}_add")).status_code == 403
    section.refresh_from_db()
    assert section.name == "Du lịch"


def test_journalist_cannot_see_comments(client, journalist):
    assert journalist.has_perm("comments.view_comment") is False
    assert journalist.has_perm("comments.change_comment") is False
    client.force_login(journalist)

    index = client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "Ý kiến" not in index.content.decode()
    if admin.site.is_registered(Comment):
        assert client.get(reverse("admin:comments_comment_changelist")).status_code == 403
        # The assertion above would pass vacuously if the index never listed comments.
        superuser = make_staff("tongbientap", superuser=True)
        client.force_login(superuser)
        assert "Ý kiến" in client.get(reverse("admin:index")).content.decode()


def test_moderator_has_no_access_to_articles(client, moderator):
    client.force_login(moderator)

    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.get(ADD_URL).status_code == 403


def test_view_on_site_is_the_preview_until_the_article_is_public():
    model_admin = admin.site.get_model_admin(Article)
    draft = make_article(status=Article.Status.DRAFT)
    scheduled = make_article(published_at=timezone.now() + timedelta(hours=3))
    public = make_article()

    assert model_admin.get_view_on_site_url(draft) == draft.get_preview_url()
    assert model_admin.get_view_on_site_url(scheduled) == scheduled.get_preview_url()
    assert model_admin.get_view_on_site_url(public) == public.get_absolute_url()


def test_change_page_links_a_draft_to_its_preview(client, journalist):
    draft = make_article(status=Article.Status.DRAFT)
    client.force_login(journalist)

    response = client.get(change_url(draft))

    assert f'href="{draft.get_preview_url()}"' in response.content.decode()


def test_slug_is_read_only_once_published(client, editor):
    article = make_article(title="Đường tỉnh 845 được nâng cấp")
    client.force_login(editor)

    page = client.get(change_url(article)).content.decode()
    assert 'name="slug"' not in page
    response = client.post(
        change_url(article),
        existing_article_data(article, title="Đường tỉnh 845 hoàn thành nâng cấp", slug="moi"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Đường tỉnh 845 hoàn thành nâng cấp"
    assert article.slug == "duong-tinh-845-duoc-nang-cap"


def test_draft_slug_follows_a_corrected_title(client, journalist):
    draft = make_article(
        title="Đồng Tháp ra mắt tuyến xe buýt mới",
        status=Article.Status.DRAFT,
        created_by=journalist,
    )
    client.force_login(journalist)

    response = client.post(
        change_url(draft),
        existing_article_data(draft, title="Đồng Tháp mở tuyến xe buýt liên huyện"),
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "dong-thap-mo-tuyen-xe-buyt-lien-huyen"


def test_draft_slug_typed_by_hand_is_kept(client, journalist):
    draft = make_article(
        title="Tin ngắn", slug="tin-tuc-rieng", status=Article.Status.DRAFT, created_by=journalist
    )
    client.force_login(journalist)

    response = client.post(change_url(draft), existing_article_data(draft, title="Tin ngắn đã sửa"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.slug) == ("Tin ngắn đã sửa", "tin-tuc-rieng")


def test_changelist_shows_bylines_without_a_query_per_row(client, editor):
    client.force_login(editor)
    make_article(authors=[make_author(name="Phạm Minh Khoa"), make_author(name="Võ Thị Hạnh")])

    with CaptureQueriesContext(connection) as one_row:
        response = client.get(CHANGELIST_URL)
    assert "Phạm Minh Khoa, Võ Thị Hạnh" in response.content.decode()

    for _ in range(5):
        make_article(authors=[make_author(), make_author()])
    with CaptureQueriesContext(connection) as six_rows:
        client.get(CHANGELIST_URL)

    assert len(six_rows) == len(one_row)


def state_cells(response) -> list[str]:
    """The "trạng thái" column, row by row."""
    return re.findall(r'<td class="field-publication_state">([^<]*)</td>', response.text)


@pytest.fixture
def one_of_each_state():
    now = timezone.now()
    make_article(title="Tin hẹn giờ", published_at=now + timedelta(days=1))
    make_article(title="Tin nháp", status=Article.Status.DRAFT, published_at=now)
    make_article(title="Tin đã đăng", published_at=now - timedelta(days=1))


def test_changelist_marks_scheduled_articles(client, editor, one_of_each_state):
    client.force_login(editor)

    response = client.get(CHANGELIST_URL)

    assert state_cells(response) == ["Hẹn giờ", "Bản nháp", "Đã xuất bản"]


def test_changelist_offers_a_filter_by_publication_state(client, editor):
    client.force_login(editor)

    page = client.get(CHANGELIST_URL).text

    for value, label in [
        ("draft", "Bản nháp"),
        ("scheduled", "Hẹn giờ"),
        ("published", "Đã xuất bản"),
    ]:
        assert f'<a href="?trang_thai={value}">{label}</a>' in page


@pytest.mark.parametrize(
    ("state", "titles"),
    [("scheduled", ["Tin hẹn giờ"]), ("published", ["Tin đã đăng"]), ("draft", ["Tin nháp"])],
)
def test_changelist_filters_by_publication_state(client, editor, one_of_each_state, state, titles):
    client.force_login(editor)

    response = client.get(CHANGELIST_URL, {"trang_thai": state})

    assert [str(a) for a in response.context["cl"].result_list] == titles
    assert state_cells(response) == [dict(Article.State.choices)[state]]


def test_an_unknown_publication_state_shows_the_whole_list(client, editor):
    client.force_login(editor)

    response = client.get(CHANGELIST_URL, {"trang_thai": "het-han"})

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST_URL}?e=1"


def test_admin_speaks_vietnamese(client, journalist):
    client.force_login(journalist)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Báo Phù Sa – Quản trị" in page


def test_the_same_author_twice_is_a_form_error(client, journalist):
    author = make_author()
    client.force_login(journalist)

    response = client.post(
        ADD_URL,
        article_post_data(
            section=make_section(), title="Tin có một tác giả ghi hai lần", authors=[author, author]
        ),
    )

    assert response.status_code == 200  # the form again, not an IntegrityError
    assert response.context["inline_admin_formsets"][0].formset.errors
    assert not Article.objects.exists()


def test_an_author_can_only_be_linked_to_a_staff_account(client, editor):
    reader = User.objects.create_user("bandoc", password="x")
    client.force_login(editor)

    form = client.get(reverse("admin:articles_author_add")).context["adminform"].form
    choices = set(form.fields["user"].queryset)

    assert editor in choices
    assert reader not in choices
