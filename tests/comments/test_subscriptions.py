"""Readers' email notifications, sent through a real SMTP server (aiosmtpd) on loopback:
double opt-in, follow-up, approval and digest mails, one-click unsubscribe, and a send
that is retried without sending twice."""

import email
import email.policy
import json
import re
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import mailing
from comments.models import Comment
from comments.subscriptions import (
    CONFIRM_SALT,
    Notification,
    Subscriber,
    Subscription,
)
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory, UserFactory

pytestmark = pytest.mark.django_db

READER = "maria.okafor@readers.example"
REPLIER = "jon.replier@readers.example"


class MailServer:
    """An SMTP server that keeps what it receives, or turns mail away while `refusing`."""

    def __init__(self):
        self.refusing = False
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mail server busy, try again later"
        self.received.append(envelope)
        return "250 OK"

    @property
    def messages(self):
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.received
        ]

    def to(self, address):
        return [
            message
            for envelope, message in zip(self.received, self.messages, strict=True)
            if envelope.rcpt_tos == [address]
        ]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    from tests.production.server import free_port

    handler = MailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://news.example"
    settings.COMMENTS_NOTIFY_MODERATORS = False
    yield handler
    controller.stop()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as if its transaction committed: the tasks it enqueues run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def raw(message):
    return message.as_bytes().decode("utf-8", "replace")


def link_in(message, name):
    path = reverse(f"comments:{name}", args=["TOKEN"]).replace("TOKEN/", "")
    return re.search(rf"https://news\.example{re.escape(path)}[^\s/]+/", text_of(message))[0]


def confirmed_follower(article, address=READER, **kwargs):
    comment = CommentFactory(article=article, author_email=address, **kwargs)
    subscriber = Subscriber.objects.create(email=address, confirmed_at=timezone.now())
    Subscription.objects.create(
        subscriber=subscriber, article=article, comment=comment, kind=Subscription.Kind.DISCUSSION
    )
    return comment


def approve(comment, commit):
    with commit():
        comment.approve(by=UserFactory(username="moderator"))


# Double opt-in


def test_ticking_a_box_sends_one_confirmation_and_nothing_else_until_confirmed(
    smtp, post_comment, commit
):
    article = ArticleFactory()
    with commit():
        post_comment(article, notify_followups="on", notify_approval="on")
    comment = Comment.objects.get()
    assert comment.awaiting_moderation

    [confirmation] = smtp.messages
    assert smtp.received[0].rcpt_tos == [READER]
    assert "confirm" in confirmation["Subject"].lower()
    assert link_in(confirmation, "confirm_subscription")

    # Approved, and a follow-up comment approved too: the unconfirmed address gets neither.
    approve(comment, commit)
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)
    assert len(smtp.received) == 1


def test_a_comment_filed_as_spam_sends_no_confirmation(smtp, post_comment, commit):
    with commit():
        post_comment(ArticleFactory(), notify_followups="on", subject="I am a bot")

    assert Comment.objects.get().status == Comment.Status.SPAM
    assert smtp.received == []


def test_unticked_boxes_send_nothing_and_subscribe_no_one(smtp, post_comment, commit):
    with commit():
        post_comment(ArticleFactory())

    assert smtp.received == []
    assert not Subscriber.objects.exists()


def test_confirmation_link_shows_a_button_and_only_a_post_confirms(
    smtp, post_comment, commit, client
):
    with commit():
        post_comment(ArticleFactory(), notify_approval="on")
    url = link_in(smtp.messages[0], "confirm_subscription").removeprefix("https://news.example")

    page = client.get(url)
    assert page.status_code == 200
    assert b"Confirm my address" in page.content
    assert not Subscriber.objects.get().is_receiving  # a mail scanner's GET confirms nothing

    client.post(url)
    assert Subscriber.objects.get().is_receiving


