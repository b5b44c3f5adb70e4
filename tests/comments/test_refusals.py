"""A refused comment: the reader lands at the form, told why, with everything typed kept."""

import re

import pytest

from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TYPED = "A comment I spent a while on, about the bus lane on Mill Road."


def page_title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def error_summary(response):
    found = re.search(
        r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', response.content.decode(), re.S
    )
    assert found, "no error summary on the page"
    return found.group(1)


def test_refused_post_has_an_error_summary_linking_each_message_to_its_field(post_comment):
    response = post_comment(ArticleFactory(), email="maria@readers", name="", comment=TYPED)

    summary = error_summary(response)
    assert response.status_code == 400
    assert '<a href="#id_email">Email: Enter a valid email address.</a>' in summary
    assert '<a href="#id_name">Name: Please give your name.</a>' in summary
    assert TYPED in response.content.decode()


def test_refused_post_page_title_starts_with_error(post_comment):
    article = ArticleFactory(title="Bus lane opens")

    response = post_comment(article, email="maria@readers")

    assert page_title(response).startswith("Error: Bus lane opens")


def test_a_comment_refused_by_flood_control_is_summed_up_at_the_form(post_comment):
    article = ArticleFactory()
    post_comment(article)

    response = post_comment(article, comment=TYPED)

    assert response.status_code == 429
    assert "You are posting comments too quickly. Slow down." in error_summary(response)
    assert page_title(response).startswith("Error:")


def test_the_article_page_title_has_no_error(client):
    article = ArticleFactory(title="Bus lane opens")

    assert page_title(client.get(article.get_absolute_url())).startswith("Bus lane opens")


def test_the_form_is_sent_to_an_address_that_lands_at_the_form(client):
    article = ArticleFactory()

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'action="/comments/post/{article.pk}/#respond"' in page


def test_a_comment_sent_to_closed_comments_is_shown_back_to_keep(client):
    article = ArticleFactory(comments_open=False)

    response = client.post(f"/comments/post/{article.pk}/", comment_data(article, comment=TYPED))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Comments are closed on this article" in page
    assert TYPED in page
    assert page_title(response).startswith("Error:")
