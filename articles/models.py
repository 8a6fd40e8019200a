from typing import NamedTuple

from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from portal.text import vn_slugify

from .images import clean_upload, random_name, validate_image
from .sanitize import sanitize_body
from .signals import Change, announce

# First path segments the site itself uses; a section may not take them.
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "ckeditor",
        "static",
        "media",
        "tac-gia",
        "xem-truoc",
        "y-kien",
        "tim-kiem",
        "rss",
        "the",
        "luot-doc",
        "sitemap.xml",
        "robots.txt",
    }
)


def random_upload_name(folder: str, filename: str) -> str:
    return f"{folder}/{timezone.localdate():%Y/%m}/{random_name(filename)}"


def cover_upload_to(instance, filename):
    return random_upload_name("covers", filename)


def author_photo_upload_to(instance, filename):
    return random_upload_name("authors", filename)


def store_clean_image(field_file) -> bool:
    """A newly uploaded image is checked and stored without metadata, whatever
    the path it came by (admin, shell, seed). True if a new file was stored."""
    if field_file and not field_file._committed:
        cleaned = clean_upload(field_file.file)
        field_file.save(cleaned.name, cleaned, save=False)
        return True
    return False


def unique_slug(instance, text: str, *, fallback: str, reserved=frozenset()) -> str:
    """The slug rule of sections, authors and tags: ``text`` without accents (đ -> d),
    cut at a word to fit the model's slug field, and not taken by another row nor
    ``reserved``: name, name-2, name-3, … (the number shortens the name, not the field)."""
    model = type(instance)
    max_length = model._meta.get_field("slug").max_length
    base = vn_slugify(text, max_length=max_length) or fallback
    others = model._default_manager.exclude(pk=instance.pk)
    slug, n = base, 2
    while slug in reserved or others.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = vn_slugify(base, max_length=max_length - len(suffix)) + suffix, n + 1
    return slug


def _as_readers_see(instance) -> dict:
    """The values of the fields readers see (``READER_FIELDS``), as stored."""
    fields = (instance._meta.get_field(name) for name in instance.READER_FIELDS)
    return {f.name: f.get_prep_value(f.value_from_object(instance)) for f in fields}


def _stored_as_readers_see(instance) -> dict | None:
    """The same, read from the database before a save; None for a new row."""
    if instance._state.adding:
        return None
    manager = type(instance)._default_manager
    return manager.filter(pk=instance.pk).values(*instance.READER_FIELDS).first()


MENU_CACHE_KEY = "sections:menu-entries"


class MenuEntry(NamedTuple):
    """A section of the menu as every page reads it from the cache: plain values,
    its address worked out once, so that no page rebuilds model instances or
    reverses a URL for its header and footer."""

    pk: int
    name: str
    slug: str
    description: str
    url: str

    def section(self) -> "Section":
        """The section with these values, as a page or a query needs one, as if
        read from the database (its other fields deferred)."""
        fields = ("id", "name", "slug", "description")
        return Section.from_db(None, fields, (self.pk, self.name, self.slug, self.description))


class SectionQuerySet(models.QuerySet):
    def menu(self):
        return self.filter(in_menu=True)

    def cached_menu(self) -> list[MenuEntry]:
        """The menu from the cache: every page shows it and it rarely changes
        (a section's save clears it)."""
        entries = cache.get(MENU_CACHE_KEY)
        if entries is None:
            entries = [
                MenuEntry(s.pk, s.name, s.slug, s.description, s.get_absolute_url())
                for s in self.menu()
            ]
            cache.set(MENU_CACHE_KEY, entries, timeout=3600)
        return entries