def test_approval_mail_after_confirmation_links_to_the_comment(smtp, post_comment, commit, client):
    with commit():
        post_comment(ArticleFactory(), notify_approval="on")
    client.post(link_in(smtp.messages[0], "confirm_subscription"))
    comment = Comment.objects.get()

    approve(comment, commit)

    [_, approved] = smtp.to(READER)
    assert "approved" in approved["Subject"]
    assert f"https://news.example{comment.get_absolute_url()}" in text_of(approved)
    assert f"https://news.example{comment.get_absolute_url()}" in html_of(approved)


def test_expired_confirmation_link_is_refused_clearly(smtp, client):
    subscriber = Subscriber.objects.create(email=READER)

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 24 * 60 * 60)

    token = EightDaysAgo(salt=CONFIRM_SALT).sign_object(
        {"s": subscriber.pk, "h": subscriber._address_check()},
        serializer=signing.JSONSerializer,
        compress=True,
    )
    url = reverse("comments:confirm_subscription", args=[token])

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert b"This confirmation link has expired" in response.content
    assert not Subscriber.objects.get().is_receiving


def test_forged_confirmation_link_is_refused(client):
    response = client.get(reverse("comments:confirm_subscription", args=["not-a-token"]))

    assert response.status_code == 400
    assert b"This confirmation link is not valid" in response.content


def test_a_confirmed_address_needs_no_new_confirmation(smtp, post_comment, commit):
    article = ArticleFactory()
    Subscriber.objects.create(email=READER, confirmed_at=timezone.now())

    with commit():
        post_comment(article, notify_followups="on")

    assert smtp.received == []
    assert Subscription.objects.get().kind == Subscription.Kind.DISCUSSION


def test_a_second_comment_before_confirming_sends_no_second_confirmation(
    smtp, post_comment, commit
):
    article = ArticleFactory()
    with commit():
        post_comment(article, notify_followups="on")
        post_comment(
            article, notify_approval="on", remote_addr="203.0.113.8", comment="And another."
        )

    assert len(smtp.received) == 1
    assert Subscription.objects.count() == 2


# Follow-up mails


def test_an_approved_reply_mails_the_follower_its_name_excerpt_and_link(smtp, commit):
    article = ArticleFactory(title="Harbour wall vote")
    mine = confirmed_follower(article, author_name="Maria Okafor")
    reply = PendingCommentFactory(
        article=article,
        parent=mine,
        author_name="Jon Replier",
        author_email=REPLIER,
        body="The vote was seven to five, not unanimous.",
    )

    approve(reply, commit)

    [mail] = smtp.messages
    assert smtp.received[0].rcpt_tos == [READER]
    assert mail["To"] == READER
    assert mail["Subject"].endswith('Jon Replier replied to your comment on "Harbour wall vote"')
    for part in (text_of(mail), html_of(mail)):
        assert "Jon Replier" in part
        assert "The vote was seven to five, not unanimous." in part
        assert f"https://news.example{reply.get_absolute_url()}" in part


def test_a_follow_up_mail_never_holds_another_commenters_address(smtp, commit):
    article = ArticleFactory()
    mine = confirmed_follower(article)
    other = confirmed_follower(article, address="third.reader@readers.example")
    reply = PendingCommentFactory(article=article, parent=mine, author_email=REPLIER)

    approve(reply, commit)

    assert len(smtp.received) == 2
    for envelope, message in zip(smtp.received, smtp.messages, strict=True):
        [recipient] = envelope.rcpt_tos
        content = envelope.content.decode("utf-8", "replace").lower()
        for address in {READER, REPLIER, other.author_email} - {recipient}:
            assert address not in content
            assert address not in raw(message).lower()


def test_the_reply_mail_is_escaped_and_has_no_external_resources(smtp, commit):
    article = ArticleFactory()
    confirmed_follower(article)
    approve(
        PendingCommentFactory(
            article=article,
            author_name="<b>Jon</b>",
            author_email=REPLIER,
            body='<img src="https://tracker.example/p.gif"> hello',
        ),
        commit,
    )

    html = html_of(smtp.messages[0])
    assert "<b>Jon</b>" not in html
    assert "&lt;b&gt;Jon&lt;/b&gt;" in html
    assert "<img" not in html
    assert not re.search(r"<(img|link|script)\b", html)


