"""RSS of approved comments: site-wide, and per article.

Authors appear by name only: author_email is always None, so no address reaches a feed.
Comments on password-protected articles are left out, as the articles are.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.models import Article

from .models import Comment

FEED_LENGTH = 30


class LatestCommentsFeed(Feed):
    def title(self, obj=None):
        return f"Comments on {settings.SITE_NAME}"

    def link(self, obj=None):
        return reverse("articles:front")

    def description(self, obj=None):
        return f"The latest reader comments on {settings.SITE_NAME}."

    def comments(self):
        return (
            Comment.objects.approved()
            .filter(article__in=Article.objects.published().unprotected())
            .select_related("article")
            .only(
                "id",
                "author_name",
                "body_html",
                "submitted_at",
                "article__id",
                "article__title",
            )
            .order_by("-submitted_at", "-id")
        )

    def items(self, obj=None):
        return self.comments()[:FEED_LENGTH]

    def item_title(self, comment):
        return f"{comment.author_name} on “{comment.article.title}”"

    def item_description(self, comment):
        return comment.body_html

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_guid(self, comment):
        return self.item_link(comment)

    def item_pubdate(self, comment):
        return comment.submitted_at

    def item_author_name(self, comment):
        return comment.author_name

    def item_author_email(self, comment):
        return None


class ArticleCommentsFeed(LatestCommentsFeed):
    def get_object(self, request, article_id):
        return get_object_or_404(Article.objects.published().unprotected(), pk=article_id)

    def title(self, obj=None):
        return f"Comments on “{obj.title}”"

    def link(self, obj=None):
        return obj.get_absolute_url()

    def description(self, obj=None):
        return f"Reader comments on “{obj.title}”, {settings.SITE_NAME}."

    def items(self, obj=None):
        return self.comments().filter(article=obj)[:FEED_LENGTH]
