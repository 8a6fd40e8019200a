"""The front page (articles/frontpage.py, the home view, admin_frontpage.py): the
editors' lead and Tiêu điểm, each story once, the page cache kept in step with
the picks, and the navigation around articles (section, byline, menu)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.frontpage import FEATURED_COUNT, NOT_PICKABLE, front_page
from articles.models import Article, FrontPagePick
from articles.views import LATEST_COUNT
from tests.factories import make_article, make_author, make_section, staff_browser

pytestmark = pytest.mark.django_db

LEAD, FEATURED = FrontPagePick.Place.LEAD, FrontPagePick.Place.FEATURED
PICKS_URL = reverse("admin:articles_frontpagepick_changelist")
ADD_PICK_URL = reverse("admin:articles_frontpagepick_add")
ARTICLES_URL = reverse("admin:articles_article_changelist")
COVER = {"cover_image": "covers/x.jpg", "cover_alt": "Ảnh minh họa"}


def aged(hours, **kw):
    """A public article published ``hours`` ago."""
    return make_article(published_at=timezone.now() - timedelta(hours=hours), **kw)


def pick(article, place=LEAD, **kw):
    return FrontPagePick.objects.create(article=article, place=place, **kw)


def main_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def lead_of(response) -> str:
    """The address of the story in the lead card."""
    return re.search(
        r'card--featured">.*?class="card-title"><a href="([^"]+)"', main_of(response), re.S
    )[1]


def story_links(response) -> list[str]:
    """Every link to an article in the page's main content, the most-read ranking aside."""
    main = main_of(response)
    main = re.sub(r'<section class="most-read".*?</section>', "", main, flags=re.S)
    return re.findall(r'href="([^"]+\.html)"', main)


def post_from(browser, url, data, *, page_url=None):
    """Post ``data`` as the page at ``page_url`` (default ``url``) does, with its CSRF token."""
    page = browser.get(page_url or url)
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return browser.post(url, {**data, "csrfmiddlewaretoken": token}, follow=True)


# What leads and what is featured


def test_without_picks_the_newest_with_a_cover_leads_and_the_newest_fill_the_rest():
    older_with_cover = aged(3, **COVER)
    newer = [aged(h) for h in (2, 1)]

    page = front_page(latest_count=LATEST_COUNT)

    assert page.lead == older_with_cover
    assert page.featured == [newer[1], newer[0]]
    assert page.latest == []


def test_editors_choose_the_lead_and_the_featured_in_their_order(django_assert_num_queries):
    lead, first, second, *rest = [aged(h) for h in (30, 20, 10, 3, 2, 1)]
    pick(lead)
    pick(second, FEATURED, position=2)
    pick(first, FEATURED, position=1)

    with django_assert_num_queries(1):
        page = front_page(latest_count=LATEST_COUNT)

    assert page.lead == lead
    # Two picked, then the newest not shown elsewhere.
    assert page.featured == [first, second, rest[2], rest[1]]
    assert page.latest == [rest[0]]


def test_of_two_picks_at_the_same_number_the_latest_chosen_comes_first():
    a, b = aged(5), aged(4)
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        pick(a)
    pick(b)
    assert front_page(latest_count=0).lead == b


def test_a_story_picked_twice_is_shown_once_and_never_again_in_tin_moi():
    story, other = aged(5), aged(1, **COVER)
    pick(story, LEAD)
    pick(story, FEATURED)

    page = front_page(latest_count=LATEST_COUNT)

    assert page.lead == story
    assert page.featured == [other]
    assert page.latest == []


def test_without_a_lead_pick_the_automatic_lead_leaves_tieu_diem_its_picks():
    featured = aged(1, **COVER)
    pick(featured, FEATURED)
    other = aged(2)

    page = front_page(latest_count=LATEST_COUNT)

    assert (page.lead, page.featured) == (other, [featured])


