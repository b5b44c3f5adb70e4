import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PendingCommentFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def test_the_two_groups_exist_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Moderators", "Editors"}


def test_moderators_hold_only_comment_and_login_unlock_permissions():
    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )

    assert codenames == {
        "view_comment",
        "change_comment",
        "moderate_comment",
        "view_commenter_personal_data",
        "view_commentstatuschange",
        # Sanctions: set and end them, never delete them (the record); read reader reports.
        "view_sanction",
        "add_sanction",
        "change_sanction",
        "view_commentreport",
        # Failed admin logins (django-axes): see them, and unlock by deleting the attempts.
        "view_accessattempt",
        "delete_accessattempt",
        "view_accesslog",
    }


def test_editors_hold_no_comment_permissions():
    editors = Group.objects.get(name="Editors")

    assert not editors.permissions.filter(content_type__app_label="comments").exists()
    assert editors.permissions.filter(codename="add_article").exists()


def test_editor_gets_403_on_the_comment_queue(editor_client):
    assert editor_client.get(QUEUE).status_code == 403


def test_editor_gets_403_on_a_comment_page(editor_client):
    comment = PendingCommentFactory()

    response = editor_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    assert response.status_code == 403


def test_editor_cannot_use_a_moderation_link(editor_client):
    comment = PendingCommentFactory()
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])

    response = editor_client.post(url)

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_editor_sees_no_commenter_email_in_the_articles_list(editor_client):
    comment = PendingCommentFactory(author_email="private@readers.example")

    response = editor_client.get(reverse("admin:articles_article_changelist"))

    assert response.status_code == 200
    assert comment.article.title in response.text
    assert "private@readers.example" not in response.text


def test_editor_can_add_an_article(editor_client):
    author = AuthorFactory()
    category = CategoryFactory()

    response = editor_client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Tram line extended",
            "slug": "tram-line-extended",
            "standfirst": "",
            "body": "<p>Work starts in May.</p>",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "category": category.pk,
            "comments_open": "on",
            "original_outlet": "",
            "original_url": "",
            "bylines-TOTAL_FORMS": "1",
            "bylines-INITIAL_FORMS": "0",
            "bylines-MIN_NUM_FORMS": "0",
            "bylines-MAX_NUM_FORMS": "1000",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
        },
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="tram-line-extended")
    assert article.byline_authors == [author]


def test_editor_can_open_an_article_to_change_it(editor_client):
    article = ArticleFactory()

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 200


def test_moderator_cannot_change_articles(moderator_client):
    article = ArticleFactory()

    response = moderator_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert response.status_code == 403


def test_moderator_cannot_add_articles(moderator_client):
    assert moderator_client.get(reverse("admin:articles_article_add")).status_code == 403


def test_moderator_cannot_delete_comments(moderator_client):
    comment = CommentFactory()

    response = moderator_client.get(reverse("admin:comments_comment_delete", args=[comment.pk]))

    assert response.status_code == 403


def test_moderator_sees_commenter_email_and_ip_on_the_comment_page(moderator_client):
    comment = PendingCommentFactory(
        author_email="private@readers.example", ip_address="198.51.100.20"
    )

    text = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    assert "private@readers.example" in text
    assert "198.51.100.20" in text


def test_staff_without_the_personal_data_permission_sees_no_email_or_ip(client):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    junior = UserFactory(is_staff=True)
    junior.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_comment", "moderate_comment"])
    )
    client.force_login(junior)
    PendingCommentFactory(author_email="private@readers.example", ip_address="198.51.100.20")

    text = client.get(QUEUE).text
    searched = client.get(QUEUE, {"q": "private@readers.example"})

    assert "private@readers.example" not in text
    assert "198.51.100.20" not in text
    assert list(searched.context["cl"].result_list) == []


def test_superuser_sees_the_queue_and_the_articles(superuser_client):
    PendingCommentFactory(author_email="private@readers.example")

    assert "private@readers.example" in superuser_client.get(QUEUE).text
    assert superuser_client.get(reverse("admin:articles_article_add")).status_code == 200
