from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory


@pytest.fixture
def newsroom(db):
    """One author and one section holding a published, a scheduled and a draft article."""
    author = AuthorFactory(name="Mara Okafor", slug="mara-okafor", bio="Covers the town hall.")
    category = CategoryFactory(name="Town Hall", slug="town-hall")
    published = ArticleFactory(
        title="Harbour wall repairs approved",
        slug="harbour-wall",
        category=category,
        authors=[author],
        published_at=timezone.now() - timedelta(days=2),
    )
    scheduled = ArticleFactory(
        title="Festival programme announced",
        slug="festival-programme",
        category=category,
        authors=[author],
        published_at=timezone.now() + timedelta(days=3),
    )
    draft = ArticleFactory(
        title="Ferry timetable notes",
        slug="ferry-notes",
        category=category,
        authors=[author],
        status=Article.Status.DRAFT,
        published_at=None,
    )
    return {
        "author": author,
        "category": category,
        "published": published,
        "scheduled": scheduled,
        "draft": draft,
    }