def test_a_pick_counts_until_its_end_then_the_newest_takes_its_place():
    chosen, newest = aged(5), aged(1, **COVER)
    end = timezone.now() + timedelta(hours=1)
    pick(chosen, ends_at=end)

    assert front_page(latest_count=0).lead == chosen
    with time_machine.travel(end + timedelta(seconds=1)):
        assert front_page(latest_count=0).lead == newest


def test_a_pick_counts_only_while_readers_can_see_its_article():
    newest = aged(1, **COVER)
    soon = timezone.now() + timedelta(hours=1)
    scheduled = make_article(published_at=soon)
    taken_down = aged(3, status=Article.Status.UNPUBLISHED)
    pick(scheduled)
    pick(taken_down, position=1)
    pick(taken_down, FEATURED)

    page = front_page(latest_count=LATEST_COUNT)
    assert page.lead == newest
    assert taken_down not in page.featured
    with time_machine.travel(soon + timedelta(seconds=1)):
        assert front_page(latest_count=0).lead == scheduled


# The home page


def test_home_shows_the_lead_tieu_diem_and_tin_moi_and_every_story_once(client):
    sections = [make_section() for _ in range(3)]
    stories = [aged(h, section=sections[h % 3], **COVER) for h in range(1, 31)]
    chosen = stories[-1]  # the oldest
    pick(chosen)
    pick(stories[-2], FEATURED)

    response = client.get("/")

    assert lead_of(response) == chosen.get_absolute_url()
    html = main_of(response)
    assert html.index("Tiêu điểm") < html.index("Tin mới") < html.index("chuyen-muc-")
    assert html.index(stories[-2].get_absolute_url()) < html.index("Tin mới")
    links = story_links(response)
    assert len(links) == len(set(links)) == 1 + FEATURED_COUNT + LATEST_COUNT + 3 * 4
    # Each section lists its newest not shown above.
    blocks = dict(response.context["section_blocks"])
    shown = {a.pk for a in [response.context["top_story"], *response.context["latest"]]}
    assert all(a.pk not in shown for articles in blocks.values() for a in articles)


def test_an_empty_paper_says_so(client):
    assert "Chưa có bài viết nào được đăng." in client.get("/").content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_home_with_picks_keeps_its_query_budget(client, settings, django_assert_max_num_queries, n):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(n):
        section = make_section()
        for _ in range(5):
            make_article(section=section, **COVER)
    chosen = list(Article.objects.all()[: n + 1])
    pick(chosen[0])
    for position, article in enumerate(chosen[1:]):
        pick(article, FEATURED, position=position)

    # As without picks (tests/articles/test_views.py): the menu, the top of the
    # page, the sections' newest, the most read.
    with django_assert_max_num_queries(6):
        response = client.get("/")
    assert lead_of(response) == chosen[0].get_absolute_url()


# The page cache follows the picks


def test_a_pick_saved_or_deleted_retires_the_cached_home(client, editor, committed):
    older, newest = aged(5), aged(1, **COVER)
    assert lead_of(client.get("/")) == newest.get_absolute_url()  # kept by the page cache

    browser = staff_browser(editor)
    data = {"article": older.pk, "place": LEAD, "position": "0", "ends_at_0": "", "ends_at_1": ""}
    with committed() as announced:
        post_from(browser, ADD_PICK_URL, data)
    assert announced and all(change.listings for change in announced)
    assert lead_of(client.get("/")) == older.get_absolute_url()

    chosen = FrontPagePick.objects.get()
    delete_url = reverse("admin:articles_frontpagepick_delete", args=[chosen.pk])
    with committed():
        post_from(browser, delete_url, {"post": "yes"})
    assert not FrontPagePick.objects.exists()
    assert lead_of(client.get("/")) == newest.get_absolute_url()


def test_the_cached_home_lasts_no_longer_than_the_next_pick(client, committed):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        older, newest = aged(5), aged(1, **COVER)
        client.get("/")  # kept; no pick has an end yet
        with committed():
            pick(older, ends_at=start + timedelta(seconds=30))
        home = client.get("/")
        assert lead_of(home) == older.get_absolute_url()
        assert "max-age=30" in home["Cache-Control"]

    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert lead_of(client.get("/")) == newest.get_absolute_url()


