from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The anonymous page cache. It knows no model: content apps tell it what changed."""

    name = "pagecache"
    verbose_name = "Page cache"
