"""Which accounts an author profile may be linked to, in the author form of the admin."""

import pytest
from django.urls import reverse

from articles.models import Author
from tests.factories import AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_author_add")


@pytest.fixture
def accounts():
    return {
        "colleague": UserFactory(username="colleague", is_staff=True),
        "root": UserFactory(username="root-account", is_staff=True, is_superuser=True),
        "reader": UserFactory(username="plain-reader"),
        "taken": AuthorFactory(user=UserFactory(username="has-a-byline", is_staff=True)).user,
    }


def user_choices(response):
    return {label for _, label in response.context["adminform"].form.fields["user"].choices}


def author_form(user, **fields):
    return {
        "name": "New Reporter",
        "slug": "new-reporter",
        "bio": "",
        "user": user.pk,
        **fields,
    }


def test_editor_is_offered_themselves_and_staff_without_a_profile(editor_client, accounts):
    choices = user_choices(editor_client.get(ADD))

    assert {"editor", "colleague"} <= choices
    assert not choices & {"root-account", "plain-reader", "has-a-byline"}


def test_editor_cannot_link_a_superuser_by_posting_its_id(editor_client, accounts):
    response = editor_client.post(ADD, author_form(accounts["root"]))

    assert response.status_code == 200
    assert "You may link only yourself" in response.text
    assert not Author.objects.filter(slug="new-reporter").exists()


def test_editor_cannot_link_an_account_that_is_not_staff(editor_client, accounts):
    response = editor_client.post(ADD, author_form(accounts["reader"]))

    assert response.status_code == 200
    assert not Author.objects.filter(user=accounts["reader"]).exists()


def test_editor_links_a_colleague(editor_client, accounts):
    response = editor_client.post(ADD, author_form(accounts["colleague"]))

    assert response.status_code == 302
    assert Author.objects.get(slug="new-reporter").user == accounts["colleague"]


def test_editor_can_still_edit_a_profile_already_linked_to_a_superuser(editor_client, accounts):
    author = AuthorFactory(user=accounts["root"], slug="chief")
    url = reverse("admin:articles_author_change", args=[author.pk])

    response = editor_client.post(url, author_form(accounts["root"], slug="chief", bio="New."))

    assert response.status_code == 302
    author.refresh_from_db()
    assert (author.bio, author.user) == ("New.", accounts["root"])


def test_superuser_may_link_any_account(superuser_client, accounts):
    assert {"root-account", "plain-reader"} <= user_choices(superuser_client.get(ADD))

    response = superuser_client.post(ADD, author_form(accounts["root"]))

    assert response.status_code == 302
    assert Author.objects.get(slug="new-reporter").user == accounts["root"]
