"""Editors find an Edit link on the live article; readers never do, and no page the
cache shares ever holds one."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from pagecache import middleware
from tests.admin.conftest import staff_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def edit_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def article():
    return ArticleFactory(title="Harbour wall repairs approved")


@pytest.fixture
def editor_browser():
    browser = Client()
    browser.force_login(staff_in("Editors", username="editor"))
    return browser


def test_editor_sees_an_edit_link_on_the_live_article(editor_browser, article):
    response = editor_browser.get(article.get_absolute_url())

    assert f'<a href="{edit_url(article)}">Edit this article</a>' in response.text
    assert middleware.STATUS_HEADER not in response or response[middleware.STATUS_HEADER] != "hit"


def test_editor_sees_the_edit_link_on_a_preview_too(editor_browser):
    draft = ArticleFactory(status="draft", published_at=None)

    response = editor_browser.get(reverse("articles:preview", args=[draft.pk]))

    assert edit_url(draft) in response.text


def test_reader_sees_no_edit_link(client, article):
    assert "Edit this article" not in client.get(article.get_absolute_url()).text


def test_logged_in_reader_without_staff_rights_sees_no_edit_link(article):
    reader = Client()
    reader.force_login(UserFactory(username="reader"))

    assert "Edit this article" not in reader.get(article.get_absolute_url()).text


def test_staff_without_the_change_permission_see_no_edit_link(article):
    moderator = Client()
    moderator.force_login(staff_in("Moderators", username="moderator"))

    assert "Edit this article" not in moderator.get(article.get_absolute_url()).text


def test_staff_with_only_the_change_permission_see_it(article):
    user = UserFactory(username="subeditor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    browser = Client()
    browser.force_login(user)

    assert edit_url(article) in browser.get(article.get_absolute_url()).text


def test_reader_after_an_editor_is_served_a_page_without_the_link(editor_browser, article):
    url = article.get_absolute_url()
    assert "Edit this article" in editor_browser.get(url).text

    first = Client().get(url)
    second = Client().get(url)

    assert first[middleware.STATUS_HEADER] == "miss"
    assert second[middleware.STATUS_HEADER] == "hit"
    assert "Edit this article" not in first.text
    assert "Edit this article" not in second.text


def test_editor_after_readers_is_not_served_their_cached_page(editor_browser, article):
    url = article.get_absolute_url()
    Client().get(url)
    assert Client().get(url)[middleware.STATUS_HEADER] == "hit"

    response = editor_browser.get(url)

    assert response.get(middleware.STATUS_HEADER) != "hit"
    assert "Edit this article" in response.text
    assert "Edit this article" not in Client().get(url).text
