"""Logging in to the admin: where a login lands."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "correct horse battery staple"


def log_in(client, username, password=PASSWORD, query="", **extra):
    return client.post(
        LOGIN + query, {"username": username, "password": password, "next": ""}, **extra
    )


@pytest.mark.parametrize(
    "hostile_next",
    ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)"],
)
def test_login_with_a_hostile_next_lands_on_the_admin_index(client, hostile_next):
    UserFactory(username="editor", is_staff=True)

    response = client.post(
        LOGIN + "?next=" + hostile_next,
        {"username": "editor", "password": PASSWORD, "next": hostile_next},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_login_with_a_safe_next_lands_there(client):
    UserFactory(username="editor", is_staff=True)
    wanted = reverse("admin:articles_article_changelist")

    response = client.post(LOGIN, {"username": "editor", "password": PASSWORD, "next": wanted})

    assert response["Location"] == wanted
