from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def load_demo_comments():
    out = StringIO()
    call_command("load_demo_comments", stdout=out)
    return out.getvalue()


def test_without_published_articles_nothing_is_added_and_it_says_so():
    output = load_demo_comments()

    assert "No published articles" in output
    assert not Comment.objects.exists()


def test_demo_comments_include_a_three_deep_thread_a_website_and_a_pending_one(client):
    article = ArticleFactory()

    load_demo_comments()

    comments = Comment.objects.filter(article=article)
    deepest = comments.filter(parent__parent__isnull=False).get()
    assert deepest.parent.parent.parent is None
    assert comments.exclude(author_url="").filter(status=Comment.Status.APPROVED).exists()
    pending = comments.get(status=Comment.Status.PENDING)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'id="comment-{deepest.pk}" class="comment depth-3' in html
    assert pending.body[:30] not in html
    assert "5 thoughts on" in html


def test_loading_demo_comments_twice_adds_nothing_the_second_time():
    ArticleFactory()
    ArticleFactory()
    load_demo_comments()
    count = Comment.objects.count()

    output = load_demo_comments()

    assert Comment.objects.count() == count
    assert "Added 0 demo comments" in output
