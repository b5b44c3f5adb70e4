"""The moderation policy: each rule decides a status and records why."""

import re
import time

import pytest
from django.core import signing

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


# Spam signs come before the returning-author approval: a spammer who once got a comment
# approved (or who copies a regular's name and address) gets nothing approved by it.
@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"subject": "Buy now"}, "Spam: the hidden honeypot field was filled in."),
        ({"comment": "Cheap casino chips here."}, "Spam: contains the disallowed word “casino”."),
        ({"timestamp": "fresh"}, "Spam: sent "),
        ({"timestamp": "forged"}, "Spam: the form's timestamp"),
    ],
    ids=["honeypot", "disallowed word", "too fast", "forged timestamp"],
)
def test_returning_approved_author_showing_a_spam_sign_is_not_approved(
    post_comment, settings, fields, reason
):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]
    CommentFactory(author_name="Maria Okafor", author_email="maria.okafor@readers.example")
    article = ArticleFactory()
    if fields.get("timestamp") == "fresh":
        fields = {"timestamp": issue_timestamp(article)}

    comment = stored(post_comment, article=article, **fields)

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason.startswith(reason)


def test_filled_honeypot_is_spam_and_the_sender_sees_the_usual_redirect(post_comment):
    comment = stored(post_comment, subject="Buy now")

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason == "Spam: the hidden honeypot field was filled in."


def test_form_sent_back_implausibly_fast_is_spam_silently(post_comment):
    article = ArticleFactory()

    comment = stored(post_comment, article=article, timestamp=issue_timestamp(article))

    assert comment.status == Comment.Status.SPAM
    assert comment.moderation_reason.startswith("Spam: sent ")
    assert comment.moderation_reason.endswith("(people take at least 3 s).")


def test_minimum_time_to_fill_in_the_form_is_a_setting(post_comment, settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 120
    article = ArticleFactory()

    comment = stored(
        post_comment, article=article, timestamp=issue_timestamp(article, time.time() - 60)
    )

    assert comment.status == Comment.Status.SPAM


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


def test_spam_is_never_shown_even_to_its_sender(client, post_comment):
    article = ArticleFactory()
    stored(post_comment, article=article, subject="Buy now")

    assert (
        "The bus lane on Mill Road" not in client.get(article.get_absolute_url()).content.decode()
    )


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
