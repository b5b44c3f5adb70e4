import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse

from comments.models import Comment, CommentStatusChange
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


def change_url(comment):
    return reverse("admin:comments_comment_change", args=[comment.pk])


def test_comment_page_shows_the_comment_as_readers_see_it(moderator_client):
    comment = PendingCommentFactory(body="It was <em>not</em> unanimous.\n\nThanks.")

    text = moderator_client.get(change_url(comment)).text

    assert comment.body_html in text
    assert "<p>It was <em>not</em> unanimous.</p>" in text


def test_comment_page_links_to_the_comment_on_the_article(moderator_client):
    comment = CommentFactory()

    text = moderator_client.get(change_url(comment)).text

    assert reverse("comments:permalink", args=[comment.pk]) in text


def test_pending_comment_links_to_its_place_in_the_article_preview(moderator_client):
    comment = PendingCommentFactory()

    text = moderator_client.get(change_url(comment)).text

    preview = reverse("articles:preview", args=[comment.article.pk])
    assert f"{preview}?highlight={comment.pk}#comment-{comment.pk}" in text


def test_comment_on_a_draft_links_to_the_preview(moderator_client):
    from articles.models import Article

    comment = PendingCommentFactory(article=ArticleFactory(status=Article.Status.DRAFT))

    text = moderator_client.get(change_url(comment)).text

    preview = reverse("articles:preview", args=[comment.article.pk])
    assert f"{preview}?highlight={comment.pk}#comment-{comment.pk}" in text


def test_comment_page_shows_the_whole_thread(moderator_client):
    root = CommentFactory(author_name="First Reader")
    reply = PendingCommentFactory(article=root.article, parent=root, author_name="Second Reader")
    CommentFactory(article=root.article, parent=reply, author_name="Third Reader")
    CommentFactory(article=root.article, author_name="Elsewhere Reader")

    text = moderator_client.get(change_url(reply)).text

    thread = text[text.index("The thread") :]
    assert "First Reader" in thread
    assert "Third Reader" in thread
    assert "Elsewhere Reader" not in thread


def test_comment_page_lists_replies_in_the_order_they_came(moderator_client):
    from datetime import timedelta

    root = CommentFactory(author_name="First Reader")
    earlier = CommentFactory(
        article=root.article,
        parent=root,
        author_name="Earlier Reader",
        submitted_at=root.submitted_at + timedelta(minutes=1),
    )
    later = PendingCommentFactory(
        article=root.article,
        parent=root,
        author_name="Later Reader",
        submitted_at=root.submitted_at + timedelta(minutes=2),
    )

    thread = moderator_client.get(change_url(later)).context["thread"]

    # Moderators read a conversation as it happened, held replies included.
    assert [node.row["id"] for node in thread] == [root.pk, earlier.pk, later.pk]


def _reply_chain(length):
    chain = [CommentFactory()]
    for _ in range(length - 1):
        chain.append(PendingCommentFactory(article=chain[0].article, parent=chain[-1]))
    return chain


def thread_depths(client, comment):
    return [node.depth for node in client.get(change_url(comment)).context["thread"]]


def test_comment_page_nests_the_thread_as_deep_as_the_article_page(moderator_client):
    chain = _reply_chain(7)

    # Replies below the fifth level are shown at the fifth, after the comment they answer.
    assert thread_depths(moderator_client, chain[3]) == [1, 2, 3, 4, 5, 5, 5]


def test_comment_page_thread_follows_the_thread_depth_setting(moderator_client, settings):
    settings.COMMENTS_THREAD_DEPTH = 3
    chain = _reply_chain(5)

    text = moderator_client.get(change_url(chain[3])).text

    assert thread_depths(moderator_client, chain[3]) == [1, 2, 3, 3, 3]
    assert 'class="form-row depth-3 this-comment"' in text


def test_comment_page_shows_its_moderation_history(moderator_client, moderator):
    comment = PendingCommentFactory()
    comment.mark_spam(by=moderator, note="Casino links")

    text = moderator_client.get(change_url(comment)).text

    assert "moderation history" in text.lower()
    assert "Casino links" in text


def test_moderator_cannot_change_a_comments_status_through_the_form(moderator_client):
    comment = PendingCommentFactory()
    response = moderator_client.get(change_url(comment))

    assert "status" not in response.context["adminform"].form.fields


def test_moderator_replies_from_the_comment_page(moderator_client, moderator):
    comment = PendingCommentFactory()

    response = moderator_client.post(
        reverse("admin:comments_comment_reply", args=[comment.pk]),
        {"body": "Thanks, we have corrected the figure."},
        follow=True,
    )

    reply = Comment.objects.get(parent=comment)
    assert reply.status == Comment.Status.APPROVED
    assert reply.user == moderator
    assert reply.author_name == "Mo Derator"
    assert "Reply posted" in response.text
    audit = reply.status_changes.get()
    assert (audit.changed_by, audit.to_status) == (moderator, Comment.Status.APPROVED)
    assert LogEntry.objects.filter(object_id=str(reply.pk), action_flag=ADDITION).exists()


def test_replying_to_a_pending_comment_approves_it(moderator_client, moderator):
    comment = PendingCommentFactory()

    moderator_client.post(
        reverse("admin:comments_comment_reply", args=[comment.pk]), {"body": "Good point."}
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert CommentStatusChange.objects.filter(comment=comment, changed_by=moderator).exists()


def test_empty_reply_is_not_posted(moderator_client):
    comment = PendingCommentFactory()

    moderator_client.post(reverse("admin:comments_comment_reply", args=[comment.pk]), {"body": ""})

    assert not Comment.objects.filter(parent=comment).exists()


def test_email_link_asks_before_approving(moderator_client):
    comment = PendingCommentFactory()
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, "approve"])

    response = moderator_client.get(url)

    assert response.status_code == 200
    assert 'value="Approve"' in response.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@pytest.mark.parametrize(
    "transition, status",
    [
        ("approve", Comment.Status.APPROVED),
        ("spam", Comment.Status.SPAM),
        ("remove", Comment.Status.REMOVED),
    ],
)
def test_confirming_a_moderation_link_changes_the_comment(moderator_client, transition, status):
    comment = PendingCommentFactory()
    url = reverse("admin:comments_comment_moderate", args=[comment.pk, transition])

    response = moderator_client.post(url, follow=True)

    comment.refresh_from_db()
    assert comment.status == status
    assert "No more comments awaiting moderation." in response.text


def test_comment_page_needs_no_inline_styles_so_a_strict_csp_allows_it(moderator_client):
    root = CommentFactory()
    reply = PendingCommentFactory(article=root.article, parent=root)

    text = moderator_client.get(change_url(reply)).text

    assert ' style="' not in text
    assert "css/admin.css" in text


def test_view_on_site_of_a_pending_comment_opens_the_preview(moderator_client):
    comment = PendingCommentFactory()

    response = moderator_client.get(change_url(comment))

    preview = reverse("articles:preview", args=[comment.article.pk])
    assert (
        f'href="{preview}?highlight={comment.pk}#comment-{comment.pk}" class="viewsitelink"'
        in response.text
    )
