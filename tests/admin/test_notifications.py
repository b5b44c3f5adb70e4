import pytest
from django.db import transaction
from django.urls import reverse

from comments.models import Comment
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    PendingCommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_comment_mail(moderator, django_capture_on_commit_callbacks, mailoutbox):
    def post(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            comment = PendingCommentFactory(**kwargs)
        return comment

    return post


def test_moderators_get_one_email_per_held_comment(held_comment_mail, mailoutbox):
    held_comment_mail()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["moderator@staff.example"]


def test_held_comment_email_has_the_comment_article_and_admin_links(
    held_comment_mail, mailoutbox, settings
):
    settings.SITE_URL = "https://news.example"
    comment = held_comment_mail(body="The vote was 7 to 5.", moderation_reason="Has a link.")

    mail = mailoutbox[0]
    assert comment.article.title in mail.subject
    assert "The vote was 7 to 5." in mail.body
    assert "Has a link." in mail.body
    for transition in ("approve", "spam", "remove"):
        url = reverse("admin:comments_comment_moderate", args=[comment.pk, transition])
        assert f"https://news.example{url}" in mail.body


def test_superusers_are_told_too(held_comment_mail, mailoutbox):
    UserFactory(username="chief", is_superuser=True, is_staff=True)

    held_comment_mail()

    assert sorted(mailoutbox[0].to) == ["chief@staff.example", "moderator@staff.example"]


def test_moderator_email_setting_replaces_the_group(held_comment_mail, mailoutbox, settings):
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@news.example"]

    held_comment_mail()

    assert mailoutbox[0].to == ["desk@news.example"]


def test_no_email_when_notifications_are_off(held_comment_mail, mailoutbox, settings):
    settings.COMMENTS_NOTIFY_MODERATORS = False

    held_comment_mail()

    assert mailoutbox == []


def test_no_email_before_the_transaction_commits(moderator, mailoutbox):
    # Without running the on-commit callbacks (the test's transaction never commits).
    PendingCommentFactory()

    assert mailoutbox == []


def test_no_email_when_the_comment_is_rolled_back(
    moderator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                PendingCommentFactory()
                raise RuntimeError("the view failed after saving")
        except RuntimeError:
            pass

    assert callbacks == []
    assert mailoutbox == []
    assert not Comment.objects.exists()


@pytest.mark.parametrize("status", [Comment.Status.APPROVED, Comment.Status.SPAM])
def test_no_email_for_a_comment_not_held(
    moderator, django_capture_on_commit_callbacks, mailoutbox, status
):
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(status=status)

    assert mailoutbox == []


def test_no_email_for_imported_comments(moderator, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        PendingCommentFactory(wordpress_id=42)

    assert mailoutbox == []


class RefusingMailServer:
    """An SMTP server (aiosmtpd) on loopback that turns mail away until told to accept it."""

    def __init__(self):
        self.refusing = True
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mail server busy, try again later"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    from aiosmtpd.controller import Controller

    from tests.production.server import free_port

    handler = RefusingMailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


# Committed for real: the consumer closes its database connections around each task.
@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_does_not_fail_the_comment_and_the_mail_is_retried(
    client, moderator, mail_server, real_queue, caplog
):
    from tests.comments.conftest import comment_data

    article = ArticleFactory()
    response = client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article, comment="Was the harbour wall vote unanimous?"),
        REMOTE_ADDR="203.0.113.7",
    )
    comment = Comment.objects.get()

    # What the consumer does: run the task, which the mail server refuses.
    real_queue.execute(real_queue.dequeue())

    assert response.status_code == 303
    assert comment.awaiting_moderation
    assert mail_server.received == []
    assert f"Could not email moderators about comment {comment.pk}; will retry." in caplog.text
    [retry] = real_queue.read_schedule(retry_time := real_queue.scheduled()[0].eta)

    # A minute later the mail server takes mail again, and the retry delivers it.
    mail_server.refusing = False
    real_queue.execute(retry, timestamp=retry_time)

    [mail] = mail_server.received
    assert mail.rcpt_tos == ["moderator@staff.example"]
    assert "Was the harbour wall vote unanimous?" in mail.content.decode()
    assert real_queue.pending_count() == real_queue.scheduled_count() == 0


@pytest.fixture
def opted_in_author():
    user = UserFactory(username="reporter", email="reporter@news.example")
    return AuthorFactory(user=user, notify_on_approved_comment=True)


def approve(comment, user, capture):
    with capture(execute=True):
        comment.approve(by=user)


def test_author_who_opted_in_is_emailed_when_a_comment_is_approved(
    opted_in_author, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    comment = PendingCommentFactory(article=ArticleFactory(authors=[opted_in_author]))

    approve(comment, moderator, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["reporter@news.example"]
    assert comment.article.title in mailoutbox[0].subject
    assert comment.body in mailoutbox[0].body


def test_author_who_did_not_opt_in_is_not_emailed(
    moderator, django_capture_on_commit_callbacks, mailoutbox
):
    author = AuthorFactory(user=UserFactory(email="quiet@news.example"))
    comment = PendingCommentFactory(article=ArticleFactory(authors=[author]))

    approve(comment, moderator, django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_author_is_emailed_once_per_approval(
    opted_in_author, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    comment = PendingCommentFactory(article=ArticleFactory(authors=[opted_in_author]))

    approve(comment, moderator, django_capture_on_commit_callbacks)
    approve(comment, moderator, django_capture_on_commit_callbacks)  # already approved

    assert len(mailoutbox) == 1


def test_bulk_approval_emails_the_author_once_per_comment(
    opted_in_author, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    article = ArticleFactory(authors=[opted_in_author])
    PendingCommentFactory.create_batch(3, article=article)

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.pending().change_status(Comment.Status.APPROVED, by=moderator)

    assert len(mailoutbox) == 3


def test_marking_spam_sends_the_author_nothing(
    opted_in_author, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    comment = PendingCommentFactory(article=ArticleFactory(authors=[opted_in_author]))

    with django_capture_on_commit_callbacks(execute=True):
        comment.mark_spam(by=moderator)

    assert mailoutbox == []


def test_a_reader_posting_a_comment_that_is_held_notifies_moderators_once(
    client, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.comments.conftest import comment_data

    article = ArticleFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comments:post", args=[article.pk]),
            comment_data(article, comment="Was the harbour wall vote unanimous?"),
            REMOTE_ADDR="203.0.113.7",
        )

    assert response.status_code == 303
    assert Comment.objects.pending().count() == 1
    assert len(mailoutbox) == 1
    assert "Was the harbour wall vote unanimous?" in mailoutbox[0].body
