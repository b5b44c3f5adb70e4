import json
import re

import pytest

from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db


def _json_ld(page):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD on the page"
    return match.group(1)


def test_article_page_describes_itself_as_a_news_article(client, settings):
    settings.SITE_NAME = "The Larkspur Courier"
    article = ArticleFactory(
        title="Harbour wall repairs approved",
        authors=[AuthorFactory(name="Ann Ash"), AuthorFactory(name="Ben Birch")],
    )

    data = json.loads(_json_ld(client.get(article.get_absolute_url()).content.decode()))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour wall repairs approved"
    assert [author["name"] for author in data["author"]] == ["Ann Ash", "Ben Birch"]
    assert data["publisher"]["name"] == "The Larkspur Courier"
    assert data["url"] == f"http://testserver{article.get_absolute_url()}"
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert "dateModified" in data


def test_json_ld_cannot_be_broken_out_of_by_a_headline(client):
    article = ArticleFactory(title="</script><script>alert(1)</script> & <!-- more")

    page = client.get(article.get_absolute_url()).content.decode()
    raw = _json_ld(page)

    assert "</script><script>alert(1)" not in page
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert json.loads(raw)["headline"] == "</script><script>alert(1)</script> & <!-- more"


def test_json_ld_carries_no_email_address(client):
    author = AuthorFactory(name="Ann Ash", user=UserFactory(email="ann@staff.example"))
    article = ArticleFactory(authors=[author])

    page = client.get(article.get_absolute_url()).content.decode()

    assert "ann@staff.example" not in page
    assert "ann@staff.example" not in _json_ld(page)


def test_article_page_has_title_canonical_link_and_open_graph_tags(client, settings):
    settings.SITE_NAME = "The Larkspur Courier"
    article = ArticleFactory(title="Dunes retreat", standfirst="Volunteers measured it.")
    url = f"http://testserver{article.get_absolute_url()}"

    page = client.get(article.get_absolute_url()).content.decode()

    assert "<title>Dunes retreat – The Larkspur Courier</title>" in page
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Dunes retreat">' in page
    assert '<meta property="og:description" content="Volunteers measured it.">' in page
    assert '<meta property="og:site_name" content="The Larkspur Courier">' in page


def test_canonical_link_ignores_a_mistyped_date_by_redirecting_first(client):
    article = ArticleFactory(slug="dunes")

    response = client.get("/1999/01/01/dunes/", follow=True)

    assert response.redirect_chain == [(article.get_absolute_url(), 301)]


def test_listing_canonical_link_keeps_the_page_number_and_drops_other_parameters(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory.create_batch(2)

    first = client.get("/?utm_source=newsletter").content.decode()
    second = client.get("/?page=2&utm_source=newsletter").content.decode()

    assert '<link rel="canonical" href="http://testserver/">' in first
    assert '<link rel="canonical" href="http://testserver/?page=2">' in second