def test_nobody_is_told_about_their_own_comment(smtp, commit):
    article = ArticleFactory()
    mine = confirmed_follower(article)

    approve(
        PendingCommentFactory(article=article, parent=mine, author_email=READER.upper()), commit
    )

    assert smtp.received == []


def test_mails_carry_one_click_unsubscribe_and_thread_per_article(smtp, commit):
    article = ArticleFactory()
    confirmed_follower(article)

    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)

    first, second = smtp.messages
    for mail in (first, second):
        assert re.fullmatch(
            r"<https://news\.example/comments/unsubscribe/[^>]+/>",
            mail["List-Unsubscribe"].strip(),  # (a long header is folded: unfold it)
        )
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert (
            mail["In-Reply-To"]
            == mail["References"]
            == f"<comments.article-{article.pk}@news.example>"
        )
        assert mail.get_body(("plain",)) is not None and mail.get_body(("html",)) is not None
    assert first["Message-ID"] != second["Message-ID"]
    # Both links: this discussion, and everything.
    assert link_in(first, "unsubscribe")
    assert len(re.findall(r"/comments/unsubscribe/", text_of(first))) == 2


def test_a_one_click_post_to_the_unsubscribe_url_stops_the_next_mail(smtp, commit):
    article = ArticleFactory()
    confirmed_follower(article)
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)
    url = smtp.messages[0]["List-Unsubscribe"].strip().strip("<>")

    # As a mail client sends it: no cookie, no CSRF token, no login.
    response = Client(enforce_csrf_checks=True).post(
        url.removeprefix("https://news.example"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)

    assert response.status_code == 200
    assert len(smtp.received) == 1
    assert not Subscription.objects.exists()


def test_the_unsubscribe_link_asks_first_on_get(smtp, commit, client):
    article = ArticleFactory()
    confirmed_follower(article)
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)
    url = smtp.messages[0]["List-Unsubscribe"].strip().strip("<>")

    page = client.get(url)

    assert page.status_code == 200
    assert b"Stop emails about this discussion?" in page.content
    assert Subscription.objects.exists()


def test_stop_everything_ends_every_discussion(smtp, commit, client):
    first, second = ArticleFactory(), ArticleFactory()
    confirmed_follower(first)
    subscriber = Subscriber.objects.get()
    Subscription.objects.create(
        subscriber=subscriber,
        article=second,
        comment=CommentFactory(article=second, author_email=READER),
        kind=Subscription.Kind.DISCUSSION,
    )

    client.post(mailing.unsubscribe_url(subscriber))
    approve(PendingCommentFactory(article=first, author_email=REPLIER), commit)
    approve(PendingCommentFactory(article=second, author_email=REPLIER), commit)

    assert smtp.received == []
    assert Subscriber.objects.get().unsubscribed_all_at is not None


def test_a_bad_unsubscribe_link_is_refused_clearly(client):
    response = client.post(reverse("comments:unsubscribe", args=["forged"]))

    assert response.status_code == 400
    assert b"This unsubscribe link is not valid" in response.content


def test_an_auto_approved_comment_tells_the_followers(smtp, commit, settings):
    article = ArticleFactory()
    confirmed_follower(article)

    with commit():
        CommentFactory(article=article, author_email=REPLIER)

    assert len(smtp.to(READER)) == 1


def test_a_staff_reply_mails_the_follower_once(smtp, commit):
    article = ArticleFactory()
    mine = confirmed_follower(article)
    editor = UserFactory(username="editor", email="editor@staff.example")

    with commit():
        mine.reply_as_staff("Thanks, we have corrected the figure.", by=editor)

    [mail] = smtp.to(READER)
    assert "editor@staff.example" not in raw(mail)


# Digest


