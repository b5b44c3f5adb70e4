"""A refused comment: the reader lands at the form, told why, with everything typed kept."""

import re
import time

import pytest
from django.test import Client

from articles.models import Article
from comments.forms import issue_timestamp
from comments.models import Comment
from tests.comment_form import follow_refusal, read_comment_form
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, CommentFactory, UserFactory

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

    response = follow_refusal(
        client, client.post(f"/comments/post/{article.pk}/", comment_data(article, comment=TYPED))
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "Comments are closed on this article" in page
    assert TYPED in page
    assert page_title(response).startswith("Error:")


# A cookie missing (blocked, or cleared while the page was open).


def test_logged_in_comment_sent_without_its_cookie_comes_back_ready_to_post_again():
    """Readers with a session still need Django's token (newsroom/csrf.py)."""
    article = ArticleFactory(title="Bus lane opens")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory(username="maria", email="maria.okafor@readers.example"))
    data = comment_data(article, comment=TYPED)

    refused = follow_refusal(
        browser, browser.post(f"/comments/post/{article.pk}/", data, REMOTE_ADDR="203.0.113.7")
    )

    page = refused.content.decode()
    assert refused.status_code == 403
    assert "This form needs a cookie from this site" in error_summary(refused)
    assert page_title(refused).startswith("Error: Bus lane opens")
    assert 'class="site-header"' in page
    assert "CSRF verification failed" not in page and "DEBUG" not in page
    assert "csrftoken" in browser.cookies
    action, fields = read_comment_form(page)
    assert fields["comment"].removeprefix("\n") == TYPED
    assert fields["csrfmiddlewaretoken"]
    assert Comment.objects.count() == 0

    posted_again = browser.post(action, fields, REMOTE_ADDR="203.0.113.7")

    assert posted_again.status_code == 303
    assert Comment.objects.get().body == TYPED


def test_other_forms_sent_without_their_cookie_get_a_plain_page_in_the_site_design():
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post("/admin/login/", {"username": "editor", "password": "secret"})

    page = refused.content.decode()
    assert refused.status_code == 403
    assert "Your form was not sent" in page
    assert "this form needs a small cookie" in page
    assert 'class="site-header"' in page
    assert "CSRF verification failed" not in page and "DEBUG" not in page


# Preview.


def test_preview_shows_the_comment_as_it_will_appear_and_stores_nothing(post_comment, mailoutbox):
    article = ArticleFactory()

    response = post_comment(
        article, comment="Hello *there*\n\nSee www.example.com", preview="Preview"
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview of your comment" in page
    preview = page[page.index('<section class="comment-preview"') : page.index("</section>")]
    assert '<li id="comment-preview" class="comment depth-1 comment-awaiting">' in preview
    assert '<b class="comment-author">Maria Okafor</b>' in preview
    assert "<p>Hello *there*</p>" in preview
    assert '<p>See <a href="http://www.example.com" rel="nofollow ugc">www.example.com</a></p>' in (
        preview
    )
    assert "Your comment is awaiting moderation." in page
    _, fields = read_comment_form(page)
    # A browser drops the line break that opens a textarea.
    assert fields["comment"].removeprefix("\n") == "Hello *there*\n\nSee www.example.com"
    assert fields["name"] == "Maria Okafor"
    assert Comment.objects.count() == 0
    assert mailoutbox == []


def test_preview_spends_no_flood_slot(post_comment, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    article = ArticleFactory()

    post_comment(article, preview="Preview")
    response = post_comment(article)

    assert response.status_code == 303
    assert Comment.objects.count() == 1


def test_preview_of_a_form_with_errors_shows_the_errors(post_comment):
    response = post_comment(ArticleFactory(), email="maria@readers", preview="Preview")

    assert response.status_code == 400
    assert "Email: Enter a valid email address." in error_summary(response)
    assert "Preview of your comment" not in response.content.decode()


# Every way a comment can be turned away gives the reader their text back.


def _invalid_email(client, article, form):
    return {"email": "maria@readers"}


def _too_fast(client, article, form):
    return {"timestamp": issue_timestamp(article)}


def _stale_form(client, article, form):
    return {"timestamp": issue_timestamp(article, issued_at=time.time() - 2 * 24 * 60 * 60)}


def _duplicate(client, article, form):
    # Held, so not on the page: only the refusal can show the text.
    CommentFactory(
        article=article,
        author_email="maria.okafor@readers.example",
        body=TYPED,
        status=Comment.Status.PENDING,
    )
    return {}


def _flood(client, article, form):
    action, fields = form
    client.post(action, {**fields, "comment": "An earlier comment."}, REMOTE_ADDR="203.0.113.7")
    return {}


def _closed(client, article, form):
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    return {}


@pytest.mark.parametrize(
    "refuse",
    [
        _invalid_email,
        _too_fast,
        _stale_form,
        _duplicate,
        _flood,
        _closed,
    ],
    ids=lambda refuse: refuse.__name__.strip("_"),
)
def test_every_refused_comment_comes_back_with_its_text(refuse, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    action, fields = read_comment_form(browser.get(article.get_absolute_url()).content.decode())
    fields.update(comment_data(article, comment=TYPED))
    fields.update(refuse(browser, article, (action, fields)))

    response = browser.post(action, fields, REMOTE_ADDR="203.0.113.7", follow=True)

    assert TYPED in response.content.decode()
    assert Comment.objects.filter(body=TYPED).count() == (
        1 if refuse in (_duplicate, _too_fast) else 0
    )
