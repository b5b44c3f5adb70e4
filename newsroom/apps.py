from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    default_site = "newsroom.admin.NewsroomAdminSite"


class NewsroomConfig(AppConfig):
    """The project itself: the page cache's invalidation signals live here."""

    name = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import page_cache

        page_cache.connect_invalidation_signals()
