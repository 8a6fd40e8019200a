"""No English for staff: every admin page each group uses, read as a person reads it.

Each group (journalists, editors, moderators, a superuser) walks the admin as
its app list offers it: the index, each app's page, each change list with a
search, its counts and one link of every kind it offers (filters, sorting,
dates), each add and change form, a failed save of every form with a save
button, each history and delete confirmation, an action without a selection
and the bulk delete, the password pages and the logout. What a person reads or
hears there (text, ``aria-label``, ``title``, ``placeholder``, ``alt``, button
labels: tests/pages.py) holds none of the English the admin and its libraries
ship with. The admin's JavaScript is held by tests/portal/test_catalog.py.
"""

import re
from urllib.parse import parse_qsl

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article, Correction, FrontPagePick, Tag
from comments.models import BannedTerm, Comment
from comments.services import moderate
from tests.factories import (
    make_article,
    make_author,
    make_comment,
    make_section,
    make_staff,
    staff_browser,
)
from tests.pages import read

pytestmark = pytest.mark.django_db

# What Django's admin, auth and forms and the libraries the admin shows
# (django-axes, django-reversion) say in English. Matched case-sensitively, as
# whole words, so Vietnamese ("Xem", "Tất cả", "nó") never trips it.
ENGLISH = [
    # the frame: header, sidebar, index
    "Skip to main content", "Toggle navigation", "Toggle theme", "Sidebar", "Breadcrumbs",
    "Filter navigation items", "Start typing to filter", "Welcome", "View site",
    "Documentation", "Change password", "Log out", "Log in", "Logged out", "Home",
    "Django administration", "Django site admin", "Site administration", "Model name",
    "Add link", "Change or view list link", "Recent actions", "My actions",
    "None available", "Unknown content", "Added:", "Changed:", "Deleted:", "Models in",
    # change lists
    "Filter", "Clear all filters", "Show counts", "Hide counts", "Search", "Go", "Action",
    "Run the selected action", "selected", "Select all", "Clear selection", "Remove from sorting",
    "Toggle sorting", "Sorting priority", "results", "result", "total", "Show all",
    "All", "Any date", "Today", "Past 7 days", "This month", "This year", "No date",
    "Has date", "Yes", "No", "Unknown", "Empty", "Not empty", "By", "Delete selected",
    "Items must be selected", "No action selected", "Select this object", "Select all objects",
    "Page", "entries", "entry", "True", "False", "None",
    # forms
    "Please correct", "This field is required", "Add another", "Change selected",
    "View selected", "Save", "Save and add another", "Save and continue editing", "Save as new",
    "Save and view", "Close", "Delete", "Remove", "Currently", "Change:", "Clear", "Choose",
    "Chosen", "Available", "Now", "Choose a time", "Choose a Date", "Date:", "Time:",
    "Note: You are", "Hold down", "Error:", "Enter a valid", "Ensure this value",
    "Select a valid choice", "Upload a valid image", "The submitted file",
    "No file was submitted", "already exists", "View on site", "History", "Add", "Change",
    "View", "object", "was added successfully", "was changed successfully",
    # history, deletion, passwords, users and groups
    "Date/time", "User", "Comment", "This object doesn", "Are you sure", "Yes, I’m sure",
    "No, take me back", "Objects", "Summary", "would result in deleting",
    "would require deleting", "Password", "password", "Enter a new password", "Old password",
    "New password", "Your password", "Set password", "Reset password", "Enabled", "Disabled",
    "Raw passwords", "Username", "username", "Email address", "First name", "Last name",
    "Staff status", "Superuser status", "Active", "Groups", "User permissions", "Permissions",
    "Important dates", "Last login", "Date joined", "Personal info", "Thanks for spending",
    "Log in again", "Forgotten your", "Please enter the correct", "Can add", "Can change",
    "Can delete", "Can view", "log entry", "content type", "Sessions", "session",
    # the libraries' pages and records
    "User Agent", "IP Address", "HTTP Accept", "Path", "Attempt Time", "Failed Logins",
    "Form Data", "Meta Data", "GET Data", "POST Data", "Logout Time", "Access Log",
    "access attempt", "access log", "access failure", "Attempted Access", "Failed access",
    "Locked Out", "Expires At", "Recover", "Revert", "Press the save button", "Initial version",
    "revision", "version",
    # the portal's own stored values and form fields, shown raw
    "pending", "approved", "rejected", "draft", "published", "review", "unpublished", "New",
]  # fmt: skip
_ENGLISH = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ENGLISH)) + r")(?!\w)")

