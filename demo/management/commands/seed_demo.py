"""``manage.py seed_demo``: a demo newsroom to try the portal with.

Sections, authors, two dozen sample articles (texts in ``demo/content.py``)
with tags and generated cover images, demo staff accounts and a few reader comments.
Articles are written the way the admin writes them (``articles/services.py``:
the cover checked as it is stored, its renditions made after the commit), so
the demo pages serve what production does.

Running it again changes nothing that exists: every object is looked up by its
slug or username first, so staff edits to the demo survive a rerun; only what
is missing is made again: a cover file (drawn), a cover's renditions (the cover
stored again), an article's tags (when it has none). A section of the same name
under another address is the newsroom's and is used as it is, unless it is
seed_bench's (see ``demo_section``). The demo accounts have a published
password; the command refuses to run with DEBUG off unless told ``--force``.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from html import escape
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, Author, Byline, Section, Tag
from articles.renditions import has_renditions, rendition_names
from articles.services import save_article
from comments.models import Comment, body_digest
from comments.services import moderate, post_comment
from demo import content as demo
from demo.covers import MOTIF_ALT, draw_cover
from demo.management.commands.seed_bench import PREFIX as BENCH_PREFIX
from demo.management.commands.seed_bench import bench_section_name
from portal.text import vn_slugify

DEMO_PASSWORD = "demo12345"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    group: str | None = None
    superuser: bool = False


DEMO_LOGINS = [
    DemoLogin("admin", "quản trị toàn quyền", superuser=True),
    DemoLogin(
        "phongvien",
        "phóng viên: viết bài, gửi duyệt; tự đăng bài ở chuyên mục Xã hội",
        "Journalists",
    ),
    DemoLogin(
        "bientap",
        "biên tập viên: duyệt, trả lại, xuất bản, gỡ bài; chọn tin trang chủ",
        "Editors",
    ),
    DemoLogin("kiemduyet", "kiểm duyệt ý kiến bạn đọc", "Moderators"),
]
JOURNALIST = "phongvien"
EDITOR = "bientap"
MODERATOR = "kiemduyet"
JOURNALIST_AUTHOR = demo.AUTHORS[0].name

COVER_SIZE = (1440, 810)
FIGURE_SIZE = (960, 540)
FIGURE_FOLDER = f"{settings.CKEDITOR_UPLOAD_PATH.rstrip('/')}/demo"


class Command(BaseCommand):
    help = "Tạo dữ liệu thử: chuyên mục, tác giả, bài viết có ảnh, tài khoản thử và ý kiến."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Chỉ in địa chỉ trang và các tài khoản thử, không ghi gì vào cơ sở dữ liệu.",
        )
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000/",
            help="Địa chỉ gốc của trang, dùng khi in tài khoản (mặc định %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy thử nghiệm): tài khoản thử có mật khẩu công khai.",
        )

    def handle(self, *args, print_logins, base_url, force, **options):
        if print_logins:
            self.print_logins(base_url)
            return
        if not settings.DEBUG and not force:
            raise CommandError(
                f"seed_demo tạo tài khoản quản trị với mật khẩu công khai ({DEMO_PASSWORD}); "
                "nó chỉ chạy khi DEBUG=1, hoặc với --force trên máy thử nghiệm."
            )
        with transaction.atomic():
            report = Seeder(now=timezone.now()).run()
        for line in report:
            self.stdout.write(line)

    def print_logins(self, base_url):
        base_url = base_url.rstrip("/")
        # Reading only: which demo accounts exist, to flag the missing ones.
        try:
            existing = set(
                User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).values_list(
                    "username", flat=True
                )
            )
        except DatabaseError:  # not migrated yet: just print the list
            existing = {d.username for d in DEMO_LOGINS}
        self.stdout.write(f"Trang bạn đọc:  {base_url}{reverse('articles:home')}")
        self.stdout.write(f"Trang quản trị: {base_url}{reverse('admin:index')}")
        self.stdout.write("Tài khoản thử (tên / mật khẩu / vai trò):")
        for login in DEMO_LOGINS:
            missing = "" if login.username in existing else "  [chưa có: chạy seed_demo]"
            self.stdout.write(f"  {login.username:<10} / {DEMO_PASSWORD} / {login.role}{missing}")
        self.stdout.write("Mật khẩu thử chỉ đặt khi tạo tài khoản; đổi nó nếu máy này mở ra ngoài.")


class Seeder:
    """One run of the seed, inside the caller's transaction; ``run()`` returns the report."""

    def __init__(self, *, now):
        self.now = now
        self.sections: dict[str, Section] = {}
        self.demo_sections: dict[str, demo.DemoSection] = {}
        self.authors: dict[str, Author] = {}
        self.users: dict[str, User] = {}
        self.created = dict.fromkeys(
            ["sections", "authors", "users", "articles", "covers", "renditions", "tags"], 0
        )
        self.notes: list[str] = []  # what the seed did to data it found

    def run(self) -> list[str]:
        self.seed_sections()
        self.seed_authors()
        self.seed_users()
        articles = self.seed_articles()
        approved, pending = self.seed_comments(articles)
        published = Article.objects.published().count()
        scheduled = Article.objects.scheduled().count()
        drafts = Article.objects.in_state(Article.State.DRAFT).count()
        in_review = Article.objects.in_state(Article.State.REVIEW).count()
        created = self.created
        return [
            f"Chuyên mục: {Section.objects.count()} (mới tạo {created['sections']})",
            f"Tác giả: {Author.objects.count()} (mới tạo {created['authors']})",
            f"Bài viết: {Article.objects.count()} (mới tạo {created['articles']})",
            f"  đã đăng, bạn đọc thấy: {published}",
            f"  bản nháp: {drafts}",
            f"  chờ duyệt: {in_review}",
            f"  hẹn giờ đăng: {scheduled}",
            f"Ảnh đại diện mới vẽ: {created['covers']}",
            f"Ảnh đại diện lưu lại để có bản thu nhỏ và WebP: {created['renditions']}",
            f"Thẻ: {Tag.objects.count()} (bài mới gắn thẻ: {created['tags']})",
            f"Tài khoản thử: {len(DEMO_LOGINS)} (mới tạo {created['users']})",
            f"Ý kiến thử mới: {approved} đã duyệt, {pending} chờ duyệt",
            *self.notes,
        ]

    def seed_sections(self):
        for item in demo.SECTIONS:
            self.sections[item.name] = self.demo_section(item)
            self.demo_sections[item.name] = item

    def demo_section(self, item) -> Section:
        """The demo section by its address; else the newsroom's section of that name."""
        slug = vn_slugify(item.name, max_length=80)
        section = Section.objects.filter(slug=slug).first()
        if section is not None:
            return section
        namesake = Section.objects.filter(name=item.name).first()
        if namesake is not None and not namesake.slug.startswith(BENCH_PREFIX):
            self.notes.append(
                f"Chuyên mục “{item.name}” đã có ở /{namesake.slug}/: bài thử vào chuyên mục đó."
            )
            return namesake
        if namesake is not None:
            # seed_bench's: its --clear deletes every article in it, demo ones
            # included. It takes the name seed_bench gives itself when the plain
            # one is taken, as if the demo had come first.
            renamed = bench_section_name(item.name)
            if Section.objects.filter(name=renamed).exists():
                raise CommandError(
                    f"Chuyên mục “{item.name}” (/{namesake.slug}/) là dữ liệu thử tải của "
                    f"seed_bench và tên “{renamed}” cũng đã có: hãy chạy "
                    "`manage.py seed_bench --clear` hoặc đổi tên một trong hai trước."
                )
            namesake.name = renamed
            namesake.save(update_fields=["name"])
            self.notes.append(
                f"Chuyên mục thử tải /{namesake.slug}/ đổi tên thành “{renamed}”: "
                f"tên “{item.name}” dành cho chuyên mục thử /{slug}/."
            )
        self.created["sections"] += 1
        return Section.objects.create(
            name=item.name,
            slug=slug,
            position=item.position,
            description=item.description,
            journalists_publish=item.journalists_publish,
        )

    def seed_authors(self):
        for item in demo.AUTHORS:
            author, created = Author.objects.get_or_create(
                slug=vn_slugify(item.name, max_length=100),
                defaults={"name": item.name, "bio": item.bio},
            )
            self.authors[item.name] = author
            self.created["authors"] += created

    def seed_users(self):
        for login in DEMO_LOGINS:
            user, created = User.objects.get_or_create(
                username=login.username,
                defaults={
                    "is_staff": True,
                    "is_superuser": login.superuser,
                    "email": f"{login.username}@baophusa.example",
                },
            )
            if created:  # a password someone changed is theirs: never reset it
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                self.created["users"] += 1
            if login.group:
                try:
                    user.groups.add(Group.objects.get(name=login.group))
                except Group.DoesNotExist:
                    raise CommandError(
                        f"Thiếu nhóm {login.group}: hãy chạy `manage.py migrate` trước."
                    ) from None
            self.users[login.username] = user

        author = self.authors[JOURNALIST_AUTHOR]
        journalist = self.users[JOURNALIST]
        if author.user_id is None and not Author.objects.filter(user=journalist).exists():
            author.user = journalist
            author.save(update_fields=["user"])

    def seed_articles(self) -> dict[str, Article]:
        journalist = self.users[JOURNALIST]
        articles = {}
        for item in demo.ARTICLES:
            slug = vn_slugify(item.title)
            style = self.demo_sections[item.section]
            alt = MOTIF_ALT[style.motif]
            # Drawn (again) whenever the file is missing, even for an existing article:
            # its body points at this fixed name.
            figure_url = self.ensure_figure(slug, style) if item.has_figure else None
            article = Article.objects.filter(slug=slug).order_by("pk").first()
            if article is None:
                article = Article(
                    section=self.sections[item.section],
                    # As an upload from the admin: checked, then renditions.
                    cover_image=cover_upload(style, seed=slug),
                    title=item.title,
                    slug=slug,
                    sapo=item.sapo,
                    body=render_body(item.body, figure_url=figure_url, figure_alt=alt),
                    location=item.location,
                    status=Article.Status.DRAFT
                    if item.draft or item.in_review
                    else Article.Status.PUBLISHED,
                    published_at=self.now - timedelta(hours=item.hours_ago),
                    cover_alt=alt,
                    cover_caption=item.cover_caption,
                    cover_credit=settings.SITE_NAME,  # the page prints "Ảnh: <credit>"
                )
                bylines = partial(self.add_bylines, article, item.authors)
                save_article(article=article, by=journalist, related=bylines)
                self.through_review(article, item)
                self.created["articles"] += 1
                self.created["covers"] += 1
            else:
                self.ensure_cover(article, style)
            self.ensure_tags(article, item.tags)
            articles[item.title] = article
        return articles

    def through_review(self, article, item):
        """The workflow's steps the demo article has been through: sent for
        review by the journalist, and sent back by the editor with a note."""
        if not (item.in_review or item.sent_back):
            return
        workflow.perform(article=article, by=self.users[JOURNALIST], action=workflow.Action.SUBMIT)
        if item.sent_back:
            workflow.perform(
                article=article,
                by=self.users[EDITOR],
                action=workflow.Action.SEND_BACK,
                note=item.sent_back,
            )

    def add_bylines(self, article, names):
        for position, name in enumerate(names):
            Byline.objects.create(article=article, author=self.authors[name], position=position)

    def ensure_cover(self, article, style):
        """Store a cover again only when its file or its renditions are missing:
        reruns stay cheap, and a cover someone uploaded is kept."""
        cover = article.cover_image
        if cover and cover.storage.exists(cover.name):
            if has_renditions(article):
                return
            # Stored without its renditions (by an older seed): the same picture
            # is stored again, and the renditions made.
            with cover.open("rb") as handle:
                upload = SimpleUploadedFile(PurePosixPath(cover.name).name, handle.read())
            self.created["renditions"] += 1
        else:
            upload = cover_upload(style, seed=article.slug)
            self.created["covers"] += 1
        if cover:
            # The new file gets a new name; what the old one left goes after the commit.
            old = [cover.name, *rendition_names(cover, article.cover_renditions or {})]
            transaction.on_commit(partial(delete_files, cover.storage, old))
        article.cover_image = upload
        update = ["cover_image", "cover_renditions"]
        if not article.cover_alt:
            article.cover_alt = MOTIF_ALT[style.motif]
            update.append("cover_alt")
        save_article(article=article, by=None, update_fields=update)

    def ensure_tags(self, article, names):
        """The demo's tags, for an article that has none (tags staff set are kept)."""
        if not names or article.tags.exists():
            return
        tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
        save_article(
            article=article, by=None, update_fields=(), related=partial(article.tags.add, *tags)
        )
        self.created["tags"] += 1

    @staticmethod
    def ensure_figure(slug, style) -> str:
        """The URL of the article's inline picture, stored under a fixed name."""
        name = f"{FIGURE_FOLDER}/{vn_slugify(slug, max_length=60)}.jpg"
        if not default_storage.exists(name):
            image = draw_cover(style, seed=f"{slug}/figure", size=FIGURE_SIZE)
            name = default_storage.save(name, ContentFile(image))
        return default_storage.url(name)

    def seed_comments(self, articles) -> tuple[int, int]:
        """A few reader comments, through the same service readers and moderators use."""
        moderator = self.users[MODERATOR]
        approved = pending = 0
        for n, (title, name, body, approve) in enumerate(demo.COMMENTS):
            article = articles[title]
            if not article.is_public:
                continue
            if Comment.objects.filter(article=article, body_hash=body_digest(body)).exists():
                continue
            comment = post_comment(
                article=article,
                name=name,
                email="",
                body=body,
                # Documentation addresses (RFC 5737): never a real reader's.
                ip_address=f"192.0.2.{10 + n}",
                user_agent="seed_demo",
            )
            if approve and moderate(comment=comment, moderator=moderator, status="approved"):
                approved += 1
            elif comment.status == Comment.Status.PENDING:
                pending += 1
        return approved, pending


