"""Logging in to the admin: where a login lands, and the lock-out after failures."""

import logging
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.test import Client
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


# --- lock-out after repeated failures (django-axes) ---------------------------------------


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def fail(client, username, times, ip="203.0.113.7"):
    for _ in range(times):
        response = log_in(client, username, "wrong password", REMOTE_ADDR=ip)
    return response


def test_right_password_after_too_many_wrong_ones_is_refused_with_the_reason(client, lockout):
    UserFactory(username="editor", is_staff=True)
    fail(client, "editor", 5)

    response = log_in(client, "editor", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert "Too many failed login attempts" in response.text
    assert "locked for 15 minutes" in response.text
    assert "“editor”" in response.text
    # The admin's own login page, styled as the admin, its form ready for later.
    assert 'id="login-form"' in response.text
    assert "css/admin.css" in response.text
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, lockout):
    UserFactory(username="editor", is_staff=True)
    fail(client, "editor", 4)

    response = log_in(client, "editor", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 302


def test_the_lock_out_time_and_limit_come_from_the_settings(client, settings):
    from datetime import timedelta

    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=1)
    UserFactory(username="editor", is_staff=True)

    response = fail(client, "editor", 2)

    assert response.status_code == 429
    assert "locked for 1 minute." in response.text


def test_another_username_from_another_ip_still_logs_in(client, lockout):
    UserFactory(username="editor", is_staff=True)
    UserFactory(username="colleague", is_staff=True)
    fail(client, "editor", 5)

    response = log_in(client, "colleague", REMOTE_ADDR="198.51.100.20")

    assert response.status_code == 302


def test_the_locked_username_is_locked_from_every_ip(client, lockout):
    UserFactory(username="editor", is_staff=True)
    fail(client, "editor", 5)

    assert log_in(client, "editor", REMOTE_ADDR="198.51.100.20").status_code == 429


def test_the_locked_ip_is_locked_for_every_username(client, lockout):
    UserFactory(username="colleague", is_staff=True)
    for n in range(5):
        log_in(client, f"guess{n}", "wrong password", REMOTE_ADDR="203.0.113.7")

    assert log_in(client, "colleague", REMOTE_ADDR="203.0.113.7").status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(client, lockout):
    # Every request arrives from the proxy: the lock must fall on the client it names.
    lockout.COMMENTS_TRUSTED_PROXIES = ["10.0.0.1"]
    UserFactory(username="colleague", is_staff=True)
    for n in range(5):
        log_in(
            client,
            f"guess{n}",
            "wrong password",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    honest = log_in(
        client, "colleague", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    attacker = log_in(
        client, "colleague", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )

    assert honest.status_code == 302
    assert attacker.status_code == 429


def test_unlocking_with_the_command_lets_the_user_in(client, lockout):
    UserFactory(username="editor", is_staff=True)
    fail(client, "editor", 5)

    call_command("axes_reset_username", "editor", stdout=StringIO())
    call_command("axes_reset_ip", "203.0.113.7", stdout=StringIO())

    assert log_in(client, "editor", REMOTE_ADDR="203.0.113.7").status_code == 302


def test_a_moderator_unlocks_from_the_admin(client, moderator, lockout):
    UserFactory(username="editor", is_staff=True)
    fail(client, "editor", 5)
    attempts = reverse("admin:axes_accessattempt_changelist")
    staff = Client()
    staff.force_login(moderator)

    listing = staff.get(attempts)
    assert listing.status_code == 200
    assert "editor" in listing.text
    response = staff.post(
        attempts,
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [a.pk for a in AccessAttempt.objects.all()],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(client, "editor", REMOTE_ADDR="203.0.113.7").status_code == 302


def test_the_lock_out_is_logged_with_username_and_ip(client, lockout, caplog):
    UserFactory(username="editor", is_staff=True)

    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        fail(client, "editor", 5)

    [record] = [r for r in caplog.records if r.name == "newsroom.security"]
    assert record.getMessage() == (
        "Admin login locked for 15 minutes after 5 failed attempts: "
        "username='editor' ip=203.0.113.7"
    )
