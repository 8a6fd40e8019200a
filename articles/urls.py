from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("tac-gia/<slug:slug>/", views.AuthorDetailView.as_view(), name="author"),
    path("xem-truoc/<int:pk>/", views.preview, name="preview"),
    path("<slug:section>/<slug:slug>-<int:pk>.html", views.article_detail, name="detail"),
    path("<slug:slug>/", views.SectionDetailView.as_view(), name="section"),
]
