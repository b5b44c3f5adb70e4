from django.contrib.sitemaps import Sitemap

from .models import Article, Author, Category


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("-published_at", "-id")

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


sitemaps = {"articles": ArticleSitemap, "categories": CategorySitemap, "authors": AuthorSitemap}