class Section(models.Model):
    name = models.CharField("tên chuyên mục", max_length=80, unique=True)
    slug = models.SlugField(
        "đường dẫn",
        max_length=80,
        unique=True,
        blank=True,
        help_text="Phần địa chỉ của chuyên mục, không dấu; để trống để tạo từ tên.",
    )
    position = models.PositiveSmallIntegerField(
        "thứ tự", default=0, help_text="Thứ tự trên thanh menu, số nhỏ đứng trước."
    )
    in_menu = models.BooleanField("hiện trên menu", default=True)
    description = models.CharField("mô tả", max_length=300, blank=True)
    journalists_publish = models.BooleanField(
        "phóng viên tự xuất bản",
        default=False,
        help_text="Bật cho chuyên mục tin nhanh: phóng viên xuất bản hoặc hẹn giờ bài của mình "
        "mà không cần biên tập viên duyệt.",
    )

    objects = SectionQuerySet.as_manager()

    # Every page shows the menu, and article pages and cards the section's name.
    READER_FIELDS = ("name", "slug", "position", "in_menu", "description")

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        seen = _stored_as_readers_see(self)
        if not self.slug:
            self.slug = self.slug_from_name()
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(MENU_CACHE_KEY))
        # A new section shows nowhere until it is in the menu or has articles.
        if _as_readers_see(self) != seen and (seen is not None or self.in_menu):
            announce(Change(sections=frozenset({self.pk}), everywhere=True), sender=Section)

    def get_absolute_url(self):
        # A page names the same section many times (menu, footer, cards).
        url = self.__dict__.get("_url")
        if url is None or url[0] != self.slug:
            url = self.__dict__["_url"] = (
                self.slug,
                reverse("articles:section", kwargs={"slug": self.slug}),
            )
        return url[1]

    def slug_from_name(self) -> str:
        return unique_slug(self, self.name, fallback="chuyen-muc", reserved=RESERVED_SLUGS)

    def clean(self):
        if not self.slug:
            self.slug = self.slug_from_name()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": "Đường dẫn này đã được trang web dùng, hãy chọn khác."})


class Author(models.Model):
    name = models.CharField("tên hiển thị", max_length=120)
    slug = models.SlugField(
        "đường dẫn",
        max_length=120,
        unique=True,
        blank=True,
        help_text="Phần địa chỉ trang tác giả, không dấu; để trống để tạo từ tên.",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="Tài khoản quản trị của tác giả, nếu có.",
    )
    bio = models.TextField("giới thiệu", blank=True)
    photo = models.ImageField(
        "ảnh", upload_to=author_photo_upload_to, blank=True, validators=[validate_image]
    )

    READER_FIELDS = ("name", "slug", "bio", "photo")

    class Meta:
        ordering = ["name"]
        verbose_name = "tác giả"
        verbose_name_plural = "tác giả"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="tac-gia")
        seen = _stored_as_readers_see(self)
        store_clean_image(self.photo)
        super().save(*args, **kwargs)
        # Bylines name the author on the articles' pages and in every feed
        # listing them; an author without a public article shows nowhere.
        if _as_readers_see(self) != seen:
            announce(Article.objects.filter(authors=self).seen_by_readers(), sender=Author)

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class _JoinedText(models.Aggregate):
    """Strings joined with a separator: GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = models.TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


class Tag(models.Model):
    name = models.CharField("tên thẻ", max_length=80, unique=True)
    slug = models.SlugField(
        "đường dẫn",
        max_length=80,
        unique=True,
        blank=True,
        help_text="Phần địa chỉ trang thẻ, không dấu; để trống để tạo từ tên.",
    )

    READER_FIELDS = ("name", "slug")

    class Meta:
        ordering = ["name"]
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="the")
        seen = _stored_as_readers_see(self)
        super().save(*args, **kwargs)
        # Articles link their tags, feeds list them as categories.
        if _as_readers_see(self) != seen:
            announce(Article.objects.filter(tags=self).seen_by_readers(), sender=Tag)

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


# What a list of articles shows (cards, related, feeds): never the body.
LISTING_FIELDS = (
    "id",
    "section_id",
    "title",
    "slug",
    "sapo",
    "cover_image",
    "cover_alt",
    "cover_renditions",
    "published_at",
)


# How many public articles a change names one by one (an author's, a tag's);
# past that it is announced as touching every page.
NAMED_ARTICLES_MAX = 500


class PublicationState(models.TextChoices):
    """Where an article stands for readers: the publication rule's answers."""

    DRAFT = "draft", "Bản nháp"
    REVIEW = "review", "Chờ duyệt"
    SCHEDULED = "scheduled", "Hẹn giờ"
    PUBLISHED = "published", "Đã xuất bản"
    UNPUBLISHED = "unpublished", "Đã gỡ"