# English no catalog reaches, each awaiting the change its note names: what a
# pattern matches is set aside before the search, for the groups named. A gap
# no longer seen fails the test, so that the list only shrinks.
KNOWN_GAPS = [
    (
        re.compile(r"Access Log for \S+ @ [\d:. +-]+"),
        {"superuser"},
        "django-axes names its login records in English (AccessLog.__str__), on the "
        "pages of one record only the superuser opens.",
    ),
]


def english_in(response, gaps=(), used=None) -> list[str]:
    """Each English phrase a person reads on the page, with the words around it;
    what the ``gaps`` patterns match is set aside first (and noted in ``used``)."""
    found = []
    for piece in read(response).text:
        piece = " ".join(piece.split())
        for gap in gaps:
            piece, count = gap.subn("", piece)
            if count and used is not None:
                used.add(gap.pattern)
        found += [piece[max(0, m.start() - 30) : m.end() + 30] for m in _ENGLISH.finditer(piece)]
    return found


class Walk:
    """One person's walk through the admin, gathering the English each page shows."""

    def __init__(self, user, gaps=()):
        self.user = user
        self.gaps = gaps
        self.gaps_seen: set[str] = set()
        self.client = staff_browser(user)
        self.request = RequestFactory().get("/")
        self.request.user = user
        self.seen: set[str] = set()
        self.english: dict[str, list[str]] = {}
        self.refused: list[str] = []  # the forms whose failed save showed their errors

    def look(self, label, response, *statuses):
        assert response.status_code in (statuses or (200,)), (label, response.status_code)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            return response
        if found := english_in(response, self.gaps, self.gaps_seen):
            self.english[label] = found
        return response

    def get(self, url, *statuses):
        self.seen.add(url)
        return self.look(url, self.client.get(url), *statuses)

    def post(self, label, url, data, *statuses):
        return self.look(label, self.client.post(url, data), *statuses)

    def failed_save(self, url):
        """The form at ``url`` saved with every field a person fills left empty."""
        page = read(self.get(url))
        data = page.form_data(
            **{name: "" for name, _, hidden in page.fields if not hidden and "FORMS" not in name}
        )
        data["_save"] = ["Lưu"]
        # A form with nothing required may save; one with a required field comes back.
        response = self.post(f"failed save {url}", url, data, 200, 302)
        if b'class="errornote"' in response.content:
            self.refused.append(url)

    def changelist(self, url):
        page = read(self.get(url))
        self.get(f"{url}?q=khong-co-gi-nhu-the")
        self.get(f"{url}?_facets=True")
        kinds = set()
        for href in page.links:
            kind = frozenset(name for name, _ in parse_qsl(href[1:], keep_blank_values=True))
            if href.startswith("?") and kind not in kinds:
                kinds.add(kind)
                self.get(f"{url}{href}")

    def model(self, entry):
        model = entry["model"]
        model_admin = admin.site.get_model_admin(model)
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if entry["admin_url"]:
            self.changelist(entry["admin_url"])
        if entry["add_url"]:
            self.failed_save(entry["add_url"])
        rows = model_admin.get_queryset(self.request).order_by("pk")
        # The oldest and the newest: a published article and a draft, say.
        for obj in {row for row in (rows.first(), rows.last()) if row is not None}:
            self.one(name, model_admin, obj)
            if entry["admin_url"]:
                self.actions(entry["admin_url"], model_admin, obj)

    def one(self, name, model_admin, obj):
        change = reverse(f"{name}_change", args=[obj.pk])
        page = self.get(change)
        if 'name="_save"' in page.content.decode():
            self.failed_save(change)
        history = self.get(reverse(f"{name}_history", args=[obj.pk]))
        if model_admin.has_delete_permission(self.request, obj):
            self.get(reverse(f"{name}_delete", args=[obj.pk]))
        # The object's other pages its change form and history link to (compare, restore…).
        for href in {*read(page).links, *read(history).links}:
            if href.startswith(change.removesuffix("change/")) and href not in self.seen:
                self.get(href, 200, 302, 403, 405)

    def actions(self, changelist, model_admin, obj):
        actions = model_admin.get_actions(self.request)
        if not actions:
            return
        token = read(self.get(changelist)).value("csrfmiddlewaretoken")
        first = next(iter(actions))
        self.post(
            f"{first} without a selection",
            changelist,
            {"csrfmiddlewaretoken": token, "action": first, "index": "0"},
            302,
        )
        self.get(changelist)  # and the message saying why nothing happened
        if "delete_selected" in actions:
            self.post(
                "bulk delete confirmation",
                changelist,
                {
                    "csrfmiddlewaretoken": token,
                    "action": "delete_selected",
                    "_selected_action": [obj.pk],
                    "index": "0",
                },
            )

    def everything(self):
        self.get(reverse("admin:index"))
        for app in admin.site.get_app_list(self.request):
            self.get(reverse("admin:app_list", kwargs={"app_label": app["app_label"]}))
            for entry in app["models"]:
                self.model(entry)
        self.failed_save(reverse("admin:password_change"))
        self.get(reverse("admin:password_change_done"))
        if self.user.is_superuser:
            self.failed_save(reverse("admin:auth_user_password_change", args=[self.user.pk]))
        token = read(self.get(reverse("admin:index"))).value("csrfmiddlewaretoken")
        self.post("logout", reverse("admin:logout"), {"csrfmiddlewaretoken": token})
        return self


