"""Scale data for the benchmark: ``manage.py seed_bench --articles 100000 --comments 1000000``.

Every row it makes hangs off a section whose slug starts with ``bench-`` (authors
too), so ``--clear`` removes its own data and nothing else. PostgreSQL is filled
with COPY (psycopg 3); other databases with ``bulk_create`` in batches. Text is
generated from the word lists below: Vietnamese-length titles, sapos, bodies and
reader comments (50–400 characters, NFC), dates over the last three years.
"""

import random
import time
import unicodedata
from contextlib import contextmanager
from datetime import timedelta
from functools import cached_property

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles.models import Article, Author, Byline, Section
from articles.search import (
    STORED_TEXT_FIELDS,
    search_fields,
    stored_search_data,
    stored_search_vector,
)
from articles.services import written_in_bulk
from comments.models import Comment, body_digest
from demo import content as demo_content
from portal.text import fold, normalize_comment, vn_slugify

PREFIX = "bench-"
BATCH = 2_000  # rows per bulk_create batch (and per progress tick with COPY: PROGRESS)
PROGRESS = 100_000


def _words(text: str) -> list[str]:
    """One phrase per line (or per `|`), NFC whatever the editor saved."""
    text = unicodedata.normalize("NFC", text)
    return [p.strip() for line in text.splitlines() for p in line.split("|") if p.strip()]


SECTIONS = _words(
    "Thời sự|Chính trị|Kinh tế|Nông nghiệp|Xã hội|Văn hóa|Giáo dục|Y tế|Thể thao|Pháp luật"
)
FAMILY = _words("Nguyễn|Trần|Lê|Phạm|Huỳnh|Hoàng|Võ|Phan|Trương|Bùi|Đặng|Đỗ|Ngô|Dương|Lý")
MIDDLE = _words("Văn|Thị|Minh|Ngọc|Thanh|Hữu|Quốc|Thành|Kim|Hoài|Đức|Bảo")
GIVEN = _words("""
    An|Bình|Cường|Dũng|Duyên|Giang|Hà|Hải|Hạnh|Hiếu|Hòa|Hùng|Hương|Khang|Khoa|Lan|Linh|Lộc
    Long|Mai|Nam|Nga|Nhân|Nhung|Phong|Phúc|Phương|Quân|Sang|Tâm|Thảo|Thắng|Thư|Trang|Trí|Tú|Vy
""")
# The demo's invented province: bench and demo data on one database name the
# same places.
PLACES = _words("|".join(demo_content.PLACES))
SUBJECTS = _words("""
    UBND tỉnh|Sở Nông nghiệp và Phát triển nông thôn|Sở Giáo dục và Đào tạo|Công an tỉnh
    Hội Nông dân xã|Tỉnh đoàn|Bệnh viện Đa khoa tỉnh|Ban quản lý dự án giao thông
    nông dân vùng trũng Rạch Sen|người dân vùng lũ|các hợp tác xã trồng lúa|ngành y tế
    Liên đoàn Lao động tỉnh|Hội Liên hiệp Phụ nữ huyện|doanh nghiệp trong khu công nghiệp
    Ủy ban Mặt trận Tổ quốc|Bộ đội Biên phòng tỉnh|thanh niên tình nguyện|ngành điện lực
    Trung tâm Kiểm soát bệnh tật|các trường trung học phổ thông|Đoàn công tác của tỉnh
""")
VERBS = _words("""
    triển khai|khánh thành|tổ chức|hỗ trợ|kiểm tra|ra quân thực hiện|ký kết|trao tặng|đầu tư
    khởi công|tập huấn về|phát động|bàn giao|đề xuất|thu hoạch|nghiệm thu|sơ kết|mở rộng
    tuyên dương|khảo sát|đẩy mạnh|hoàn thành|vận động xây dựng|đưa vào sử dụng|nhân rộng
""")
OBJECTS = _words("""
    tuyến đường giao thông nông thôn|mô hình trồng sen kết hợp du lịch sinh thái
    chương trình chuyển đổi số cấp xã|cây cầu bê tông nối hai bờ kênh|nhà tình nghĩa cho hộ nghèo
    vụ lúa Hè Thu|dự án cấp nước sạch sinh hoạt|quà Tết cho gia đình chính sách
    lớp học bơi miễn phí cho trẻ em|hệ thống đê bao chống lũ|vùng nuôi cá tra xuất khẩu
    chợ nông sản an toàn|đợt tiêm chủng mở rộng|kè chống sạt lở bờ sông Tiền
    mô hình xoài sạch theo tiêu chuẩn VietGAP|phong trào hiến máu tình nguyện
    làng hoa kiểng Tân Quy Đông|đợt cao điểm bảo đảm trật tự an toàn giao thông
    trạm bơm điện phục vụ sản xuất|học bổng cho học sinh vượt khó|điểm sinh hoạt cộng đồng
""")
TAILS = _words("""
    nhằm nâng cao đời sống người dân|theo đúng kế hoạch đề ra|trước mùa nước nổi năm nay
    với sự tham gia của hàng trăm hộ dân|góp phần giữ gìn an ninh trật tự ở địa phương
    trong bối cảnh giá vật tư nông nghiệp tăng cao|để người dân yên tâm sản xuất
    sau nhiều năm người dân mong đợi|thu hút đông đảo bà con đến tham dự
    tạo thêm việc làm cho lao động nông thôn|đáp ứng nhu cầu đi lại của bà con hai xã
""")
ROLES = _words("Chủ tịch UBND xã|Giám đốc Sở|Bí thư Huyện ủy|Trưởng ấp|Phó Giám đốc Bệnh viện")
READER_SAYS = _words("""
    Bài viết rất hay, cảm ơn tòa soạn đã phản ánh kịp thời.
    Mong chính quyền địa phương sớm quan tâm giải quyết cho bà con.
    Tôi ở xã bên cạnh, thấy đúng như bài báo nói, đường sá xuống cấp lâu rồi.
    Đề nghị cơ quan chức năng kiểm tra lại việc này, người dân rất bức xúc.
    Chúc mừng bà con, đây là tin vui cho cả vùng.
    Giá lúa năm nay thấp quá, nông dân làm không có lời.
    Hồi nhỏ tôi hay theo ba đi giăng lưới trên cánh đồng này, đọc mà nhớ quê.
    Cây cầu này giúp học sinh đi học an toàn hơn nhiều, cảm ơn các nhà hảo tâm.
    Xin hỏi tòa soạn có số điện thoại liên hệ của hợp tác xã không ạ?
    Ủng hộ mô hình này, nên nhân rộng ra các huyện khác trong tỉnh.
    Mùa nước nổi năm nay về sớm, bà con nhớ gia cố nhà cửa cẩn thận.
    Mấy năm nay quê mình đổi thay nhiều quá, ai đi xa về cũng bất ngờ.
""")
# Reader sentences about the news, filled from the lists above by TextMaker.
READER_ASKS = _words("""
    Đề nghị {0.subject} sớm {0.verb} {0.object} ở {0.place}.
    Ở {0.place} cũng cần {0.object} như vậy, mong {0.subject} quan tâm.
    Cảm ơn {0.subject} đã {0.verb} {0.object}, bà con rất phấn khởi.
    Không biết bao giờ {0.place} mới có {0.object}?
    Nhà tôi ở {0.place}, thấy {0.subject} làm vậy là đúng, {0.tail}.
""")
AGENTS = _words("""
    Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36
    Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148
    Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36
""")


