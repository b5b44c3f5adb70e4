"""Articles tell the page cache when what readers see of them changes."""

import django.dispatch
from django.db.models.signals import m2m_changed, post_delete, post_save

from pagecache.generation import after_changes, content_changed, schedule_changes

# Sent by ArticleQuerySet.publish() and unpublish(), whose UPDATE sends no model signal.
publication_changed = django.dispatch.Signal()


def remember_go_live_times():
    """Pages end when the next scheduled article goes live, so it shows on time."""
    from .models import Article

    upcoming = Article.objects.scheduled().order_by("published_at")
    moments = upcoming.values_list("published_at", flat=True)[:50]
    schedule_changes(moment.timestamp() for moment in moments)


def article_changed(sender, **kwargs):
    content_changed()
    after_changes(remember_go_live_times)


def article_relations_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed()


def shown_with_articles_changed(sender, **kwargs):
    """An author, section or tag: shown on article pages and listings."""
    content_changed()


def image_deleted(sender, instance, **kwargs):
    """An image's files go with its row, once the deletion is committed (a rolled-back
    delete keeps them)."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    names = instance.all_file_names()

    def delete_files():
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    content_changed()


def page_changed(sender, **kwargs):
    """A static page: its own address, and the sitemap."""
    content_changed()


def connect():
    from .models import Article, ArticleAuthor, Author, Category, Image, Page, Tag

    post_save.connect(page_changed, sender=Page, dispatch_uid="articles.page_saved")
    post_delete.connect(page_changed, sender=Page, dispatch_uid="articles.page_deleted")

    # An image's alt text, caption or credit shows wherever it is featured.
    post_save.connect(
        shown_with_articles_changed, sender=Image, dispatch_uid="articles.image_saved"
    )
    post_delete.connect(image_deleted, sender=Image, dispatch_uid="articles.image_deleted")

    post_save.connect(article_changed, sender=Article, dispatch_uid="articles.article_saved")
    post_delete.connect(article_changed, sender=Article, dispatch_uid="articles.article_deleted")
    publication_changed.connect(article_changed, dispatch_uid="articles.publication_changed")
    for model in (ArticleAuthor, Author, Category, Tag):
        name = model._meta.model_name
        post_save.connect(
            shown_with_articles_changed, sender=model, dispatch_uid=f"articles.{name}_saved"
        )
        post_delete.connect(
            shown_with_articles_changed, sender=model, dispatch_uid=f"articles.{name}_deleted"
        )
    for relation in (Article.authors, Article.tags):
        m2m_changed.connect(
            article_relations_changed,
            sender=relation.through,
            dispatch_uid=f"articles.{relation.field.name}_changed",
        )
