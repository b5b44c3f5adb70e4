""" "Forgot your password?" on the admin login: the whole reset, its mail sent through the
task queue with a link on SITE_URL."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from newsroom.models import DeferredTask
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = reverse("admin_password_reset")
NEW_PASSWORD = "a brand new harbour lantern 42"


@pytest.fixture
def staff_user():
    return UserFactory(username="ana", email="ana@staff.example", is_staff=True)


def ask_for_reset(client, email, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(RESET, {"email": email})
    return response, callbacks


def test_admin_login_offers_the_password_reset(client):
    response = client.get(reverse("admin:login"))

    assert f'href="{RESET}"' in response.text


def test_reset_page_is_in_the_admin_style(client):
    response = client.get(RESET)

    assert response.status_code == 200
    assert "css/admin.css" in response.text
    assert f">{admin.site.site_header}</a>" in response.text  # not "Django administration"
    assert 'name="email"' in response.text


def test_whole_reset_flow_sets_a_new_password(
    client, staff_user, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example"

    response, callbacks = ask_for_reset(
        client, "ana@staff.example", django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(callbacks) == 1  # the mail waits for the commit
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["ana@staff.example"]
    assert "ana" in mail.body
    link = re.search(r"https://news\.example(/admin/reset/\S+/)", mail.body)
    assert link is not None, mail.body

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert f'href="{reverse("admin:login")}"' in done.text
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW_PASSWORD)
    # The link worked once.
    assert "new_password1" not in client.get(link.group(1), follow=True).text


def test_new_password_logs_in_to_the_admin(
    client, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    ask_for_reset(client, "ana@staff.example", django_capture_on_commit_callbacks)
    path = re.search(r"https?://[^/\s]+(/admin/reset/\S+/)", mailoutbox[0].body).group(1)
    set_page = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.post(
        reverse("admin:login"), {"username": "ana", "password": NEW_PASSWORD, "next": ""}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response, _ = ask_for_reset(client, "nobody@example.com", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_invalid_address_is_refused_with_a_clear_error(client, mailoutbox):
    response = client.post(RESET, {"email": "not an address"})

    assert response.status_code == 200
    assert "Enter a valid email address." in response.text
    assert mailoutbox == []


def test_a_queue_that_is_down_keeps_the_mail_for_later(
    client, staff_user, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from newsroom import tasks

    monkeypatch.setattr("newsroom.password_reset.tasks.send_email", _Refusing(tasks.send_email))

    response, _ = ask_for_reset(client, "ana@staff.example", django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert mailoutbox == []
    kept = DeferredTask.objects.get()
    assert kept.task == "newsroom.tasks.send_email"
    assert kept.args[3] == "ana@staff.example"


class _Refusing:
    """A task whose queue does not answer; named like the real one for the outbox."""

    def __init__(self, task):
        self.func = task.func

    def __call__(self, *args):
        raise ConnectionError("queue down")


def test_inactive_user_gets_no_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(username="gone", email="gone@staff.example", is_active=False)

    ask_for_reset(client, "gone@staff.example", django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert (
        get_user_model().objects.get(username="gone").check_password("correct horse battery staple")
    )
