"""RSS 2.0 and Atom feeds of published articles: site-wide, per category, tag and author.

Password-protected articles are left out: a feed would carry their summary to anyone.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure

from .models import Article, Author, Category, Tag

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    description = "The latest articles."

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:front")

    def articles(self):
        return Article.objects.published().unprotected().with_bylines()

    def items(self):
        return self.articles()[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.standfirst

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    # Names only: the feed never carries an email address.
    def item_author_name(self, article):
        return article.byline or None

    def item_enclosures(self, article):
        """The featured image: an RSS <enclosure>, an Atom link rel="enclosure"."""
        if article.featured_image is None:
            return []
        shared = article.featured_image.rendition_for_sharing
        return [Enclosure(shared.url, str(shared.bytes), shared.mime_type)]

    def item_categories(self, article):
        return [article.category.name] if article.category else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, category):
        return f"{category.name} – {settings.SITE_NAME}"

    def link(self, category):
        return category.get_absolute_url()

    def description(self, category):
        return category.description or f"The latest articles in {category.name}."

    def items(self, category):
        return self.articles().filter(category=category)[:FEED_LENGTH]


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed

    def subtitle(self, category):
        return self.description(category)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{tag.name} – {settings.SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return f"The latest articles tagged {tag.name}."

    def items(self, tag):
        return self.articles().filter(tags=tag)[:FEED_LENGTH]


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed

    def subtitle(self, tag):
        return self.description(tag)


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return f"{author.name} – {settings.SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()

    def description(self, author):
        return f"The latest articles by {author.name}."

    def items(self, author):
        return self.articles().filter(authors=author)[:FEED_LENGTH]


class AuthorAtomFeed(AuthorFeed):
    feed_type = Atom1Feed

    def subtitle(self, author):
        return self.description(author)
