# Placeholder: the comment endpoints are being written.
from django.http import HttpResponse


def comment_list(request, article_id):
    return HttpResponse("")


def post_comment(request, article_id):
    return HttpResponse("")
