"""The front page leads with the newest lead story editors marked, else the newest."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def lead_title(page):
    match = re.search(r'<h2 class="lead-title"><a href="[^"]*">([^<]*)</a>', page)
    return match and match.group(1)


def teaser_titles(page):
    return re.findall(r'<h2 class="teaser-title"><a href="[^"]*">([^<]*)</a>', page)


def test_without_a_marked_lead_the_newest_story_leads(client):
    ArticleFactory(title="Older", published_at=days_ago(2))
    ArticleFactory(title="Newest", standfirst="The whole town came.", published_at=days_ago(1))

    page = client.get("/").content.decode()

    assert lead_title(page) == "Newest"
    assert '<p class="lead-standfirst">The whole town came.</p>' in page
    assert teaser_titles(page) == ["Older"]


def test_the_newest_marked_lead_story_leads_and_is_not_listed_twice(client):
    ArticleFactory(title="Old lead", is_lead_story=True, published_at=days_ago(5))
    ArticleFactory(title="Marked lead", is_lead_story=True, published_at=days_ago(3))
    ArticleFactory(title="Newest", published_at=days_ago(1))

    page = client.get("/").content.decode()

    assert lead_title(page) == "Marked lead"
    assert teaser_titles(page) == ["Newest", "Old lead"]


def test_a_scheduled_or_draft_lead_story_does_not_lead(client):
    ArticleFactory(
        title="Scheduled", is_lead_story=True, published_at=timezone.now() + timedelta(1)
    )
    ArticleFactory(
        title="Draft", is_lead_story=True, status=Article.Status.DRAFT, published_at=None
    )
    ArticleFactory(title="Newest", published_at=days_ago(1))

    assert lead_title(client.get("/").content.decode()) == "Newest"


def test_later_pages_have_no_lead_and_keep_the_lead_story_out(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    ArticleFactory(title="Marked lead", is_lead_story=True, published_at=days_ago(9))
    for day in range(4):
        ArticleFactory(title=f"Story {day}", published_at=days_ago(day + 1))

    first = client.get("/").content.decode()
    second = client.get("/", {"page": 2}).content.decode()

    assert lead_title(first) == "Marked lead"
    assert teaser_titles(first) == ["Story 0", "Story 1"]
    assert lead_title(second) is None
    assert teaser_titles(second) == ["Story 2", "Story 3"]


def test_marking_a_lead_story_changes_the_front_page_at_once(client):
    older = ArticleFactory(title="Older", published_at=days_ago(2))
    ArticleFactory(title="Newest", published_at=days_ago(1))
    client.get("/")

    older.is_lead_story = True
    older.save()

    assert lead_title(client.get("/").content.decode()) == "Older"


def test_an_empty_front_page_says_so(client):
    assert "No news here yet." in client.get("/").content.decode()
