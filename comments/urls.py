from django.urls import path

from . import views
from .feeds import ArticleCommentsFeed, LatestCommentsFeed

app_name = "comments"

urlpatterns = [
    path("post/<int:article_id>/", views.post_comment, name="post"),
    path("<int:pk>/", views.comment_permalink, name="permalink"),
    path("feed/", LatestCommentsFeed(), name="feed"),
    path("feed/<int:article_id>/", ArticleCommentsFeed(), name="article_feed"),
]
