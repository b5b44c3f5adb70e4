from django.contrib.sitemaps import Sitemap

from .models import Article, Author, Category, Page, Tag


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # A protected article's page is its password form: nothing to index.
        return Article.objects.published().unprotected().order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.filter(articles__in=Article.objects.published()).distinct()


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct()


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Tag.objects.filter(articles__in=Article.objects.published()).distinct()


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().only("path", "updated_at")

    def lastmod(self, page):
        return page.updated_at


sitemaps = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
