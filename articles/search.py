"""Search over published articles that understands Vietnamese written with or without accents.

Readers type ``dan van`` for ``Dân vận`` and ``duong`` for ``đường``, so both the
stored text and the query are folded the same way (``portal.text.fold``: accents
dropped, đ -> d, lower case) before they meet. ``search_articles(query)`` is the
only entry point, whatever the database:

- PostgreSQL: full-text search with the ``simple`` configuration (there is no
  Vietnamese dictionary; ``simple`` only lower-cases words) over the folded
  text, in ``Article.search_vector`` (weights: title A, sapo B, body C; a GIN
  index), ranked by ``ts_rank``. Folding in Python does what ``unaccent`` plus an
  explicit đ -> d mapping would do in the database, so no extension is needed
  for it. Only the newest RANKED_CANDIDATES matches are ranked, so a very
  common word costs the same as a rare one. When nothing matches, each word
  is replaced by the nearest known word (``SearchWord``, trigram similarity,
  ``pg_trgm`` created by the articles migrations, on PostgreSQL only) and the search
  runs again: ``dong thapp`` finds ``Đồng Tháp``.
- SQLite (development): every word must appear as a whole word in the folded
  title or text; ranked title above sapo above body.
"""

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.text import fold

from .models import Article, SearchWord

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SNIPPET_LENGTH = 220
# Ranking every match of a very common word costs time at 100,000 articles:
# the newest matches are ranked, which is what a news reader wants anyway.
RANKED_CANDIDATES = 500
NEAR_MISS_MAX_TERMS = 4
NEAR_MISS_SIMILARITY = 0.5  # how close a known word must be to stand in for a typo

WORD = re.compile(r"\w+")


@dataclass
class SearchResult:
    query: str
    terms: list[str] = field(default_factory=list)
    articles: object = ()  # a QuerySet, or an empty tuple when nothing was searched
    message: str = ""
    near_misses: bool = False  # the words did not match exactly; similar titles are shown
    capped: bool = False  # more matches than RANKED_CANDIDATES: the newest are ranked
    suggestion: str = ""  # the corrected words the near-misses were found with


_TAG = re.compile(r"<[^>]*>")


def body_text(body_html: str) -> str:
    """The readable text of an article body (sanitized on save, so tags are plain)."""
    return html.unescape(_TAG.sub(" ", body_html or ""))


def _flat(text: str) -> str:
    return " ".join(fold(text or "").split())


# Stored search data. An article row keeps three columns for search: the folded
# title (``search_title``), the folded sapo and body in one text, the sapo first
# and ended by _SAPO_END (``search_text``: SQLite ranks a word in the sapo above
# one in the body), and on PostgreSQL the weighted vector (``search_vector``).
# This module alone writes and reads that layout.
STORED_TEXT_FIELDS = ("search_title", "search_text")
_SAPO_END = "\n"  # never inside folded text: _flat leaves single spaces only
_TITLE_LENGTH = Article._meta.get_field("search_title").max_length

# The full-text formula: the folded title weighted A, sapo B, body C, with the
# ``simple`` configuration. SQL with three slots, so that a save, rebuild_search's
# pipelined updates and a bulk load's single UPDATE all compute the same vector.
_VECTOR_SQL = (
    "setweight(to_tsvector('simple', {title}), 'A')"
    " || setweight(to_tsvector('simple', {sapo}), 'B')"
    " || setweight(to_tsvector('simple', {body}), 'C')"
)


def vector_sql(title: str = "%s", sapo: str = "%s", body: str = "%s") -> str:
    """The formula over three SQL text expressions (query parameters by default)."""
    return _VECTOR_SQL.format(title=title, sapo=sapo, body=body)


def folded(title: str, sapo: str, body: str) -> tuple[str, str, str]:
    """An article's title, sapo and body text as search stores them: folded, one
    space between words."""
    return _flat(title), _flat(sapo), _flat(body_text(body))


