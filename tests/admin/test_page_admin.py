"""Editors write static pages in the admin, with the articles' editor and sanitiser."""

import pytest
from django.urls import reverse

from articles.models import Page

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_page_add")


def page_form_data(**overrides):
    return {
        "title": "Ethics policy",
        "slug": "ethics",
        "body": "<p>We correct our mistakes.</p>",
        "status": "published",
        "parent": "",
        **overrides,
    }


def test_editors_open_the_page_form_with_the_rich_text_editor(editor_client):
    response = editor_client.get(ADD)

    assert response.status_code == 200
    assert b"prose-editor" in response.content


def test_an_editor_saves_a_page_and_its_script_is_gone(editor_client, client):
    response = editor_client.post(
        ADD, page_form_data(body="<p>Fair.</p><script>alert(1)</script><p>Honest.</p>")
    )

    assert response.status_code == 302
    page = Page.objects.get(slug="ethics")
    assert "<script" not in page.body and "alert(1)" not in page.body
    assert "Fair." in page.body and "Honest." in page.body


def test_an_editor_edits_a_page(editor_client):
    page = Page.objects.create(title="About", slug="about", status="published")
    change = reverse("admin:articles_page_change", args=[page.pk])

    assert editor_client.get(change).status_code == 200
    response = editor_client.post(change, page_form_data(title="About us", slug="about"))

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "About us"


def test_a_slug_on_the_sites_own_address_is_refused_with_a_clear_error(editor_client):
    response = editor_client.post(ADD, page_form_data(slug="feed"))

    assert response.status_code == 200
    assert b"/feed/ is one of the site&#x27;s own addresses" in response.content
    assert not Page.objects.exists()


def test_moderators_cannot_touch_pages(moderator_client):
    assert moderator_client.get(ADD).status_code == 403
