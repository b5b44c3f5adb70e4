import pytest
from django.urls import reverse

from comments.subscriptions import Subscriber

pytestmark = pytest.mark.django_db

URL = reverse("admin:comments_subscriber_changelist")


def test_moderators_find_subscribers_by_address(moderator_client):
    Subscriber.objects.create(email="maria.okafor@readers.example")
    Subscriber.objects.create(email="jon@readers.example")

    page = moderator_client.get(URL, {"q": "okafor"})

    assert page.status_code == 200
    assert b"maria.okafor@readers.example" in page.content
    assert b"jon@readers.example" not in page.content


def test_subscribers_are_read_only_for_moderators(moderator_client):
    subscriber = Subscriber.objects.create(email="maria.okafor@readers.example")

    page = moderator_client.get(reverse("admin:comments_subscriber_change", args=[subscriber.pk]))
    posted = moderator_client.post(
        reverse("admin:comments_subscriber_change", args=[subscriber.pk]),
        {"email": "someone.else@readers.example"},
    )

    assert page.status_code == 200
    assert b'name="email"' not in page.content
    assert posted.status_code == 403
    assert Subscriber.objects.get().email == "maria.okafor@readers.example"


def test_staff_who_may_not_see_personal_data_see_no_subscriber(editor_client):
    Subscriber.objects.create(email="maria.okafor@readers.example")

    assert editor_client.get(URL).status_code == 403
    assert b"maria.okafor@readers.example" not in editor_client.get(reverse("admin:index")).content