def _columns(folded_title: str, folded_sapo: str, folded_body: str) -> tuple[dict, tuple]:
    """The stored text columns, and the parameters of ``vector_sql()`` that go with them."""
    title = folded_title[:_TITLE_LENGTH]
    text = {"search_title": title, "search_text": f"{folded_sapo}{_SAPO_END}{folded_body}"}
    return text, (title, folded_sapo, folded_body)


def stored_search_data(folded_title: str, folded_sapo: str, folded_body: str, *, postgres: bool):
    """The search columns of an article row, from text already folded as ``folded()``
    does (a bulk load folds its pooled sentences once, not every article)."""
    fields, vector_params = _columns(folded_title, folded_sapo, folded_body)
    if postgres:
        fields["search_vector"] = RawSQL(vector_sql(), vector_params, SearchVectorField())
    return fields


def search_fields(title: str, sapo: str, body: str, *, postgres: bool) -> dict:
    """The search columns of an article, name to value (the vector an SQL expression)."""
    return stored_search_data(*folded(title, sapo, body), postgres=postgres)


def stored_search_vector() -> RawSQL:
    """``search_vector`` worked out in the database from the row's own stored text,
    for a bulk load that fills every row in one UPDATE."""
    sapo = "split_part(search_text, %s, 1)"
    body = "substr(search_text, strpos(search_text, %s) + 1)"
    return RawSQL(
        vector_sql("search_title", sapo, body), (_SAPO_END, _SAPO_END), SearchVectorField()
    )


def store_search_data(articles) -> None:
    """Fill the search columns of ``articles``, ``(pk, title, sapo, body)`` rows.

    One statement per row, sent in a pipeline: bulk_update's CASE over hundreds
    of vectors takes quadratic time, and one ORM update per row three times as long.
    """
    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(Article._meta.db_table)
    vector = f", search_vector = {vector_sql()}" if postgres else ""
    sql = f"UPDATE {table} SET search_title = %s, search_text = %s{vector} WHERE id = %s"
    params = []
    for pk, title, sapo, body in articles:
        text, vector_params = _columns(*folded(title, sapo, body))
        vector_values = vector_params if postgres else ()
        params.append((text["search_title"], text["search_text"], *vector_values, pk))
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


# A one-letter word corrects nothing; SearchWord holds words up to its column's length.
_WORD_LENGTHS = range(2, SearchWord._meta.get_field("word").max_length + 1)


