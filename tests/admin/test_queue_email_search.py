"""A whole email address typed in the queue's search finds that commenter's comments
exactly, in any case, from the lower(author_email) index; anything else searches every
field for a part of it, as before."""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import PendingCommentFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def listed(response):
    return list(response.context["cl"].result_list)


def test_a_whole_address_finds_its_comments_in_any_case(moderator_client):
    wanted = PendingCommentFactory(author_email="Jo.Bloggs@Readers.example")
    PendingCommentFactory(author_email="someone@readers.example")

    response = moderator_client.get(QUEUE, {"q": "  jo.bloggs@readers.EXAMPLE "})

    assert listed(response) == [wanted]


def test_a_whole_address_does_not_find_longer_addresses_that_contain_it(moderator_client):
    PendingCommentFactory(author_email="bigjo@readers.example")
    wanted = PendingCommentFactory(author_email="jo@readers.example")

    response = moderator_client.get(QUEUE, {"q": "jo@readers.example"})

    assert listed(response) == [wanted]


def test_a_part_of_an_address_still_finds_it(moderator_client):
    wanted = PendingCommentFactory(author_email="jo.bloggs@readers.example")
    PendingCommentFactory(author_email="someone@elsewhere.example")

    response = moderator_client.get(QUEUE, {"q": "bloggs@read"})

    assert listed(response) == [wanted]


def test_the_search_says_how_it_finds_addresses(moderator_client):
    text = moderator_client.get(QUEUE).text

    assert "A whole email address finds every comment written with it" in text


def test_staff_who_may_not_see_addresses_cannot_search_by_one(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    PendingCommentFactory(author_email="jo.bloggs@readers.example", body="Nothing to see.")

    response = client.get(QUEUE, {"q": "jo.bloggs@readers.example"})

    assert response.status_code == 200
    assert listed(response) == []
    assert "email" not in response.context["cl"].search_help_text
