from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_scheduled_articles():
    live = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(published_at=timezone.now() + timedelta(hours=1))

    assert list(Article.objects.published()) == [live]


def test_scheduled_article_becomes_visible_at_its_time_without_a_cron():
    soon = timezone.now() + timedelta(hours=1)
    article = ArticleFactory(published_at=soon)

    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.published(now=soon).filter(pk=article.pk).exists()


def test_script_in_an_editors_body_is_removed_on_save():
    article = ArticleFactory(body='<p>Hi</p><script>alert(1)</script><a href="javascript:x">y</a>')

    assert "<script" not in article.body
    assert "javascript:" not in article.body
    assert "<p>Hi</p>" in article.body