# The admin


def test_editor_sets_the_lead_from_the_article_list(client, editor, committed):
    chosen, newest = aged(5, title="Khánh thành cầu Cao Lãnh"), aged(1, **COVER)
    data = {"action": "set_as_lead", "_selected_action": [chosen.pk], "index": "0"}
    with committed():
        page = post_from(staff_browser(editor), ARTICLES_URL, data)

    assert "“Khánh thành cầu Cao Lãnh” là tin chính trang chủ." in page.content.decode()
    assert lead_of(client.get("/")) == chosen.get_absolute_url()
    assert newest.get_absolute_url() in story_links(client.get("/"))


def test_the_newest_lead_chosen_goes_first(editor):
    first, second = aged(5), aged(4)
    browser = staff_browser(editor)
    for article in (first, second, first):
        data = {"action": "set_as_lead", "_selected_action": [article.pk], "index": "0"}
        post_from(browser, ARTICLES_URL, data)
    assert front_page(latest_count=0).lead == first
    assert list(FrontPagePick.objects.values_list("article", "position")) == [
        (first.pk, 0),
        (second.pk, 1),
    ]


def test_a_lead_is_one_article_that_readers_see_or_will_see(editor):
    a, b = aged(2), aged(1)
    draft = aged(1, status=Article.Status.DRAFT)
    browser = staff_browser(editor)

    two = {"action": "set_as_lead", "_selected_action": [a.pk, b.pk], "index": "0"}
    assert "Hãy chọn đúng một bài" in post_from(browser, ARTICLES_URL, two).content.decode()
    one = {"action": "set_as_lead", "_selected_action": [draft.pk], "index": "0"}
    assert NOT_PICKABLE in post_from(browser, ARTICLES_URL, one).content.decode()
    assert not FrontPagePick.objects.exists()


def test_editor_puts_articles_at_the_head_of_tieu_diem(editor):
    there = aged(9)
    pick(there, FEATURED)
    a, b = aged(3), aged(2)
    draft = aged(1, status=Article.Status.DRAFT, title="Bản nháp chưa duyệt")
    data = {"action": "add_to_featured", "_selected_action": [a.pk, b.pk, draft.pk], "index": "0"}

    html = post_from(staff_browser(editor), ARTICLES_URL, data).content.decode()

    assert "Đã đưa 2 bài lên đầu Tiêu điểm." in html
    assert f"“Bản nháp chưa duyệt”: {NOT_PICKABLE}" in html
    assert front_page(latest_count=0).featured[:3] == [b, a, there]


def test_journalists_get_neither_the_actions_nor_the_picks(journalist):
    browser = staff_browser(journalist)
    actions = browser.get(ARTICLES_URL).context["action_form"]
    names = [name for name, _ in actions.fields["action"].choices] if actions else []
    assert not {"set_as_lead", "add_to_featured"} & set(names)
    assert browser.get(PICKS_URL).status_code == 403


def test_the_pick_form_refuses_a_second_pick_a_draft_and_a_past_end(editor):
    story = aged(1, title="Lễ hội sen Tháp Mười")
    draft = aged(1, status=Article.Status.DRAFT)
    pick(story, FEATURED)
    browser = staff_browser(editor)
    blank = {"position": "0", "ends_at_0": "", "ends_at_1": ""}

    twice = post_from(browser, ADD_PICK_URL, {**blank, "article": story.pk, "place": FEATURED})
    assert "Bài “Lễ hội sen Tháp Mười” đã có trong Tiêu điểm" in twice.content.decode()
    not_public = post_from(browser, ADD_PICK_URL, {**blank, "article": draft.pk, "place": LEAD})
    assert NOT_PICKABLE in not_public.content.decode()
    past = timezone.localtime() - timedelta(hours=1)
    ended = {"ends_at_0": f"{past:%Y-%m-%d}", "ends_at_1": f"{past:%H:%M:%S}"}
    late = post_from(browser, ADD_PICK_URL, {**blank, **ended, "article": story.pk, "place": LEAD})
    assert "Giờ hết hạn đã qua" in late.content.decode()
    assert FrontPagePick.objects.count() == 1


