from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from pagecache.middleware import cache_public_page

from . import feeds, views
from .sitemaps import TermSlugConverter, sitemaps


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02d}"


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):04d}"


register_converter(TwoDigitConverter, "dd")
register_converter(YearConverter, "yyyy")
register_converter(TermSlugConverter, "term")

app_name = "articles"

urlpatterns = [
    path("", cache_public_page(views.FrontPageView.as_view(), query={"page"}), name="front"),
    path(
        "<int:year>/<dd:month>/<dd:day>/<slug:slug>/",
        cache_public_page(views.article_detail, query={"cpage", "sort"}),
        name="detail",
    ),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    path(
        "category/<term:slug>/",
        cache_public_page(views.CategoryView.as_view(), query={"page"}),
        name="category",
    ),
    path("category/<term:slug>/feed/", require_safe(feeds.CategoryFeed()), name="category_feed"),
    path(
        "category/<term:slug>/feed/atom/",
        require_safe(feeds.CategoryAtomFeed()),
        name="category_atom",
    ),
    path(
        "tag/<term:slug>/",
        cache_public_page(views.TagView.as_view(), query={"page"}),
        name="tag",
    ),
    path("tag/<term:slug>/feed/", require_safe(feeds.TagFeed()), name="tag_feed"),
    path("tag/<term:slug>/feed/atom/", require_safe(feeds.TagAtomFeed()), name="tag_atom"),
    path("search/", views.search_page, name="search"),
    path("unlock/<int:pk>/", views.unlock_article, name="unlock"),
    path(
        "author/<term:slug>/",
        cache_public_page(views.AuthorView.as_view(), query={"page"}),
        name="author",
    ),
    path("author/<term:slug>/feed/", require_safe(feeds.AuthorFeed()), name="author_feed"),
    path(
        "author/<term:slug>/feed/atom/",
        require_safe(feeds.AuthorAtomFeed()),
        name="author_atom",
    ),
    path("archive/", cache_public_page(views.archive_index), name="archive"),
    path(
        "<yyyy:year>/",
        cache_public_page(views.YearArchive.as_view(), query={"page"}),
        name="archive_year",
    ),
    path(
        "<yyyy:year>/<dd:month>/",
        cache_public_page(views.MonthArchive.as_view(), query={"page"}),
        name="archive_month",
    ),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/",
        cache_public_page(views.DayArchive.as_view(), query={"page"}),
        name="archive_day",
    ),
    path("feed/", require_safe(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", require_safe(feeds.LatestArticlesAtomFeed()), name="atom"),
    # An index of the sections' sitemaps, each in pages (?p=N) of ranges of ids
    # (articles/sitemaps.py); search engines find it in robots.txt.
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": sitemaps, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(views.sitemap_page, query={"p"}),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path("robots.txt", require_safe(views.robots_txt), name="robots"),
]
