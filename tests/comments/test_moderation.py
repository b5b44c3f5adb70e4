"""The moderation policy: each rule decides a status and records why."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from comments.forms import issue_timestamp
from comments.models import Comment
from comments.moderation import CommentModerator, SubmissionEvidence
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCEPTED_LOCATION = re.compile(r"^/\d{4}/\d\d/\d\d/[\w-]+/#comment-\d+$")


def stored(post_comment, article=None, **fields):
    article = article or ArticleFactory()
    response = post_comment(article, **fields)
    assert response.status_code == 303
    assert ACCEPTED_LOCATION.match(response["Location"])
    return Comment.objects.latest("pk")


def test_disallowed_word_sends_the_comment_to_spam_with_the_reason(post_comment, settings):
    settings.COMMENTS_DISALLOWED_WORDS = ["casino", "cheap pills"]

    comment = stored(post_comment, comment="Visit my Casino tonight!")

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == "Spam: contains the disallowed word “Casino”."


def test_disallowed_word_in_the_name_counts_too(post_comment, settings):
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]

    comment = stored(post_comment, name="Best Casino Deals")

    assert comment.status == Comment.Status.SPAM


def test_disallowed_word_inside_another_word_does_not_count(post_comment, settings):
    settings.COMMENTS_DISALLOWED_WORDS = ["ass"]

    comment = stored(post_comment, comment="The class assembled in the hall.")

    assert comment.status == Comment.Status.PENDING


def test_more_links_than_allowed_hold_the_comment_with_the_reason(post_comment):
    comment = stored(
        post_comment,
        comment="See https://a.example, https://b.example and <a href='https://c.example'>c</a>",
    )

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == ("Held: 3 links (more than 2 are held for a moderator).")


def test_links_up_to_the_limit_take_the_default_path(post_comment):
    comment = stored(post_comment, comment="See https://a.example and https://b.example")

    assert comment.moderation_reason == "Held for moderation: every new comment is."


def test_link_limit_is_a_setting(post_comment, settings):
    settings.COMMENTS_MAX_LINKS = 0

    comment = stored(post_comment, comment="See https://a.example")

    assert comment.moderation_reason.startswith("Held: 1 links")


def test_returning_author_is_still_held_by_default(post_comment):
    CommentFactory(author_name="Maria Okafor", author_email="maria.okafor@readers.example")

    comment = stored(post_comment)

    assert comment.status == Comment.Status.PENDING


def test_returning_author_is_approved_when_the_setting_is_on(post_comment, settings, client):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    CommentFactory(author_name="Maria Okafor", author_email="Maria.Okafor@readers.example")
    article = ArticleFactory()

    comment = stored(post_comment, article=article)

    assert comment.status == Comment.Status.APPROVED
    assert comment.moderation_reason == "Approved: the author has a previously approved comment."
    assert "The bus lane on Mill Road" in client.get(article.get_absolute_url()).content.decode()


def test_new_author_is_held_even_with_auto_approval_on(post_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    CommentFactory(
        author_name="Maria Okafor",
        author_email="maria.okafor@readers.example",
        status=Comment.Status.PENDING,
    )

    comment = stored(post_comment, comment="A different thought entirely.")

    assert comment.status == Comment.Status.PENDING


def test_returning_author_with_too_many_links_is_held(post_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    CommentFactory(author_name="Maria Okafor", author_email="maria.okafor@readers.example")

    comment = stored(post_comment, comment="https://a.example https://b.example https://c.example")

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason.startswith("Held: 3 links")


# Spam signs (and speed) come before the returning-author approval: a spammer who once got
# a comment approved (or who copies a regular's name and address) gets nothing approved by
# it. Speed alone holds the comment, as people do post fast.
@pytest.mark.parametrize(
    ("fields", "status", "reason"),
    [
        ({"subject": "Buy now"}, "spam", "Spam: the hidden honeypot field was filled in."),
        (
            {"comment": "Cheap casino chips here."},
            "spam",
            "Spam: contains the disallowed word “casino”.",
        ),
        ({"timestamp": "fresh"}, "pending", "Held: sent "),
        ({"timestamp": "forged"}, "spam", "Spam: the form's timestamp"),
    ],
    ids=["honeypot", "disallowed word", "too fast", "forged timestamp"],
)
def test_returning_approved_author_showing_a_spam_sign_is_not_approved(
    post_comment, settings, fields, status, reason
):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]
    CommentFactory(author_name="Maria Okafor", author_email="maria.okafor@readers.example")
    article = ArticleFactory()
    if fields.get("timestamp") == "fresh":
        fields = {"timestamp": issue_timestamp(article)}

    comment = stored(post_comment, article=article, **fields)

    assert comment.status == status
    assert comment.moderation_reason.startswith(reason)


def test_filled_honeypot_is_spam_and_the_sender_sees_the_usual_redirect(post_comment):
    comment = stored(post_comment, subject="Buy now")

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == "Spam: the hidden honeypot field was filled in."


def test_form_sent_back_faster_than_people_write_is_held_with_the_reason(post_comment):
    article = ArticleFactory()

    comment = stored(post_comment, article=article, timestamp=issue_timestamp(article))

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason.startswith("Held: sent ")
    assert comment.moderation_reason.endswith("(most people take at least 3 s).")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"subject": "Buy now"}, "Spam: the hidden honeypot field was filled in."),
        ({"comment": "Cheap casino chips here."}, "Spam: contains the disallowed word “casino”."),
    ],
    ids=["honeypot", "disallowed word"],
)
def test_a_fast_comment_with_another_spam_sign_is_spam(post_comment, settings, fields, reason):
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]
    article = ArticleFactory()

    comment = stored(post_comment, article=article, timestamp=issue_timestamp(article), **fields)

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == reason


def test_minimum_time_to_fill_in_the_form_is_a_setting(post_comment, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 120
    article = ArticleFactory()

    comment = stored(
        post_comment, article=article, timestamp=issue_timestamp(article, time.time() - 60)
    )

    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason.startswith("Held: sent 60.")


def test_speed_is_counted_from_when_the_reader_first_opened_the_form(post_comment):
    article = ArticleFactory()
    # Shown again just now (after an error), first opened a minute ago.
    timestamp = issue_timestamp(article, opened_at=time.time() - 60)

    comment = stored(post_comment, article=article, timestamp=timestamp)

    assert comment.moderation_reason == "Held for moderation: every new comment is."


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "not-a-signed-value",
        signing.dumps({"article": 1, "issued": 0}, salt="another.salt"),
        "tampered",
    ],
    ids=["missing", "garbage", "wrong salt", "tampered"],
)
def test_missing_or_forged_timestamp_is_spam_silently(post_comment, forged):
    article = ArticleFactory()
    if forged == "tampered":
        real = issue_timestamp(article, time.time() - 60)
        forged = real[:-3] + ("AAA" if not real.endswith("AAA") else "BBB")

    comment = stored(post_comment, article=article, timestamp=forged)

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == "Spam: the form's timestamp was missing or forged."


def test_timestamp_from_another_articles_form_is_spam(post_comment):
    article = ArticleFactory()
    other = ArticleFactory()

    comment = stored(
        post_comment, article=article, timestamp=issue_timestamp(other, time.time() - 60)
    )

    assert comment.status == Comment.Status.SPAM


def test_spam_is_shown_to_its_sender_alone_as_awaiting_moderation(client, post_comment):
    article = ArticleFactory()
    comment = stored(post_comment, article=article, subject="Buy now")

    html = client.get(article.get_absolute_url()).content.decode()

    assert comment.status == Comment.Status.SPAM
    assert f'<li id="comment-{comment.pk}" class="comment depth-1 comment-awaiting">' in html
    assert "Your comment is awaiting moderation." in html
    assert "The bus lane on Mill Road" in html
    other_reader = Client().get(article.get_absolute_url()).content.decode()
    assert "The bus lane on Mill Road" not in other_reader


def test_spam_looks_to_its_sender_exactly_like_a_pending_comment(client, post_comment):
    article = ArticleFactory()
    pending = stored(post_comment, article=article, remote_addr="203.0.113.8")
    spam = stored(
        post_comment, article=article, remote_addr="203.0.113.9", subject="x", comment="Hi!"
    )
    Comment.objects.update(submitted_at=pending.submitted_at)

    html = client.get(article.get_absolute_url()).content.decode()

    def shown(comment, body):
        start = html.index(f'<li id="comment-{comment.pk}"')
        return (
            html[start : html.index("</li>", start)]
            .replace(f"comment-{comment.pk}", "comment-N")
            .replace(f"/comments/{comment.pk}/", "/comments/N/")
            .replace(body, "TEXT")
        )

    assert shown(pending, "The bus lane on Mill Road has made my commute ten minutes shorter.") == (
        shown(spam, "Hi!")
    )


def test_sender_s_spam_is_in_no_feed(client, post_comment):
    article = ArticleFactory()
    CommentFactory(article=article, body="Approved words.")
    stored(post_comment, article=article, subject="Buy now")

    for feed in (
        reverse("comments:article_feed", args=[article.pk]),
        reverse("comments:feed"),
    ):
        xml = client.get(feed).content.decode()
        assert "Approved words." in xml
        assert "The bus lane on Mill Road" not in xml


def test_moderator_decides_without_the_web():
    moderator = CommentModerator(disallowed_words=["casino"], max_links=1)
    article = ArticleFactory()
    comment = Comment(article=article, author_name="A", author_email="a@x.example", body="hi")

    assert moderator.moderate(comment, SubmissionEvidence(seconds_to_submit=10)).status == (
        Comment.Status.PENDING
    )
    comment.body = "casino"
    assert moderator.moderate(comment, SubmissionEvidence(seconds_to_submit=10)).status == (
        Comment.Status.SPAM
    )


def test_logged_in_author_with_an_approved_comment_is_approved_when_on(
    client, post_comment, settings
):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    user = UserFactory()
    CommentFactory(user=user, author_email="")
    client.force_login(user)

    comment = stored(post_comment)

    assert comment.status == Comment.Status.APPROVED


def test_policy_holds_a_fast_comment_unless_another_spam_sign_is_present():
    moderator = CommentModerator(disallowed_words=["casino"], min_seconds_to_submit=3)
    article = ArticleFactory()
    comment = Comment(article=article, author_name="A", author_email="a@x.example", body="Yes!")
    fast = SubmissionEvidence(seconds_to_submit=1.3)

    held = moderator.moderate(comment, fast)
    assert held.status == Comment.Status.PENDING
    assert held.reason == (
        "Held: sent 1.3 s after the form was first shown (most people take at least 3 s)."
    )
    assert moderator.moderate(comment, fast.with_honeypot(True)).status == Comment.Status.SPAM
    comment.body = "casino"
    assert moderator.moderate(comment, fast).status == Comment.Status.SPAM