def test_the_autocomplete_offers_only_public_and_scheduled_articles(editor):
    public = aged(1, title="Cầu Mỹ Thuận 2 hợp long")
    scheduled = make_article(title="Cầu Rạch Miễu 2", published_at=timezone.now() + timedelta(1))
    aged(1, title="Cầu nháp", status=Article.Status.DRAFT)
    aged(1, title="Cầu đã gỡ", status=Article.Status.UNPUBLISHED)
    query = {"app_label": "articles", "model_name": "frontpagepick", "field_name": "article"}

    found = staff_browser(editor).get(reverse("admin:autocomplete"), {**query, "term": "Cầu"})

    assert {int(r["id"]) for r in found.json()["results"]} == {public.pk, scheduled.pk}


def test_the_pick_list_reorders_sets_ends_and_tells_what_readers_see(editor):
    shown, later = (
        aged(3, title="Bài đang hiện"),
        make_article(published_at=timezone.now() + timedelta(hours=2)),
    )
    first = pick(shown, FEATURED)
    pick(later, FEATURED, position=1)
    pick(aged(4), FEATURED, ends_at=timezone.now() + timedelta(seconds=1))
    browser = staff_browser(editor)

    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        html = browser.get(PICKS_URL).content.decode()
    for state in ("Đang hiện", "Hiện khi bài được đăng", "Đã hết hạn"):
        assert state in html

    end = timezone.localtime() + timedelta(days=1)
    rows = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": first.pk,
        "form-0-position": "7",
        "form-0-ends_at_0": f"{end:%Y-%m-%d}",
        "form-0-ends_at_1": f"{end:%H:%M:%S}",
        "_save": "Lưu",
    }
    post_from(browser, PICKS_URL, rows)
    first.refresh_from_db()
    assert first.position == 7
    assert abs(first.ends_at - end) < timedelta(seconds=1)


# Around an article: its section, its byline, the menu


def test_article_names_its_section_above_the_title_and_links_its_authors(client):
    section = make_section(name="Nông nghiệp")
    authors = [make_author(name="Lê Thu Hà"), make_author(name="Trần Minh Tâm")]
    article = make_article(section=section, authors=authors, location="Châu Thành")

    html = client.get(article.get_absolute_url()).content.decode()

    above = f'<p class="article-section"><a href="{section.get_absolute_url()}">Nông nghiệp</a></p>'
    assert html.index(above) < html.index("<h1")
    links = ", ".join(f'<a href="{a.get_absolute_url()}">{a.name}</a>' for a in authors)
    assert f'<p class="byline">{links} – Châu Thành</p>' in html
    assert client.get(authors[0].get_absolute_url()).status_code == 200


def test_the_menu_marks_the_current_section(client):
    news, farming = make_section(name="Thời sự"), make_section(name="Nông nghiệp")
    article = make_article(section=farming)

    def menu(url):
        html = client.get(url).content.decode()
        return html[html.index('<details class="menu">') : html.index("</details>")]

    def link(section, current=""):
        mark = f' aria-current="{current}"' if current else ""
        return f'<a href="{section.get_absolute_url()}"{mark}>{section.name}</a>'

    on_section = menu(farming.get_absolute_url())
    assert link(farming, "page") in on_section and link(news) in on_section
    on_article = menu(article.get_absolute_url())
    assert link(farming, "true") in on_article and link(news) in on_article
    assert '<a href="/" aria-current="page">Trang chủ</a>' in menu("/")
    assert "aria-current" not in on_section.split("Trang chủ")[0]
