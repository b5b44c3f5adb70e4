from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from pagecache.generation import new_release

        from . import search, signals

        signals.connect()
        search.connect()
        post_migrate.connect(new_release, sender=self, dispatch_uid="articles.new_release")