@pytest.fixture
def newsroom():
    """A little of everything the admin lists, named in Vietnamese."""
    section = make_section(name="Nông nghiệp", description="Lúa và trái cây.")
    author = make_author(name="Trần Quốc Bảo")
    published = make_article(section=section, title="Lúa chín sớm", authors=[author])
    make_article(section=section, title="Bài chờ duyệt", status=Article.Status.REVIEW)
    make_article(section=section, title="Bản nháp", status=Article.Status.DRAFT)
    published.tags.add(Tag.objects.create(name="Mùa nước nổi"))
    Correction.objects.create(article=published, text="Sửa tên xã cho đúng.")
    FrontPagePick.objects.create(article=published, place=FrontPagePick.Place.LEAD)
    make_comment(article=published, name="Bạn đọc chờ")
    decided = make_comment(article=published, name="Bạn đọc đã duyệt")
    moderate(comment=decided, moderator=None, status=Comment.Status.APPROVED)
    BannedTerm.objects.create(term="lừa đảo", note="Quảng cáo lừa.")
    return published


GROUPS = {
    "journalist": ("Journalists",),
    "editor": ("Editors",),
    "moderator": ("Moderators",),
    "superuser": (),
}


@pytest.mark.parametrize("who", GROUPS)
def test_every_admin_page_a_group_uses_is_in_vietnamese(newsroom, who):
    user = make_staff(f"nguoi-{who}", *GROUPS[who], superuser=who == "superuser")
    # The journalist's own: a draft opens as their change form.
    Article.objects.update(created_by=user)
    gaps = [pattern for pattern, groups, _ in KNOWN_GAPS if who in groups]
    walk = Walk(user, gaps).everything()

    assert len(walk.seen) > 15
    # The failed saves did fail, with the errors shown (the article form and the
    # comment forms among them, for whoever may use them).
    if who in ("journalist", "editor", "superuser"):
        assert reverse("admin:articles_article_add") in walk.refused
    if who in ("moderator", "superuser"):
        assert reverse("admin:comments_bannedterm_add") in walk.refused
    assert walk.english == {}
    fixed = {gap.pattern for gap in gaps} - walk.gaps_seen
    assert fixed == set(), "no longer seen: remove from KNOWN_GAPS"


def test_the_check_finds_english_and_lets_vietnamese_pass():
    html = (
        '<p>Tất cả bài: 3 kết quả. Lịch sử</p><img src="/static/admin/img/search.svg" '
        'alt="Search"><img src="/static/admin/img/icon-yes.svg" alt="True">'
        '<input type="submit" value="Save"><a title="Show counts" href="?">Xem</a>'
        "<script>gettext('Today')</script>"
    )
    response = type("Response", (), {"content": html.encode()})()
    assert english_in(response) == ["Search", "Save", "Show counts"]
