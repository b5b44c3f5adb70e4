"""Sections, tags and authors whose names have no Latin letters: the WordPress importer
gives them unicode slugs (slugify(name, allow_unicode=True)), and each has its pages."""

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def article():
    tag = TagFactory(name="東京", slug="東京")
    section = CategoryFactory(name="Новости", slug="новости")
    author = AuthorFactory(name="Σοφία", slug="σοφία")
    article = ArticleFactory(title="Harbour lights", category=section, authors=[author])
    article.tags.add(tag)
    return article


def test_an_article_with_unicode_terms_shows_and_links_them(client, article):
    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/tag/%E6%9D%B1%E4%BA%AC/"' in html
    assert 'href="/category/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/"' in html
    assert 'href="/author/%CF%83%CE%BF%CF%86%CE%AF%CE%B1/"' in html


@pytest.mark.parametrize(
    "name, slug",
    [("tag", "東京"), ("category", "новости"), ("author", "σοφία")],
)
def test_each_unicode_term_has_its_page_and_feeds(client, article, name, slug):
    page = client.get(reverse(f"articles:{name}", kwargs={"slug": slug}))
    assert page.status_code == 200
    assert "Harbour lights" in page.content.decode()
    feed_name = {"tag": "tag_feed", "category": "category_feed", "author": "author_feed"}[name]
    feed = client.get(reverse(f"articles:{feed_name}", kwargs={"slug": slug}))
    assert feed.status_code == 200
    assert "Harbour lights" in feed.content.decode()


def test_unicode_terms_are_in_the_sitemap(client, article):
    listed = set()
    for section in ("tags", "categories", "authors"):
        response = client.get(f"/sitemap-{section}.xml")
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)
        listed |= {loc.text for loc in root.iter(f"{SITEMAP}loc")}

    assert "http://testserver/tag/%E6%9D%B1%E4%BA%AC/" in listed
    assert "http://testserver/category/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/" in listed
    assert "http://testserver/author/%CF%83%CE%BF%CF%86%CE%AF%CE%B1/" in listed
