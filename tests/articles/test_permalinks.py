from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    """Staff who may read unpublished articles (the Editors group has the permission)."""
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def article():
    return ArticleFactory(
        slug="harbour-wall", published_at=datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    )


def test_article_lives_at_its_wordpress_style_permalink(client, article):
    assert article.get_absolute_url() == "/2025/03/14/harbour-wall/"
    assert client.get("/2025/03/14/harbour-wall/").status_code == 200


def test_wrong_date_redirects_permanently_to_the_right_address(client, article):
    response = client.get("/2025/03/15/harbour-wall/")

    assert response.status_code == 301
    assert response["Location"] == "/2025/03/14/harbour-wall/"


def test_wrong_date_for_a_draft_does_not_reveal_it(client):
    ArticleFactory(slug="secret-plan", status=Article.Status.DRAFT, published_at=None)

    assert client.get("/2025/03/15/secret-plan/").status_code == 404


def test_unknown_slug_is_not_found(client, article):
    assert client.get("/2025/03/14/no-such-story/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/2025/13/14/harbour-wall/", "/2025/02/30/harbour-wall/", "/2025/03/32/harbour-wall/"]
)
def test_impossible_date_is_not_found(client, article, url):
    assert client.get(url).status_code == 404


def test_month_archive_with_a_bad_month_is_not_found(client, article):
    assert client.get("/2025/13/").status_code == 404


def test_year_and_month_archives_list_the_article(client, article):
    assert "harbour-wall" in client.get("/2025/").content.decode()
    assert "harbour-wall" in client.get("/2025/03/").content.decode()
    assert client.get("/2025/04/").status_code == 404


def test_preview_of_a_draft_is_for_staff_only(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    url = reverse("articles:preview", kwargs={"pk": draft.pk})

    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(url).status_code == 302


def test_staff_preview_of_a_draft_is_marked_as_draft_and_never_cached(client, editor):
    draft = ArticleFactory(title="Ferry notes", status=Article.Status.DRAFT, published_at=None)
    client.force_login(editor)

    response = client.get(reverse("articles:preview", kwargs={"pk": draft.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ferry notes" in page
    assert '<p class="preview-banner" role="status">' in page
    assert "Draft; readers cannot see it." in page
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in page


def test_staff_preview_of_a_scheduled_article_says_when_it_goes_live(client, editor):
    scheduled = ArticleFactory(published_at=datetime(2099, 5, 1, 9, 30, tzinfo=UTC))
    client.force_login(editor)

    page = client.get(reverse("articles:preview", kwargs={"pk": scheduled.pk})).content.decode()

    assert "Scheduled for" in page
    assert "1 May 2099, 09:30" in page


def test_anonymous_preview_redirect_is_not_cached(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = client.get(reverse("articles:preview", kwargs={"pk": draft.pk}))

    assert "no-store" in response["Cache-Control"]


def test_public_article_page_has_no_preview_banner(client, article):
    assert "preview-banner" not in client.get(article.get_absolute_url()).content.decode()


def test_staff_see_a_live_article_at_its_permalink(article):
    assert article.staff_url() == "/2025/03/14/harbour-wall/"


@pytest.mark.parametrize(
    "status, published_at",
    [
        (Article.Status.PUBLISHED, datetime(2999, 1, 1, tzinfo=UTC)),
        (Article.Status.DRAFT, datetime(2025, 3, 14, 12, 0, tzinfo=UTC)),
        (Article.Status.DRAFT, None),
    ],
    ids=["scheduled", "dated draft", "undated draft"],
)
def test_staff_see_an_article_readers_cannot_see_in_its_preview(status, published_at):
    article = ArticleFactory(status=status, published_at=published_at)

    assert article.staff_url() == reverse("articles:preview", args=[article.pk])


def test_an_unsaved_article_has_no_place_for_staff_to_see_it():
    assert Article(title="Not yet", slug="not-yet").staff_url() is None
