"""A section outside one's role answers 403 with a styled page: the admin's in the admin,
the site's on the site."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_editor_opening_the_comment_queue_gets_the_admins_403_page(editor_client):
    response = editor_client.get(reverse("admin:comments_comment_changelist"))

    assert response.status_code == 403
    assert "admin/403.html" in [t.name for t in response.templates]
    assert "have permission to view this page" in response.text
    assert f'href="{reverse("admin:index")}"' in response.text
    assert f'href="{reverse("articles:front")}"' in response.text
    assert "css/admin.css" in response.text  # styled like the rest of the admin


def test_moderator_opening_the_users_gets_the_admins_403_page(moderator_client):
    response = moderator_client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 403
    assert "have permission to view this page" in response.text


def test_admin_403_page_keeps_the_admins_header_and_logout(moderator_client):
    response = moderator_client.get(reverse("admin:auth_user_changelist"))

    assert 'id="site-name"' in response.text
    assert reverse("admin:logout") in response.text


def test_admin_403_page_needs_no_inline_styles(editor_client):
    response = editor_client.get(reverse("admin:comments_comment_changelist"))

    assert ' style="' not in response.text


def test_refused_preview_on_the_site_gets_the_sites_friendly_403(moderator_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    response = moderator_client.get(reverse("articles:preview", args=[draft.pk]))

    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "You can’t see this page" in response.text
    assert f'href="{reverse("articles:front")}"' in response.text