def remember_words(*folded_texts: str) -> None:
    """Every word of ``folded_texts`` into ``SearchWord``: what a typo is corrected to."""
    words = {w for text in folded_texts for w in WORD.findall(text) if len(w) in _WORD_LENGTHS}
    SearchWord.objects.bulk_create(
        [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True
    )


def query_terms(query: str) -> list[str]:
    """The distinct folded words of a query, at most MAX_TERMS of them."""
    terms = []
    for word in WORD.findall(fold(query)):
        word = word.strip("_")
        if word and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def search_articles(query: str) -> SearchResult:
    """Published articles matching every word of ``query``, best first."""
    query = " ".join((query or "").split())
    result = SearchResult(query=query)
    if not query:
        result.message = "Hãy nhập từ khóa để tìm bài viết."
        return result
    if len(query) > MAX_QUERY_LENGTH:
        result.message = f"Từ khóa quá dài: hãy nhập tối đa {MAX_QUERY_LENGTH} ký tự."
        return result
    result.terms = query_terms(query)
    if not result.terms:
        result.message = "Từ khóa cần có chữ hoặc số. Hãy thử lại."
        return result

    published = Article.objects.published().for_listing("body")
    if connection.vendor == "postgresql":
        result.articles = _postgres_search(published, result)
    else:
        result.articles = _folded_match(published, result.terms)
    return result


def _postgres_search(published, result):
    ids, query = _postgres_match(published, result.terms)
    if not ids and len(result.terms) <= NEAR_MISS_MAX_TERMS:
        corrected = _nearest_words(result.terms)
        if corrected != result.terms:
            result.near_misses, result.suggestion = True, " ".join(corrected)
            result.terms = corrected  # what was searched, and what gets highlighted
            ids, query = _postgres_match(published, corrected)
    result.capped = len(ids) == RANKED_CANDIDATES
    articles = published.filter(pk__in=ids).annotate(rank=SearchRank(F("search_vector"), query))
    return _Counted(articles.order_by("-rank", "-published_at", "-id"), len(ids))


def _postgres_match(published, terms):
    # Matching ids first, in one query, at most RANKED_CANDIDATES of the newest:
    # the count and the page then work on that short list of ids.
    query = SearchQuery(" ".join(terms), search_type="plain", config="simple")
    ids = list(
        published.filter(search_vector=query)
        .order_by("-published_at")
        .values_list("pk", flat=True)[:RANKED_CANDIDATES]
    )
    return ids, query


def _nearest_words(terms):
    """Each word, or the known word nearest to it by trigram similarity (a typo's fix)."""
    corrected = []
    for term in terms:
        nearest = (
            SearchWord.objects.filter(word__trigram_similar=term)
            .annotate(similarity=TrigramSimilarity("word", term))
            .order_by("-similarity", "word")
            .values_list("word", "similarity")
            .first()
        )
        good = nearest and (nearest[0] == term or nearest[1] >= NEAR_MISS_SIMILARITY)
        corrected.append(nearest[0] if good else term)
    return corrected


class _Counted:
    """A queryset whose length is already known: the paginator need not count it again."""

    def __init__(self, queryset, count):
        self.queryset, self._count = queryset, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def _folded_match(published, terms):
    # The stored text is folded and lower case: a word-boundary regex on it is
    # accent- and case-insensitive. Title counts 4, sapo 2, body 1 per word.
    articles = published
    rank = Value(0)
    for term in terms:
        word = rf"\b{re.escape(term)}\b"
        articles = articles.filter(Q(search_title__regex=word) | Q(search_text__regex=word))
        rank = rank + Case(
            When(search_title__regex=word, then=Value(4)),
            When(search_text__regex=rf"^[^{_SAPO_END}]*{word}", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return articles.annotate(rank=rank).order_by("-rank", "-published_at", "-id")


# Highlighting


_fold_char = lru_cache(maxsize=4096)(fold)


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` and, for each of its characters, the index it came from."""
    folded, origin = [], []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        folded.append(f)
        origin.extend([i] * len(f))
    return "".join(folded), origin


def _matches(text: str, terms: list[str]) -> list[tuple[int, int]]:
    if not terms:
        return []
    folded, origin = _folded_with_positions(text)
    words = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{words})\b")
    spans = []
    for m in pattern.finditer(folded):
        start, end = origin[m.start()], origin[m.end() - 1] + 1
        if spans and not text[spans[-1][1] : start].strip():
            start = spans.pop()[0]  # "Dân vận" in one mark, not two
        spans.append((start, end))
    return spans


def _marked(text: str, spans, start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(text[pos:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, terms: list[str]) -> SafeString:
    """``text`` escaped, the query's words (with or without accents) in ``<mark>``."""
    text = text or ""
    return mark_safe(_marked(text, _matches(text, terms), 0, len(text)))


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> SafeString:
    """A short escaped excerpt of ``text`` around the first matched word, highlighted."""
    text = " ".join((text or "")[:8000].split())
    spans = _matches(text, terms)
    start = 0
    if spans and spans[0][1] > length:
        start = max(0, spans[0][0] - length // 3)
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > max(start, spans[0][1] if spans else start) else end
    html_text = _marked(text, spans, start, end)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{html_text}{suffix}")


def remember_all_words(conn) -> None:
    """Every word of every article's search vector into ``SearchWord`` (PostgreSQL)."""
    with conn.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_searchword (word) "
            "SELECT word FROM ts_stat('SELECT search_vector FROM articles_article') "
            "WHERE length(word) BETWEEN %s AND %s "
            "ON CONFLICT (word) DO NOTHING",
            [_WORD_LENGTHS.start, _WORD_LENGTHS.stop - 1],
        )
