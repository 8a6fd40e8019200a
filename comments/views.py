"""Reader endpoints: the comment list (with the posting form), the reply page and posting.

They answer comments.js (``X-Requested-With: fetch``) with something it shows
inline, and a reader without JavaScript with a full page, so the plain form and
the links work on their own. Every refusal is a 4xx with a Vietnamese message.
The form carries no CSRF token: the article page that shows it is the same for
every anonymous reader, and posting is guarded by ``same_origin_only``
(docs/security.md, "CSRF").
"""

import re
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from articles.models import Article
from portal.http import client_ip, public_page, same_origin_only
from portal.text import char_count

from . import fragments, services, throttle
from .forms import CommentForm
from .models import Comment

PENDING_MESSAGE = "Ý kiến của bạn đang chờ duyệt"
PUBLISHED_MESSAGE = "Ý kiến của bạn đã được đăng."
INVALID_MESSAGE = "Ý kiến chưa gửi được, hãy xem lại các ô được đánh dấu."
RATE_LIMITED_MESSAGE = (
    "Bạn đã gửi nhiều ý kiến trong thời gian ngắn. Hãy thử lại sau ít phút; "
    "nội dung bạn viết vẫn được giữ nguyên."
)
METHOD_MESSAGE = "Địa chỉ này không nhận yêu cầu {method}."

# Pages beyond this are refused before any arithmetic reaches the database.
MAX_PAGE = 10_000
_PAGE = re.compile(r"[0-9]{1,5}")
_ID = re.compile(r"[0-9]{1,18}")
# comments:posted?da-dang=<id>: the comment just posted is published.
PUBLISHED_QUERY = "da-dang"

# What the views show of an article; its body stays in the database.
_ARTICLE_FIELDS = (
    "id",
    "title",
    "slug",
    "status",
    "published_at",
    "comments_open",
    "comment_count",
    "section",
    "section__id",
    "section__slug",
)


def allow_methods(*methods: str):
    """Like Django's require_http_methods, but the 405 says why, in Vietnamese."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                message = METHOD_MESSAGE.format(method=request.method)
                return HttpResponseNotAllowed(
                    methods, message, content_type="text/plain; charset=utf-8"
                )
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def is_script(requested_with: str | None) -> bool:
    """Whether an ``X-Requested-With`` value is comments.js's (or another script's)."""
    return requested_with in {"fetch", "XMLHttpRequest"}


def from_script(request: HttpRequest) -> bool:
    return is_script(request.headers.get("X-Requested-With"))


def _articles():
    # Published ones only: a draft or a scheduled id is answered as one that
    # does not exist (a 403 would tell its title, and that it is there).
    return Article.objects.published().select_related("section").only(*_ARTICLE_FIELDS)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("trang", "1")
    if not _PAGE.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        raise Http404("Trang ý kiến không tồn tại.")
    return int(raw)


def finish(request: HttpRequest, response: HttpResponse, *, shared: bool = False) -> HttpResponse:
    # The same URL answers the script and a plain browser differently. The
    # answer may carry what one reader typed or a per-reader CSRF token (the
    # report form): never shared by any cache, unless ``shared`` (the list,
    # the same for every reader: a public page).
    patch_vary_headers(response, ["X-Requested-With"])
    if not shared:
        add_never_cache_headers(response)
    return response


def block_context(
    article: Article,
    *,
    list_html: str | None = None,
    form: CommentForm | None = None,
    parent: Comment | None = None,
    message: str = "",
) -> dict:
    """What the comments block shows: the count, the form (with what was typed, and
    the comment it answers) or the notice that the article takes no comments,
    and ``list_html``, the first page of the list unless given."""
    if list_html is None:
        list_html = fragments.list_html(article=article, page=1) or ""
    body = form.data.get("body", "") if form is not None else ""
    return {
        "article": article,
        "form": form,
        "parent": parent,
        "list_html": list_html,
        "message": message,
        "can_post": services.accepts_comments(article),
        "closed_message": services.CLOSED_MESSAGE,
        "body_count": char_count(body),
    }


def _block(
    request: HttpRequest,
    article: Article,
    *,
    form: CommentForm | None = None,
    list_html: str | None = None,
    message: str = "",
    status: int = 200,
    shared: bool = False,
) -> HttpResponse:
    """The comments block: a fragment for the script, a full page otherwise;
    ``shared``: the same for every reader (no form coming back to one)."""
    context = block_context(article, list_html=list_html, form=form, message=message)
    if not from_script(request):
        response = render(request, "comments/comment_list.html", context, status=status)
        return finish(request, response, shared=shared)
    # No context processors: the fragment shows none of what they add.
    html = render_to_string("comments/_fragment.html", context)
    response = HttpResponse(html, status=status)
    # Read by fetch() into a page that has its own policy: a policy on the
    # fragment itself would govern nothing (only documents apply one).
    response._csp_exempt = True
    return finish(request, response, shared=shared)


def _reply_page(
    request: HttpRequest,
    article: Article,
    parent: Comment,
    *,
    form: CommentForm | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    context = block_context(article, list_html="", form=form, parent=parent, message=message)
    return finish(request, render(request, "comments/comment_reply.html", context, status=status))


def _replying_to(article: Article, form: CommentForm | None) -> Comment | None:
    """The comment a posted form answers, if readers can still answer it."""
    if form is None or form.errors.get("parent") or not form.cleaned_data.get("parent"):
        return None
    answerable = services.answerable_comments().filter(article_id=article.pk)
    return answerable.filter(pk=form.cleaned_data["parent"]).first()


def _refusal(
    request: HttpRequest,
    article: Article,
    message: str,
    *,
    status: int,
    form: CommentForm | None = None,
    errors: dict | None = None,
) -> HttpResponse:
    if from_script(request):
        payload = {"message": message, "errors": errors or {}}
        response = JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})
        return finish(request, response)
    # The plain form comes back with what was typed: under the comment it
    # answers, or on the comments page (as a comment of its own when the
    # comment answered is no longer shown).
    parent = _replying_to(article, form)
    if parent is not None:
        return _reply_page(request, article, parent, form=form, message=message, status=status)
    return _block(request, article, form=form, message=message, status=status)


@allow_methods("GET", "HEAD")
@public_page(
    query={"trang": int},
    tags=("articles:{article_id}",),
    headers={"X-Requested-With": is_script},
)
def comment_list(request: HttpRequest, article_id: int) -> HttpResponse:
    """Approved comments of a published article, newest first, and the posting form:
    the same for every reader, kept by the page cache (one copy for comments.js,
    one for a plain browser) and retired with the article's page by a decision."""
    article, list_html = fragments.article_and_list(
        article_id=article_id,
        page=_page_number(request),
        load_article=lambda: get_object_or_404(_articles(), pk=article_id),
    )
    if list_html is None:
        raise Http404("Trang ý kiến không tồn tại.")
    return _block(request, article, list_html=list_html, shared=True)


