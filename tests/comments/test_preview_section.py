"""A draft's preview shows the comments area as readers will see it once published, but
nothing can be posted to an article readers cannot see."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.admin.conftest import staff_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_browser():
    browser = Client()
    browser.force_login(staff_in("Editors", username="editor", first_name="Eda"))
    return browser


@pytest.fixture
def draft():
    return ArticleFactory(status="draft", published_at=None)


def preview(browser, article):
    return browser.get(reverse("articles:preview", args=[article.pk])).text


def test_draft_preview_shows_the_comment_form_readers_will_see(editor_browser, draft):
    html = preview(editor_browser, draft)

    assert "Comments are closed." not in html
    assert "Leave a Reply" in html
    # The fields a reader fills in, not the editor's "Logged in as".
    assert 'name="name"' in html
    assert 'name="email"' in html
    assert "Logged in as" not in html
    assert "readers will see this form once the article is published" in html


def test_preview_form_cannot_be_used(editor_browser, draft):
    html = preview(editor_browser, draft)

    fieldset = re.search(
        r'<fieldset class="comment-form-disabled" disabled>(.*?)</fieldset>', html, re.S
    )
    assert fieldset is not None
    assert 'type="submit"' in fieldset.group(1)


def test_a_draft_whose_comments_are_closed_says_so_in_its_preview(editor_browser):
    closed = ArticleFactory(status="draft", published_at=None, comments_open=False)

    html = preview(editor_browser, closed)

    assert "Comments are closed." in html
    assert 'id="commentform"' not in html


def test_posting_to_a_draft_is_still_refused(editor_browser, draft):
    response = editor_browser.post(
        reverse("comments:post", args=[draft.pk]),
        {"name": "Ada", "email": "ada@readers.example", "comment": "First!"},
    )

    assert response.status_code == 404
    assert not Comment.objects.exists()
