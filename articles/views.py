# Placeholder: the reader views are being written.
from django.http import HttpResponse
from django.views.generic import View


def home(request):
    return HttpResponse("")


def preview(request, pk):
    return HttpResponse("")


def article_detail(request, section, slug, pk):
    return HttpResponse("")


class AuthorDetailView(View):
    pass


class SectionDetailView(View):
    pass
