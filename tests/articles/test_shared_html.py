"""Readers the page cache does not serve share the rendered article (articles/fragments.py);
what they see still changes the moment the article, its authors or its section do."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def reader_with_cookies(**client_options):
    reader = Client(**client_options)
    reader.cookies["comment_author"] = "saved details"  # never served from the page cache
    return reader


@pytest.fixture
def article():
    return ArticleFactory(
        title="Ferry fares frozen",
        body="<p>The council froze ferry fares for a year.</p>",
        category=CategoryFactory(name="Transport"),
        authors=[AuthorFactory(name="Ann Ash"), AuthorFactory(name="Ben Birch")],
    )


def test_once_rendered_the_article_costs_one_query(article):
    reader = reader_with_cookies()
    reader.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        page = reader.get(article.get_absolute_url()).text

    # The article's own row, to know it is still published: bylines, section, navigation
    # and comments come rendered.
    assert len(queries) == 1
    assert "By <a" in page and "Ann Ash" in page and "Ben Birch" in page
    assert "The council froze ferry fares for a year." in page
    assert ">Transport</a></p>" in page


def test_an_edit_shows_on_the_next_view(article):
    reader = reader_with_cookies()
    reader.get(article.get_absolute_url())

    article.body = "<p>Fares rise by 2 % in April.</p>"
    article.save()

    page = reader.get(article.get_absolute_url()).text
    assert "Fares rise by 2 % in April." in page
    assert "froze ferry fares" not in page


def test_a_renamed_author_or_section_shows_on_the_next_view(article):
    reader = reader_with_cookies()
    reader.get(article.get_absolute_url())

    author = article.byline_authors[0]
    author.name = "Ann Ash-Morgan"
    author.save()
    article.category.name = "Travel"
    article.category.save()

    page = reader.get(article.get_absolute_url()).text
    assert "Ann Ash-Morgan" in page
    assert ">Travel</a></p>" in page


def test_each_host_gets_its_own_canonical_address(article):
    path = article.get_absolute_url()

    first = reader_with_cookies(HTTP_HOST="localhost").get(path).text
    second = reader_with_cookies(HTTP_HOST="127.0.0.1").get(path).text

    assert f'<link rel="canonical" href="http://localhost{path}">' in first
    assert f'<link rel="canonical" href="http://127.0.0.1{path}">' in second


def test_a_preview_is_never_shared_with_readers(article):
    editor = Client()
    editor.force_login(UserFactory(is_staff=True))
    preview = editor.get(reverse("articles:preview", kwargs={"pk": article.pk})).text
    assert "preview-banner" in preview

    page = reader_with_cookies().get(article.get_absolute_url()).text

    assert "preview-banner" not in page
    assert "noindex" not in page
    assert "Ferry fares frozen" in page


def test_a_reader_never_gets_an_editors_preview_from_a_readers_rendering(article):
    reader_with_cookies().get(article.get_absolute_url())
    editor = Client()
    editor.force_login(UserFactory(is_staff=True))

    preview = editor.get(reverse("articles:preview", kwargs={"pk": article.pk})).text

    assert "preview-banner" in preview
    assert '<meta name="robots" content="noindex, nofollow">' in preview
