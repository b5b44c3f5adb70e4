from django.urls import path
from django.views.decorators.http import require_safe

from . import mail_views, views
from .feeds import ArticleCommentsFeed, LatestCommentsFeed

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:pk>/", views.comment_permalink, name="permalink"),
    path(
        "subscriptions/confirm/<str:token>/",
        mail_views.confirm_subscription,
        name="confirm_subscription",
    ),
    path("unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
    path("report/<int:pk>/", views.report_comment, name="report"),
    path("<int:pk>/edit/", views.edit_comment, name="edit"),
    path("<int:pk>/delete/", views.delete_comment, name="delete"),
    path("feed/", require_safe(LatestCommentsFeed()), name="feed"),
    path("feed/<int:article_id>/", require_safe(ArticleCommentsFeed()), name="article_feed"),
]
