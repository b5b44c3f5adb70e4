"""Password-protected articles: the headline and a form for everyone, the article for
those who entered the password, and nothing of it anywhere else."""

import pytest
from django.test import Client
from django.urls import reverse

from articles import protection
from comments.models import Comment
from tests.comment_form import post_comment
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

BODY = "<p>The minutes of the closed session.</p>"


@pytest.fixture
def protected():
    return ArticleFactory(
        title="Closed session minutes",
        slug="closed-session",
        standfirst="What the council decided behind closed doors.",
        body=BODY,
        password="harbour",
    )


def unlock(client, article, password="harbour"):  # noqa: S107
    return client.post(reverse("articles:unlock", args=[article.pk]), {"password": password})


def test_reader_sees_the_title_and_a_password_form_but_not_the_body(client, protected):
    CommentFactory(article=protected, body="A comment only insiders may read.")

    response = client.get(protected.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "Closed session minutes" in page
    assert 'type="password"' in page
    assert "closed session.</p>" not in page
    assert "behind closed doors" not in page
    assert "insiders" not in page
    assert 'id="comments"' not in page
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_the_password_form_page_is_shared_by_the_page_cache(client, protected):
    assert client.get(protected.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get(protected.get_absolute_url())["X-Page-Cache"] == "hit"


def test_the_right_password_shows_the_whole_article(client, protected):
    response = unlock(client, protected)

    assert response.status_code == 303
    assert response["Location"] == protected.get_absolute_url()
    page = client.get(protected.get_absolute_url()).content.decode()
    assert BODY in page
    assert 'id="comments"' in page
    assert 'type="password"' not in page


def test_an_unlocked_article_is_never_stored_in_or_served_from_the_page_cache(client, protected):
    Client().get(protected.get_absolute_url())  # the form page, stored for everyone
    unlock(client, protected)

    response = client.get(protected.get_absolute_url())

    assert response["X-Page-Cache"] == "bypass"
    assert "private" in response["Cache-Control"]
    assert BODY in response.content.decode()
    # And whoever comes next still gets the form.
    assert BODY not in Client().get(protected.get_absolute_url()).content.decode()


def test_the_cookie_unlocks_that_article_alone(client, protected):
    other = ArticleFactory(password="harbour", body="<p>Another secret.</p>")
    unlock(client, protected)

    page = client.get(other.get_absolute_url()).content.decode()

    assert "Another secret." not in page
    assert 'type="password"' in page


def test_a_cookie_copied_to_another_article_opens_nothing(client, protected):
    other = ArticleFactory(password="harbour", body="<p>Another secret.</p>")
    unlock(client, protected)
    value = client.cookies[protection.cookie_name(protected)].value
    thief = Client()
    thief.cookies[protection.cookie_name(other)] = value

    assert "Another secret." not in thief.get(other.get_absolute_url()).content.decode()


def test_changing_the_password_locks_the_article_again(client, protected):
    unlock(client, protected)
    protected.password = "new password"
    protected.save()

    assert BODY not in client.get(protected.get_absolute_url()).content.decode()


def test_a_wrong_password_gets_a_clear_error_and_no_cookie(client, protected):
    response = unlock(client, protected, password="lighthouse")

    assert response.status_code == 403
    assert protection.WRONG_PASSWORD in response.content.decode()
    assert protection.cookie_name(protected) not in response.cookies
    assert BODY not in response.content.decode()


def test_wrong_passwords_are_flood_limited_even_the_right_one_after(client, protected):
    for _ in range(protection.MAX_ATTEMPTS):
        assert unlock(client, protected, password="guess").status_code == 403

    response = unlock(client, protected)

    assert response.status_code == 429
    assert protection.TOO_MANY_ATTEMPTS in response.content.decode()
    assert protection.cookie_name(protected) not in response.cookies


def test_an_empty_password_is_refused(client, protected):
    response = unlock(client, protected, password="")

    assert response.status_code == 403
    assert "This field is required." in response.content.decode()


def test_unlocking_answers_post_alone(client, protected):
    assert client.get(reverse("articles:unlock", args=[protected.pk])).status_code == 405


def test_protected_articles_are_out_of_feeds_and_the_sitemap(client, protected):
    for url in ("/feed/", "/feed/atom/", "/sitemap-articles.xml"):
        assert "closed-session" not in client.get(url).content.decode(), url
    category_feed = reverse("articles:category_feed", args=[protected.category.slug])
    assert "closed-session" not in client.get(category_feed).content.decode()


def test_comments_of_protected_articles_are_out_of_the_comment_feeds(client, protected):
    CommentFactory(article=protected, body="A comment only insiders may read.")

    assert "insiders" not in client.get("/comments/feed/").content.decode()
    assert client.get(f"/comments/feed/{protected.pk}/").status_code == 404


def test_listings_show_the_title_but_not_the_standfirst(client, protected):
    ArticleFactory()  # the lead: the protected one is then a plain teaser
    page = client.get("/").content.decode()

    assert "Closed session minutes" in page
    assert "Password protected" in page
    assert "behind closed doors" not in page


def test_posting_a_comment_needs_the_unlock_cookie(client, protected, instant_posting):
    response = client.post(reverse("comments:post", args=[protected.pk]), comment_data(protected))

    assert response.status_code == 403
    assert 'type="password"' in response.content.decode()
    assert not Comment.objects.exists()


def test_editors_preview_shows_the_whole_article(admin_client, protected):
    page = admin_client.get(reverse("articles:preview", args=[protected.pk])).content.decode()

    assert BODY in page


def test_a_reader_who_unlocked_the_article_may_comment(client, protected, instant_posting):
    unlock(client, protected)
    response = post_comment(
        client,
        protected.get_absolute_url(),
        name="Ada",
        email="ada@readers.example",
        comment="Glad to read the minutes at last.",
    )

    assert response.status_code == 303
    assert Comment.objects.get().article == protected