# The publication rule, in Python and in SQL side by side (and
# tests/articles/test_models.py checks that they agree): published with its
# time come is public, published with a time still ahead is scheduled, any
# other status is its own state (draft, in review, taken down).
def state_of(status: str, published_at, now) -> PublicationState:
    if status != Article.Status.PUBLISHED:
        return PublicationState(status)
    return PublicationState.PUBLISHED if published_at <= now else PublicationState.SCHEDULED


def _in_state(state: PublicationState, now) -> Q:
    published = Q(status=Article.Status.PUBLISHED)
    if state == PublicationState.PUBLISHED:
        return published & Q(published_at__lte=now)
    if state == PublicationState.SCHEDULED:
        return published & Q(published_at__gt=now)
    return Q(status=state.value)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and the publication time has come."""
        return self.in_state(PublicationState.PUBLISHED)

    def scheduled(self):
        """Published with a time still ahead: readers see it from then on."""
        return self.in_state(PublicationState.SCHEDULED)

    def in_state(self, state: PublicationState):
        return self.filter(_in_state(state, timezone.now()))

    def seen_by_readers(self) -> Change:
        """The pages that show these articles now: their own, their sections',
        authors' and tags' (with the feeds), and the listings. Past
        NAMED_ARTICLES_MAX public articles: every page, rather than a long list."""
        public = list(
            self.published().order_by().values_list("pk", "section_id")[: NAMED_ARTICLES_MAX + 1]
        )
        if len(public) > NAMED_ARTICLES_MAX:
            return Change(everywhere=True)
        if not public:
            return Change()
        ids = frozenset(pk for pk, _ in public)
        authors = Byline.objects.filter(article_id__in=ids).values_list("author_id", flat=True)
        tags = Article.tags.through.objects.filter(article_id__in=ids).values_list(
            "tag_id", flat=True
        )
        return Change(
            articles=ids,
            sections=frozenset(section for _, section in public),
            authors=frozenset(authors),
            tags=frozenset(tags),
            listings=True,
        )

    def delete(self):
        gone = self.seen_by_readers()
        deleted = super().delete()
        announce(gone, sender=Article)
        return deleted

    def with_tag_list(self):
        """Each article's tags in the same query (``Article.tag_links`` reads them)."""
        joined = (
            Tag.objects.filter(articles=OuterRef("pk"))
            .order_by()
            .values("articles")
            .annotate(joined=_JoinedText(Concat("slug", Value("\t"), "name"), Value("\n")))
            .values("joined")
        )
        return self.annotate(tag_list=Subquery(joined, output_field=models.TextField()))

    def for_page(self):
        """What the article page shows: everything but the search data, which
        is as long as the body again and only search reads it."""
        return (
            self.select_related("section")
            .with_tag_list()
            .defer("search_title", "search_text", "search_vector")
        )

    def for_listing(self, *also: str):
        """What a list of articles shows, with its section, and ``also`` the fields
        one list needs besides (search: the body its snippets come from)."""
        return self.select_related("section").only(
            *LISTING_FIELDS, "section__id", "section__name", "section__slug", *also
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        REVIEW = "review", "Chờ duyệt"
        # Scheduled while ``published_at`` is still ahead.
        PUBLISHED = "published", "Xuất bản"
        UNPUBLISHED = "unpublished", "Đã gỡ"

    # Where the article stands for readers (``publication_state``), from the status and time.
    State = PublicationState

    section = models.ForeignKey(
        Section, verbose_name="chuyên mục", on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField("tiêu đề", max_length=300)
    slug = models.SlugField(
        "đường dẫn",
        max_length=200,
        blank=True,
        help_text="Tạo tự động từ tiêu đề (không dấu) khi để trống; "
        "giữ nguyên sau khi xuất bản để liên kết cũ không hỏng.",
    )
    sapo = models.TextField(
        "sapo", help_text="Đoạn dẫn in đậm dưới tiêu đề, một hoặc hai câu, không định dạng."
    )
    body = RichTextUploadingField("nội dung")
    cover_image = models.ImageField(
        "ảnh đại diện",
        upload_to=cover_upload_to,
        blank=True,
        validators=[validate_image],
        help_text="JPEG, PNG, WebP hoặc GIF; tối đa 10 MB. Thông tin EXIF (cả vị trí GPS) bị xoá.",
    )
    cover_alt = models.CharField(
        "mô tả ảnh (alt)",
        max_length=300,
        blank=True,
        help_text="Mô tả nội dung ảnh cho người khiếm thị; bắt buộc khi có ảnh.",
    )
    cover_caption = models.CharField("chú thích ảnh", max_length=300, blank=True)
    cover_credit = models.CharField("nguồn ảnh", max_length=120, blank=True)
    authors = models.ManyToManyField(
        Author, verbose_name="tác giả", through="Byline", related_name="articles"
    )
    location = models.CharField(
        "địa danh",
        max_length=120,
        blank=True,
        help_text="Nơi đưa tin, in cuối bài sau tên tác giả.",
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        "thời điểm xuất bản",
        default=timezone.now,
        help_text="Giờ Việt Nam. Đặt giờ trong tương lai để hẹn giờ đăng.",
    )
    tags = models.ManyToManyField(
        Tag,
        verbose_name="thẻ",
        blank=True,
        related_name="articles",
        help_text="Chủ đề, nhân vật, địa danh của bài; bài cùng thẻ hiện trong “Tin liên quan”.",
    )
    comments_open = models.BooleanField("cho phép bình luận", default=True)
    comment_count = models.PositiveIntegerField("số ý kiến đã duyệt", default=0, editable=False)
    # Size of the cover and the widths of its renditions (articles/renditions.py).
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # When what readers see last changed after publication ("Cập nhật lúc"):
    # set by articles/services.py, never by a save readers cannot see.
    revised_at = models.DateTimeField("cập nhật lúc", null=True, blank=True, editable=False)
    # Optimistic versioning: each save adds one; a form saved from an older
    # version is refused (articles/services.py, EditConflict).
    version = models.PositiveIntegerField("phiên bản", default=1, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người sửa",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Search data, filled by articles/services.py after each save's commit and
    # read by articles/search.py: the title and the sapo + body text folded (no
    # accents, đ -> d, lower case), and on PostgreSQL a weighted full-text vector.
    # A database default too: bulk loads (seed_bench's COPY) may leave them out,
    # and `manage.py rebuild_search --missing` fills them afterwards.
    search_title = models.CharField(max_length=300, blank=True, db_default="", editable=False)
    search_text = models.TextField(blank=True, db_default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        permissions = [
            # Editors: approve, publish, schedule, send back, take down, republish,
            # and edit every article (articles/workflow.py reads these).
            ("publish_article", "Được duyệt, xuất bản và gỡ mọi bài"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            # PostgreSQL only (the migration skips it elsewhere): full-text search.
            GinIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.title) or "bai-viet"
        self.body = sanitize_body(self.body)
        # Before the file is stored: its metadata (GPS among it) is never public.
        store_clean_image(self.cover_image)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The article page names its own address several times (canonical,
        # share links, structured data): reversed once per address.
        kwargs = {"section": self.section.slug, "slug": self.slug, "pk": self.pk}
        url = self.__dict__.get("_url")
        if url is None or url[0] != kwargs:
            url = self.__dict__["_url"] = (kwargs, reverse("articles:detail", kwargs=kwargs))
        return url[1]

    def delete(self, *args, **kwargs):
        gone = Article.objects.filter(pk=self.pk).seen_by_readers()
        deleted = super().delete(*args, **kwargs)
        announce(gone, sender=Article)
        return deleted

    def clean(self):
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "Hãy mô tả ảnh đại diện cho người khiếm thị."})

    @property
    def publication_state(self) -> PublicationState:
        return state_of(self.status, self.published_at, timezone.now())

    @property
    def is_public(self) -> bool:
        """What readers may see now: the Python side of ``published()``."""
        return self.publication_state == PublicationState.PUBLISHED

    @property
    def tag_links(self):
        """``[(name, url), ...]`` by name, from ``with_tag_list()``; empty without it."""
        pairs = (line.split("\t", 1) for line in (getattr(self, "tag_list", "") or "").split("\n"))
        return sorted(
            (name, reverse("articles:tag", kwargs={"slug": slug}))
            for slug, name in (p for p in pairs if len(p) == 2)
        )

    def get_preview_url(self):
        return reverse("articles:preview", kwargs={"pk": self.pk})

    def byline_authors(self) -> list[Author]:
        """The authors in byline order (prefetch ``bylines`` with their authors)."""
        return [b.author for b in self.bylines.all()]

    def author_names(self) -> str:
        """``Author, Author``: the byline without the place (a feed's creator)."""
        return ", ".join(author.name for author in self.byline_authors())

    def byline(self) -> str:
        """``Author, Author – Location``, the line ending the article."""
        return " – ".join(part for part in (self.author_names(), self.location) if part)


class SearchWord(models.Model):
    """A folded word found in articles: what a mistyped search word is corrected to.

    Filled on PostgreSQL by ``articles.search.remember_words`` (after an article's
    save) and ``manage.py rebuild_search``; a trigram index finds the nearest word.
    """

    word = models.CharField("từ", max_length=60, unique=True)

    class Meta:
        ordering = ["word"]
        verbose_name = "từ tìm kiếm"
        verbose_name_plural = "từ tìm kiếm"
        indexes = [
            # PostgreSQL only (the migration skips it elsewhere).
            GinIndex(fields=["word"], name="searchword_trgm_idx", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word


class ArticleView(models.Model):
    """Readers' views of an article in one hour (UTC), flushed from the cache in batches."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField("giờ")
    count = models.PositiveIntegerField("lượt đọc", default=0)

    class Meta:
        ordering = ["-hour"]
        verbose_name = "lượt đọc theo giờ"
        verbose_name_plural = "lượt đọc theo giờ"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="articleview_unique_hour"),
        ]
        indexes = [models.Index(fields=["hour"], name="articleview_hour_idx")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.count}"


class Byline(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(
        Author, verbose_name="tác giả", on_delete=models.PROTECT, related_name="bylines"
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "tác giả của bài"
        verbose_name_plural = "tác giả của bài"
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]

    def __str__(self):
        return f"{self.author} – {self.article}"


# The newsroom's records around an article, in their own module.
from .newsroom import (  # noqa: E402, F401
    AutosavedDraft,
    Correction,
    EditingPresence,
    FrontPagePick,
    Transition,
)


# The newsroom's two lists of articles, each with its own admin page
# (articles/admin_lists.py) and the article's own permissions.
class ArticleInReview(Article):
    class Meta:
        proxy = True
        verbose_name = "bài chờ duyệt"
        verbose_name_plural = "chờ duyệt"
        default_permissions = ()


class MyArticle(Article):
    class Meta:
        proxy = True
        verbose_name = "bài của tôi"
        verbose_name_plural = "bài của tôi"
        default_permissions = ()