@allow_methods("GET", "HEAD")
def reply_form(request: HttpRequest, comment_id: int) -> HttpResponse:
    """An approved comment and the form to answer it (Trả lời), for readers without the script."""
    parent = get_object_or_404(
        services.answerable_comments().only("id", "article_id", "name", "body", "created_at"),
        pk=comment_id,
    )
    article = get_object_or_404(_articles(), pk=parent.article_id)
    return _reply_page(request, article, parent)


@same_origin_only
@allow_methods("POST")
def post_comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """POST name, email, body (and parent, to reply): store the comment, pending unless
    its commenter is trusted (201 for the script, else 303 to comments:posted)."""
    article = get_object_or_404(_articles(), pk=article_id)
    if not services.accepts_comments(article):
        return _refusal(request, article, services.CLOSED_MESSAGE, status=403)

    form = CommentForm(request.POST)
    slot = throttle.take_slot(request)
    if slot.retry_after is not None:
        response = _refusal(request, article, RATE_LIMITED_MESSAGE, status=429, form=form)
        response["Retry-After"] = str(slot.retry_after)
        return response
    if not form.is_valid():
        slot.give_back()
        return _invalid(request, article, form)

    try:
        comment = services.post_comment(
            article=article,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            body=form.cleaned_data["body"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            honeypot=form.cleaned_data["website"],
            parent_id=form.cleaned_data["parent"],
        )
    except services.CommentRefused as refused:
        slot.give_back()
        if refused.code == services.CommentRefused.CLOSED:
            return _refusal(request, article, refused.message, status=403)
        return _invalid(request, article, form, message=refused.message)
    except ValidationError as error:
        slot.give_back()
        return _invalid(request, article, form, message=" ".join(error.messages))
    return _posted(request, article, comment)


def _posted(request: HttpRequest, article: Article, comment: Comment) -> HttpResponse:
    # A bot that filled the honeypot is told the same as everyone: it learns nothing.
    published = comment.status == Comment.Status.APPROVED
    if from_script(request):
        payload = {"message": PUBLISHED_MESSAGE if published else PENDING_MESSAGE}
        if published:
            payload["published"] = comment.pk
        response = JsonResponse(payload, status=201, json_dumps_params={"ensure_ascii": False})
        return finish(request, response)
    url = reverse("comments:posted", args=[article.pk])
    if published:
        url += f"?{PUBLISHED_QUERY}={comment.pk}"
    # 303: the browser follows with a GET, so reloading the next page never posts again.
    response = redirect(url)
    response.status_code = 303
    return finish(request, response)


def _invalid(
    request: HttpRequest, article: Article, form: CommentForm, *, message: str = INVALID_MESSAGE
) -> HttpResponse:
    errors = {
        field: [error["message"] for error in field_errors]
        for field, field_errors in form.errors.get_json_data().items()
    }
    return _refusal(request, article, message, status=400, form=form, errors=errors)


@allow_methods("GET", "HEAD")
def comment_posted(request: HttpRequest, article_id: int) -> HttpResponse:
    """Where the plain form lands after posting: the comment awaits moderation, or
    (``?da-dang=<id>``, a comment readers see) it is published."""
    article = get_object_or_404(_articles(), pk=article_id)
    shown = None
    raw = request.GET.get(PUBLISHED_QUERY, "")
    if _ID.fullmatch(raw):
        shown = services.visible_to_readers(Comment.objects.filter(article_id=article.pk))
        shown = shown.filter(pk=int(raw)).only("id").first()
    context = {
        "article": article,
        "shown": shown,
        "message": PUBLISHED_MESSAGE if shown else PENDING_MESSAGE,
    }
    return render(request, "comments/comment_posted.html", context)
