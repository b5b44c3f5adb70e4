"""A refused comment is shown at an address the browser reaches by GET (Post/Redirect/Get):
reloading it sends nothing again, and the page keeps everything typed."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from comments import unposted
from comments.models import Comment
from tests.comment_form import open_comment_form, read_comment_form
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

TYPED = "What I wrote about the new cycle lanes, at some length."
UNPOSTED = re.compile(r"\?unposted=([\w-]+)#respond$")


def refuse(client, article, **values):
    """Open the article's form in `client`, send it with `values`; the 303 answer."""
    action, fields = open_comment_form(client, article.get_absolute_url())
    data = {**fields, **comment_data(article, comment=TYPED), **values}
    return client.post(action, data, REMOTE_ADDR="203.0.113.7")


def shown_at(response):
    return response["Location"].partition("#")[0]


def test_a_refused_comment_is_sent_to_the_article_at_the_form(client):
    article = ArticleFactory()

    response = refuse(client, article, email="maria@readers")

    assert response.status_code == 303
    assert response["Location"].startswith(article.get_absolute_url())
    assert UNPOSTED.search(response["Location"])


def test_the_page_shows_what_was_typed_the_errors_and_the_refusals_status(client):
    article = ArticleFactory(title="Cycle lanes")

    page = client.get(shown_at(refuse(client, article, email="maria@readers")))

    html = page.content.decode()
    assert page.status_code == 400
    assert re.search(r"<title>\s*Error: Cycle lanes", html)
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in html
    _, fields = read_comment_form(html)
    assert fields["comment"].removeprefix("\n") == TYPED
    assert fields["email"] == "maria@readers"


def test_reloading_the_page_shows_it_again_and_posts_nothing(client, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    article = ArticleFactory()
    refuse(client, article, comment="An earlier comment.")
    flooded = refuse(client, article)

    first = client.get(shown_at(flooded))
    again = client.get(shown_at(flooded))

    assert (first.status_code, again.status_code) == (429, 429)
    assert first.content.decode().count(TYPED) == again.content.decode().count(TYPED) == 1
    assert "You are posting comments too quickly" in again.content.decode()
    assert list(Comment.objects.values_list("body", flat=True)) == ["An earlier comment."]


def test_the_page_is_never_stored_in_the_page_cache(client):
    article = ArticleFactory()

    page = client.get(shown_at(refuse(client, article, email="maria@readers")))

    assert page["X-Page-Cache"] == "bypass"
    assert "private" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_a_reply_refused_comes_back_under_the_comment_it_answers(client):
    article = ArticleFactory()
    parent = CommentFactory(article=article, author_name="Ana")

    page = client.get(shown_at(refuse(client, article, parent=str(parent.pk), email="x@")))

    html = page.content.decode()
    assert page.status_code == 400
    assert "Reply to Ana" in html
    assert html.index(f'id="comment-{parent.pk}"') < html.index('id="respond"')


def test_an_expired_token_shows_the_article_with_a_notice(client):
    article = ArticleFactory()
    location = shown_at(refuse(client, article, email="maria@readers"))
    cache.clear()

    page = client.get(location)

    assert page.status_code == 200
    assert "is no longer kept" in page.content.decode()
    assert TYPED not in page.content.decode()
    assert "Error:" not in re.search(r"<title>(.*?)</title>", page.content.decode(), re.S)[1]


@pytest.mark.parametrize("token", ["nonsense", "x" * 500, "%FF"])
def test_an_unknown_token_shows_the_article_with_a_notice(client, token):
    article = ArticleFactory()

    page = client.get(f"{article.get_absolute_url()}?unposted={token}")

    assert page.status_code == 200
    assert "is no longer kept" in page.content.decode()


def test_the_token_is_only_good_for_its_own_article(client):
    article, other = ArticleFactory(), ArticleFactory()
    token = UNPOSTED.search(refuse(client, article, email="maria@readers")["Location"])[1]

    page = client.get(f"{other.get_absolute_url()}?unposted={token}")

    assert page.status_code == 200
    assert TYPED not in page.content.decode()
    assert "is no longer kept" in page.content.decode()


def test_another_browser_is_shown_the_text_but_not_who_wrote_it(client):
    """The address may leave the browser (a shared history, a copied link); a browser that
    blocks cookies must not lose the text."""
    article = ArticleFactory()
    location = shown_at(refuse(client, article, email="maria@readers", name="Maria Q"))

    elsewhere = Client().get(location)

    assert elsewhere.status_code == 400
    assert TYPED in elsewhere.content.decode()
    assert "maria@readers" not in elsewhere.content.decode()
    assert "Maria Q" not in elsewhere.content.decode()
    assert "maria@readers" in client.get(location).content.decode()


def test_the_browser_cookie_is_sent_to_that_article_alone(client):
    article = ArticleFactory()

    response = refuse(client, article, email="maria@readers")

    cookie = response.cookies[unposted.BROWSER_COOKIE]
    assert cookie["path"] == article.get_absolute_url()
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == unposted.KEPT_FOR.total_seconds()


def test_when_the_cache_keeps_nothing_the_refusal_is_the_answer_to_the_post(client, monkeypatch):
    monkeypatch.setattr(unposted.cache, "add", lambda *args, **kwargs: False)
    article = ArticleFactory()

    response = refuse(client, article, email="maria@readers")

    assert response.status_code == 400
    assert TYPED in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()


def test_the_article_page_without_a_token_reads_no_cache_for_it(client, monkeypatch):
    looked_up = []
    monkeypatch.setattr(unposted, "_find", lambda *args: looked_up.append(args))
    article = ArticleFactory()

    client.get(article.get_absolute_url())

    assert looked_up == []
