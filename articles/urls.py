from django.urls import path

from portal.http import public_page

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("rss/", public_page(feeds.LatestArticlesFeed(), tags=views.LISTINGS), name="feed"),
    path(
        "rss/<slug:slug>/",
        public_page(feeds.SectionFeed(), tags=views.SECTION),
        name="section_feed",
    ),
    path(
        "tac-gia/<slug:slug>/rss/",
        public_page(feeds.AuthorFeed(), tags=views.AUTHOR),
        name="author_feed",
    ),
    path("the/<slug:slug>/", views.TagDetailView.as_view(), name="tag"),
    path("the/<slug:slug>/rss/", public_page(feeds.TagFeed(), tags=views.TAG), name="tag_feed"),
    path("luot-doc/<int:pk>/", views.count_view, name="count_view"),
    path("tac-gia/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("xem-truoc/<int:pk>/", views.preview, name="preview"),
    path("<slug:section>/<slug:slug>-<int:pk>.html", views.article_detail, name="detail"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
]
