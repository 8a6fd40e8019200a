from ckeditor_uploader.fields import RichTextUploadingField
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from portal.pagecache import purge_pages
from portal.text import vn_slugify

from .images import clean_upload, random_name, validate_image
from .renditions import make_renditions
from .sanitize import sanitize_body

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


def unique_slug(instance, text: str, *, max_length: int, fallback: str) -> str:
    """A Vietnamese slug for ``text`` not yet taken by another row: name, name-2, …"""
    base = vn_slugify(text, max_length=max_length) or fallback
    others = type(instance).objects.exclude(pk=instance.pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


MENU_CACHE_KEY = "sections:menu"


class SectionQuerySet(models.QuerySet):
    def menu(self):
        return self.filter(in_menu=True)

    def cached_menu(self):
        """The menu from the cache: every page shows it and it rarely changes
        (a section's save clears it). Each section's address is worked out
        before it is cached, so the header and footer reverse no URL."""
        sections = cache.get(MENU_CACHE_KEY)
        if sections is None:
            sections = list(self.menu())
            for section in sections:
                section.get_absolute_url()
            cache.set(MENU_CACHE_KEY, sections, timeout=3600)
        return sections


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

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, max_length=80)
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(MENU_CACHE_KEY))
        purge_pages()

    def get_absolute_url(self):
        # A page names the same section many times (menu, footer, cards).
        url = self.__dict__.get("_url")
        if url is None or url[0] != self.slug:
            url = self.__dict__["_url"] = (
                self.slug,
                reverse("articles:section", kwargs={"slug": self.slug}),
            )
        return url[1]

    def clean(self):
        if not self.slug:
            self.slug = vn_slugify(self.name, max_length=80)
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

    class Meta:
        ordering = ["name"]
        verbose_name = "tác giả"
        verbose_name_plural = "tác giả"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=100, fallback="tac-gia")
        store_clean_image(self.photo)
        super().save(*args, **kwargs)
        purge_pages()

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

    class Meta:
        ordering = ["name"]
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, max_length=76, fallback="the")
        super().save(*args, **kwargs)
        purge_pages()

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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: published, and the publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

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

    def for_listing(self):
        return self.select_related("section").only(
            *LISTING_FIELDS, "section__id", "section__name", "section__slug"
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Xuất bản"

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
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
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
    # Search data, derived on save (articles/search.py reads it): the title and
    # the sapo + body text folded (no accents, đ -> d, lower case), and on
    # PostgreSQL a weighted full-text vector of the same.
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
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_published_idx"),
            models.Index(fields=["section", "status", "-published_at"], name="article_section_idx"),
            # PostgreSQL only (migration 0004 skips it elsewhere): full-text search.
            GinIndex(fields=["search_vector"], name="article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.title) or "bai-viet"
        self.body = sanitize_body(self.body)
        if store_clean_image(self.cover_image):
            self.cover_renditions = make_renditions(self.cover_image)
        elif not self.cover_image:
            self.cover_renditions = {}
        update_fields = kwargs.get("update_fields")
        filled = None
        if update_fields is None or {"title", "sapo", "body"} & set(update_fields):
            filled = self._fill_search_data()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *filled}
        super().save(*args, **kwargs)
        # Only the stored vector is kept; the expression that built it is not a value.
        self.__dict__.pop("search_vector", None)
        if filled and _on_postgres():
            SearchWord.remember(self.search_title, self.search_text)
        # The article, its section, home and lists show it: retire cached pages.
        purge_pages()

    def get_absolute_url(self):
        # The article page names its own address several times (canonical,
        # share links, structured data): reversed once per address.
        kwargs = {"section": self.section.slug, "slug": self.slug, "pk": self.pk}
        url = self.__dict__.get("_url")
        if url is None or url[0] != kwargs:
            url = self.__dict__["_url"] = (kwargs, reverse("articles:detail", kwargs=kwargs))
        return url[1]

    def _fill_search_data(self) -> list[str]:
        from .search import search_fields

        fields = search_fields(self.title, self.sapo, self.body, postgres=_on_postgres())
        for name, value in fields.items():
            setattr(self, name, value)
        return list(fields)

    def delete(self, *args, **kwargs):
        purge_pages()
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.cover_image and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "Hãy mô tả ảnh đại diện cho người khiếm thị."})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

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

    def byline(self):
        """``Author, Author – Location`` (authors in byline order)."""
        names = ", ".join(b.author.name for b in self.bylines.all())
        return " – ".join(part for part in (names, self.location) if part)


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


class SearchWord(models.Model):
    """A folded word found in articles: what a mistyped search word is corrected to.

    Filled on PostgreSQL by ``Article.save`` and ``manage.py rebuild_search``;
    a trigram index finds the nearest word (articles/search.py).
    """

    word = models.CharField("từ", max_length=60, unique=True)

    class Meta:
        ordering = ["word"]
        verbose_name = "từ tìm kiếm"
        verbose_name_plural = "từ tìm kiếm"
        indexes = [
            # PostgreSQL only (migration 0005 skips it elsewhere).
            GinIndex(fields=["word"], name="searchword_trgm_idx", opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self):
        return self.word

    @classmethod
    def remember(cls, *folded_texts: str) -> None:
        from .search import WORD

        words = {w for text in folded_texts for w in WORD.findall(text) if 1 < len(w) <= 60}
        cls.objects.bulk_create([cls(word=w) for w in sorted(words)], ignore_conflicts=True)


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
