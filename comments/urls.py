from django.urls import path

from . import report_views, trust_views, views

app_name = "comments"

urlpatterns = [
    path("<int:article_id>/", views.comment_list, name="list"),
    path("<int:article_id>/gui/", views.post_comment, name="post"),
    path("<int:article_id>/da-gui/", views.comment_posted, name="posted"),
    path("bao-vi-pham/<int:comment_id>/", report_views.report_comment, name="report"),
    path("tra-loi/<int:comment_id>/", views.reply_form, name="reply"),
    path("xac-nhan-email/<str:token>/", trust_views.confirm_email, name="confirm_email"),
]