def bench_section_name(name: str) -> str:
    """A bench section's name when another section (the newsroom's, the demo's) has
    the plain one: section names are unique."""
    return f"{name} (thử tải)"


def bench_marker(articles: int, comments: int, seed: int) -> str:
    """Written into every bench section's description; the harness reads it back."""
    return f"seed_bench articles={articles} comments={comments} seed={seed}"


class TextMaker:
    """Sentences drawn once into pools, then combined: fast and varied enough."""

    def __init__(self, rng: random.Random, pool: int = 20_000):
        self.rng = rng
        c = rng.choice
        self.news = [self._sentence() for _ in range(pool)]
        self.quotes = [
            f"{c(FAMILY)} {c(MIDDLE)} {c(GIVEN)}, {c(ROLES)}, cho biết: “{self._sentence()}”"
            for _ in range(pool // 10)
        ]
        self.reader = [t.format(self) for t in rng.choices(READER_ASKS, k=pool // 2)]

    def _clause(self) -> str:
        c = self.rng.choice
        parts = [c(SUBJECTS), c(VERBS), c(OBJECTS)]
        if self.rng.random() < 0.6:
            parts.append(f"tại {c(PLACES)}")
        if self.rng.random() < 0.5:
            parts.append(c(TAILS))
        return " ".join(parts)

    def _sentence(self) -> str:
        s = self._clause()
        return s[0].upper() + s[1:] + "."

    def title(self) -> str:
        words = self._clause().split()
        while len(words) < 10:
            words += self.rng.choice(TAILS).split()
        words = words[: self.rng.randint(max(10, min(len(words), 14)), 20)]
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def sapo(self) -> tuple[str, list[str]]:
        """The text, and the pooled sentences it is made of."""
        sentences = self.rng.choices(self.news, k=self.rng.randint(1, 2))
        return " ".join(sentences), sentences

    def body(self) -> tuple[str, list[str]]:
        paragraphs, parts = [], []
        for _ in range(self.rng.randint(4, 8)):
            sentences = self.rng.choices(self.news, k=self.rng.randint(2, 5))
            if self.rng.random() < 0.3:
                sentences.append(self.rng.choice(self.quotes))
            paragraphs.append(f"<p>{' '.join(sentences)}</p>")
            parts += sentences
        return "\n".join(paragraphs), parts

    @cached_property
    def folded(self) -> dict[str, str]:
        """Folded pooled sentences, filled as they are used."""
        return {}

    def fold(self, sentence: str) -> str:
        if (folded := self.folded.get(sentence)) is None:
            folded = self.folded[sentence] = fold(sentence)
        return folded

    def search_text(self, title: str, sapo: list[str], body: list[str]) -> tuple[str, ...]:
        """The stored search text (``STORED_TEXT_FIELDS``) as articles.search makes it
        (checked on one article after loading), each pooled sentence folded once:
        folding every body would take minutes at 100,000 articles."""
        sapo_text, body_text = (" ".join(map(self.fold, p)) for p in (sapo, body))
        fields = stored_search_data(fold(title), sapo_text, body_text, postgres=False)
        return tuple(fields[name] for name in STORED_TEXT_FIELDS)

    # Filled into READER_ASKS.
    subject = property(lambda self: self.rng.choice(SUBJECTS))
    verb = property(lambda self: self.rng.choice(VERBS))
    object = property(lambda self: self.rng.choice(OBJECTS))
    place = property(lambda self: self.rng.choice(PLACES))
    tail = property(lambda self: self.rng.choice(TAILS))

    def comment(self) -> str:
        """50–400 characters (mostly short), cut at a word boundary, normalized."""
        target = min(399, 60 + int(self.rng.expovariate(1 / 100)))
        text = ""
        while len(text) < target:
            pool = READER_SAYS if self.rng.random() < 0.5 else self.reader
            text = f"{text} {self.rng.choice(pool)}".strip()
        if len(text) > target:
            head = text[:target]
            end = max(head.rfind(". "), head.rfind("? "))  # a whole sentence if one fits
            cut = head.rsplit(" ", 1)[0].rstrip(",") + "…"  # >= 50: syllables are short
            text = head[: end + 1] if end >= 49 else cut
        return normalize_comment(text)

    def person(self) -> str:
        c = self.rng.choice
        return f"{c(FAMILY)} {c(MIDDLE)} {c(GIVEN)}"


@contextmanager
def _own_timestamps(model):
    """Let bulk_create keep the given created_at/updated_at instead of "now"."""
    fields = [f for f in model._meta.concrete_fields if hasattr(f, "auto_now_add")]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, *_ in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


class Command(BaseCommand):
    help = "Fill the database with benchmark-scale articles and comments (rows marked bench-)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000)
        parser.add_argument("--comments", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2024, help="Same seed, same text.")
        parser.add_argument("--clear", action="store_true", help="Delete earlier bench data first.")

    def handle(self, *args, articles, comments, seed, clear, **options):
        self.started = time.monotonic()
        self.copy = connection.vendor == "postgresql"
        if clear:
            self.clear()
        elif Section.objects.filter(slug__startswith=PREFIX).exists():
            raise CommandError("Bench data is already there; add --clear to replace it.")
        rng = random.Random(seed)
        text = TextMaker(rng, pool=max(1_000, min(20_000, (articles + comments // 10) // 5)))
        self.log(f"word pools ready ({'COPY' if self.copy else 'bulk_create'})")
        # Articles keep folded copies of their text for search (articles/search.py).
        names = {f.name for f in Article._meta.concrete_fields}
        search = set(STORED_TEXT_FIELDS) <= names
        vector = search and self.copy and "search_vector" in names
        with transaction.atomic():
            sections, authors = self.make_people_and_sections(
                text, bench_marker(articles, comments, seed)
            )
            published = self.load_articles(rng, text, articles, sections, authors, search)
            self.load_comments(rng, text, comments, published)
            self.log("counting approved comments per article" + (", search vectors" * vector))
            approved = (
                Comment.objects.filter(article=OuterRef("pk"), status=Comment.Status.APPROVED)
                .order_by()
                .values("article")
                .annotate(n=Count("*"))
                .values("n")
            )
            updates = {"comment_count": Coalesce(Subquery(approved), 0)}
            if vector:  # in the same pass: every UPDATE rewrites 100,000 rows
                updates["search_vector"] = stored_search_vector()
            Article.objects.filter(section__in=sections).update(**updates)
            if search:
                self.check_search(sections, vector=vector)
            written_in_bulk()
        self.analyze()
        self.log(f"done: {articles} articles, {comments} comments")

    def log(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {message}")
        self.stdout.flush()

    def clear(self) -> None:
        where = f"slug LIKE '{PREFIX}%%'"
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (Section, Author):
                self.purge(cursor, model, where)
            written_in_bulk()
        self.log("earlier bench data deleted")

    def purge(self, cursor, model, where: str, depth: int = 0) -> None:
        """Delete ``model``'s rows matching ``where``, after every row pointing at them
        (articles, bylines, tags, comments, their moderation lines, view counts, ...).
        Plain SQL: the ORM's collector would load a million comments first."""
        q = connection.ops.quote_name
        table, pk = q(model._meta.db_table), q(model._meta.pk.column)
        for rel in model._meta.get_fields(include_hidden=True):
            if rel.auto_created and not rel.concrete and rel.one_to_many and depth < 4:
                inner = f"{q(rel.field.column)} IN (SELECT {pk} FROM {table} WHERE {where})"
                self.purge(cursor, rel.related_model, inner, depth + 1)
        cursor.execute(f"DELETE FROM {table} WHERE {where}", [])

    def make_people_and_sections(self, text, marker):
        taken = set(Section.objects.values_list("name", flat=True))
        sections = Section.objects.bulk_create(
            Section(
                name=name if name not in taken else bench_section_name(name),
                slug=f"{PREFIX}{vn_slugify(name)}",
                position=100 + i,
                description=marker,
            )
            for i, name in enumerate(SECTIONS)
        )
        authors = Author.objects.bulk_create(
            Author(name=name, slug=f"{PREFIX}{vn_slugify(name)}-{i}")
            for i, name in enumerate(text.person() for _ in range(60))
        )
        # bulk_create sets primary keys on PostgreSQL and SQLite alike.
        return sections, authors

    def write(self, model, fields, rows, total, label):
        """Stream ``rows`` (tuples in ``fields`` order) into ``model``'s table."""
        if self.copy:
            # Columns not given get their model default, as bulk_create would do.
            rest = [f for f in model._meta.concrete_fields if f.attname not in fields]
            rest = [f for f in rest if not f.primary_key and not f.null]
            defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
            columns = ", ".join(connection.ops.quote_name(f) for f in fields)
            columns += "".join(f", {connection.ops.quote_name(f.column)}" for f in rest)
            sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for n, row in enumerate(rows, 1):
                    copy.write_row(row + defaults)
                    if n % PROGRESS == 0:
                        self.log(f"{label}: {n}/{total}")
        else:
            batch, n = [], 0
            with _own_timestamps(model):
                for n, row in enumerate(rows, 1):
                    batch.append(model(**dict(zip(fields, row, strict=True))))
                    if len(batch) == BATCH:
                        model.objects.bulk_create(batch)
                        batch = []
                    if n % PROGRESS == 0:
                        self.log(f"{label}: {n}/{total}")
                model.objects.bulk_create(batch)
        self.log(f"{label}: {total} written")

    def load_articles(self, rng, text, total, sections, authors, search):
        """Articles oldest first (ids grow with time, as on a real site); returns the
        ``(id, published_at)`` pairs of those readers can see."""
        now = timezone.now()
        span = timedelta(days=3 * 365).total_seconds()
        times = sorted(now - timedelta(seconds=rng.uniform(3600, span)) for _ in range(total))
        scheduled = min(10, max(1, total // 10_000)) if total >= 10 else 0
        for i in range(total - scheduled, total):  # a handful queued for the coming days
            times[i] = now + timedelta(hours=rng.uniform(1, 24 * 7))
        drafts = set(rng.sample(range(total), max(1, total // 100) if total >= 10 else 0))
        weights = [rng.choice((1, 1, 2, 3, 5)) for _ in sections]  # some sections write more
        picks = rng.choices(sections, weights=weights, k=total)
        fields = (
            "section_id", "title", "slug", "sapo", "body", "cover_image", "cover_alt",
            "cover_caption", "cover_credit", "location", "status", "published_at",
            "comments_open", "comment_count", "created_at", "updated_at",
        )  # fmt: skip
        fields += STORED_TEXT_FIELDS if search else ()

        def rows():
            for i, at in enumerate(times):
                title = text.title()
                (sapo, sapo_parts), (body, body_parts) = text.sapo(), text.body()
                status = Article.Status.DRAFT if i in drafts else Article.Status.PUBLISHED
                created = min(at, now)
                yield (
                    picks[i].pk, title, vn_slugify(title), sapo, body,
                    "", "", "", "", rng.choice(PLACES), status, at,
                    True, 0, created, created,
                ) + (text.search_text(title, sapo_parts, body_parts) if search else ())  # fmt: skip

        self.write(Article, fields, rows(), total, "articles")
        ids = list(
            Article.objects.filter(section__in=sections).order_by("id").values_list("id", flat=True)
        )
        bylines = []
        for article_id in ids:
            chosen = rng.sample(authors, 2 if rng.random() < 0.2 else 1)
            bylines += [(article_id, a.pk, pos) for pos, a in enumerate(chosen)]
        self.write(
            Byline, ("article_id", "author_id", "position"), bylines, len(bylines), "bylines"
        )
        return list(
            Article.objects.filter(section__in=sections)
            .published()
            .order_by("id")
            .values_list("id", "published_at")
        )

    def check_search(self, sections, *, vector: bool) -> None:
        """One article against articles.search.search_fields() itself: a change there
        stops this command instead of leaving the bench with stale search data."""
        sample = Article.objects.filter(section__in=sections).order_by("id").first()
        if sample is None:
            return
        expected = search_fields(sample.title, sample.sapo, sample.body, postgres=vector)
        wanted = expected.pop("search_vector", None)
        stored = {name: getattr(sample, name) for name in expected}
        if wanted is not None:
            row = Article.objects.filter(pk=sample.pk).annotate(wanted=wanted)
            wanted, stored["search_vector"] = row.values_list("wanted", "search_vector").get()
            expected["search_vector"] = wanted
        if stored != expected:
            raise CommandError("Search data differs from articles.search.search_fields().")

    def load_comments(self, rng, text, total, published):
        if not published:
            return
        now = timezone.now()
        # Skewed: a random few articles draw many comments (weight ~ 1/rank^0.8).
        weights = [rank**-0.8 for rank in range(1, len(published) + 1)]
        rng.shuffle(weights)
        targets = rng.choices(published, weights=weights, k=total)
        # Exact shares: 1% pending, 1.5% rejected, 0.5% spam, the rest approved.
        S = Comment.Status
        statuses = [S.PENDING] * round(total * 0.01) + [S.REJECTED] * round(total * 0.015)
        statuses += [S.SPAM] * round(total * 0.005)
        statuses += [S.APPROVED] * (total - len(statuses))
        rng.shuffle(statuses)
        fields = (
            "article_id", "name", "email", "body", "body_hash", "status", "held_reason",
            "created_at", "ip_address", "user_agent", "moderated_at",
        )  # fmt: skip

        def rows():
            for (article_id, published_at), status in zip(targets, statuses, strict=True):
                age = (now - published_at).total_seconds()
                if status == S.PENDING:  # the queue holds what came in lately
                    delay = age - rng.uniform(0, min(age, 2 * 86400))
                else:  # most comments arrive in the first days
                    delay = min(age, rng.expovariate(1 / 86400))
                created = published_at + timedelta(seconds=delay)
                body, name = text.comment(), text.person()
                email = f"{vn_slugify(name).replace('-', '.')}@example.vn"
                # A carrier-grade NAT range, as on mobile networks.
                ip = f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                moderated = created + timedelta(minutes=rng.uniform(5, 600))
                yield (
                    article_id, name, email if rng.random() < 0.4 else "", body,
                    body_digest(body), status,
                    "Chứa liên kết quảng cáo" if status == S.SPAM else "", created, ip,
                    rng.choice(AGENTS), None if status == S.PENDING else moderated,
                )  # fmt: skip

        self.write(Comment, fields, rows(), total, "comments")

    def analyze(self) -> None:
        tables = [m._meta.db_table for m in (Section, Author, Article, Byline, Comment)]
        with connection.cursor() as cursor:
            if self.copy and not connection.in_atomic_block:
                # VACUUM too: a freshly loaded table has no visibility map, so
                # index-only scans would still visit the heap until autovacuum.
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
            else:
                for table in tables:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        self.log("tables analyzed")