def cover_upload(style, *, seed: str) -> SimpleUploadedFile:
    """A drawn cover as the admin receives an upload (its stored name is made random)."""
    image = draw_cover(style, seed=seed, size=COVER_SIZE)
    return SimpleUploadedFile("cover.jpg", image, content_type="image/jpeg")


def delete_files(storage, names) -> None:
    for name in names:
        storage.delete(name)


def render_body(blocks, *, figure_url, figure_alt) -> str:
    """The HTML the rich-text editor would have produced for these blocks."""
    parts = []
    for block in blocks:
        match block:
            case str():
                parts.append(f"<p>{escape(block)}</p>")
            case demo.H2(text=text):
                parts.append(f"<h2>{escape(text)}</h2>")
            case demo.Quote(name=name, role=role, text=text):
                # Name and role first, then the words: how the paper prints a quote.
                parts.append(
                    f"<blockquote><p><strong>{escape(name)}</strong>, {escape(role)}:</p>"
                    f"<p>“{escape(text)}”</p></blockquote>"
                )
            case demo.Figure(caption=caption):
                width, height = FIGURE_SIZE
                parts.append(
                    f'<figure class="figure"><img src="{escape(figure_url)}" '
                    f'alt="{escape(figure_alt)}" width="{width}" height="{height}">'
                    f"<figcaption>{escape(caption)}</figcaption></figure>"
                )
            case _:
                raise TypeError(f"unknown body block: {block!r}")
    return "\n".join(parts)
