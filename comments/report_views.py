"""The reader's report endpoint (Báo vi phạm): the form (GET) and the report (POST).

Like the other comment endpoints (comments/views.py), it answers comments.js
(``X-Requested-With: fetch``) with a fragment or JSON it shows in place, and a
reader without JavaScript with a page of its own.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from articles.models import Article
from portal.http import client_ip

from . import reporting
from .models import MAX_REPORT_NOTE_CHARS, Comment, ReportReason
from .views import allow_methods, finish, from_script

THANKS_MESSAGE = "Cảm ơn bạn. Ban biên tập sẽ xem xét ý kiến này."

_STATUS = {
    reporting.ReportRefused.INVALID: 400,
    reporting.ReportRefused.DUPLICATE: 409,
    reporting.ReportRefused.RATE_LIMITED: 429,
}


def _reportable(comment_id: int) -> Comment:
    # What readers can see: approved, under a published article; anything else
    # is answered as a comment that does not exist.
    return get_object_or_404(
        Comment.objects.filter(
            status=Comment.Status.APPROVED, article__in=Article.objects.published()
        ).select_related("article"),
        pk=comment_id,
    )


def _form(
    request: HttpRequest,
    comment: Comment,
    *,
    message: str = "",
    reason: str = "",
    note: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "comment": comment,
        "article": comment.article,
        "reasons": ReportReason.choices,
        "chosen": reason,
        "note": note,
        "max_note": MAX_REPORT_NOTE_CHARS,
        "message": message,
    }
    if from_script(request):
        context["csrf_token"] = get_token(request)
        html = render_to_string("comments/_report_form.html", context)
        response = HttpResponse(html, status=status)
        # Read by fetch() into a page that has its own policy (as comments:list).
        response._csp_exempt = True
        return finish(request, response)
    response = render(request, "comments/comment_report.html", context, status=status)
    return finish(request, response)


@allow_methods("GET", "HEAD", "POST")
def report_comment(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: the report form; POST reason (and note): store the reader's report (201 for the
    script, else a page); 404 for a comment readers cannot see."""
    comment = _reportable(comment_id)
    if request.method != "POST":
        return _form(request, comment)

    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")
    try:
        reporting.report_comment(
            comment=comment, reason=reason, note=note, ip_address=client_ip(request)
        )
    except reporting.ReportRefused as refused:
        if refused.code == reporting.ReportRefused.NOT_APPROVED:
            # Hidden or decided since the form was opened.
            status = 404
        else:
            status = _STATUS[refused.code]
        if from_script(request):
            response = JsonResponse(
                {"message": refused.message},
                status=status,
                json_dumps_params={"ensure_ascii": False},
            )
            response = finish(request, response)
        else:
            response = _form(
                request, comment, message=refused.message, reason=reason, note=note, status=status
            )
        if refused.retry_after is not None:
            response["Retry-After"] = str(refused.retry_after)
        return response

    if from_script(request):
        response = JsonResponse(
            {"message": THANKS_MESSAGE}, status=201, json_dumps_params={"ensure_ascii": False}
        )
        return finish(request, response)
    response = render(
        request,
        "comments/comment_reported.html",
        {"article": comment.article, "message": THANKS_MESSAGE},
    )
    return finish(request, response)