def test_more_follow_ups_than_the_limit_in_an_hour_become_one_digest(smtp, commit, settings):
    settings.COMMENTS_NOTIFY_DIGEST_AFTER = 2
    article = ArticleFactory()
    confirmed_follower(article)
    PendingCommentFactory.create_batch(5, article=article, author_email=REPLIER)

    with commit():
        Comment.objects.pending().change_status(Comment.Status.APPROVED)
    assert len(smtp.received) == 2
    assert mailing.send_due_digests() == 0  # not yet: the hour is not over

    sent = mailing.send_due_digests(now=timezone.now() + timedelta(minutes=61))

    assert sent == 1
    assert len(smtp.received) == 3
    digest = smtp.messages[2]
    assert "3 new comments" in digest["Subject"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mailing.send_due_digests(now=timezone.now() + timedelta(minutes=62)) == 0


def test_a_long_digest_lists_the_first_comments_and_counts_the_rest(smtp, settings, monkeypatch):
    settings.COMMENTS_NOTIFY_DIGEST_AFTER = 0
    monkeypatch.setattr(mailing, "DIGEST_MAX_LISTED", 2)
    article = ArticleFactory()
    confirmed_follower(article)
    replies = PendingCommentFactory.create_batch(3, article=article, author_email=REPLIER)
    Comment.objects.pending().change_status(Comment.Status.APPROVED)
    mailing.notify_subscribers([reply.pk for reply in replies])

    mailing.send_due_digests(now=timezone.now() + timedelta(minutes=61))

    [digest] = smtp.messages
    assert "3 new comments" in digest["Subject"]
    assert "And 1 more" in text_of(digest)
    assert text_of(digest).count("/comments/") == 2 + 2  # two comments, two unsubscribe links
    assert REPLIER not in raw(digest)


def test_bulk_approval_tells_subscribers_in_a_fixed_number_of_queries(
    smtp, settings, django_assert_max_num_queries
):
    settings.COMMENTS_NOTIFY_DIGEST_AFTER = 0  # everything held: counts the queries alone
    article = ArticleFactory()
    confirmed_follower(article)
    confirmed_follower(article, address="third.reader@readers.example")
    few = [c.pk for c in PendingCommentFactory.create_batch(3, article=article)]
    many = [c.pk for c in PendingCommentFactory.create_batch(60, article=article)]
    Comment.objects.pending().change_status(Comment.Status.APPROVED)

    with django_assert_max_num_queries(8) as few_queries:
        mailing.notify_subscribers(few)
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        mailing.notify_subscribers(many)
    assert Notification.objects.filter(status=Notification.Status.HELD).count() == 2 * 63


# Sent once


def test_a_retried_task_sends_once(smtp, commit):
    article = ArticleFactory()
    confirmed_follower(article)
    reply = PendingCommentFactory(article=article, author_email=REPLIER)
    smtp.refusing = True

    approve(reply, commit)  # the task fails (huey logs it and schedules the retry)
    assert smtp.received == []
    assert not Notification.objects.exists()  # the claim was given back for the retry

    smtp.refusing = False
    assert mailing.notify_subscribers([reply.pk]) == 1  # the retry
    assert mailing.notify_subscribers([reply.pk]) == 0  # and one more, as a duplicate
    assert len(smtp.received) == 1


# Personal data


def test_personal_data_export_includes_subscriptions(smtp):
    article = ArticleFactory(title="Harbour wall vote")
    confirmed_follower(article)
    out = StringIO()

    call_command("personal_data", "export", READER.upper(), stdout=out)

    data = json.loads(out.getvalue())["notifications"]
    assert data["email"] == READER
    assert data["confirmed_at"]
    assert data["subscriptions"][0]["article"] == "Harbour wall vote"


def test_personal_data_erase_unsubscribes_and_deletes(smtp, commit):
    article = ArticleFactory()
    confirmed_follower(article)

    call_command("personal_data", "erase", READER, stdout=StringIO())
    approve(PendingCommentFactory(article=article, author_email=REPLIER), commit)

    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert smtp.received == []


def test_a_logged_in_reader_subscribes_with_their_accounts_address(
    smtp, post_comment, commit, client
):
    client.force_login(UserFactory(username="staffer", email="staffer@news.example"))

    with commit():
        post_comment(ArticleFactory(), notify_followups="on")

    assert [envelope.rcpt_tos for envelope in smtp.received] == [["staffer@news.example"]]
    assert Subscriber.objects.get().email == "staffer@news.example"
