"""Sanctions in the moderation policy: each kind and target, expiry, and their order."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from comments.models import Comment, Sanction
from comments.moderation import CommentModerator, SubmissionEvidence
from comments.spam_filter import SpamFilter, learn
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

Kind, Target, Status = Sanction.Kind, Sanction.Target, Comment.Status
HUMAN = SubmissionEvidence(timestamp_valid=True, seconds_to_submit=60)


def sanction(kind, target_type, value, **fields):
    return Sanction.objects.create(
        kind=kind, target_type=target_type, value=value, reason="Test case.", **fields
    )


def new_comment(
    email="maria@readers.example", ip="203.0.113.7", body="Thanks for the report.", **fields
):
    return Comment(
        article=fields.pop("article", None) or ArticleFactory(),
        author_name=fields.pop("author_name", "Maria"),
        author_email=email,
        ip_address=ip,
        body=body,
        **fields,
    )


def decide(comment, evidence=HUMAN, **options):
    return CommentModerator(**options).moderate(comment, evidence)


@pytest.mark.parametrize(
    "target_type, value",
    [
        (Target.EMAIL, "Maria@Readers.example"),
        (Target.DOMAIN, "readers.example"),
        (Target.DOMAIN, "@READERS.example"),
        (Target.IP, "203.0.113.7"),
        (Target.NETWORK, "203.0.113.0/24"),
    ],
)
def test_a_ban_on_any_target_sends_the_comment_to_spam_with_the_reason(target_type, value):
    sanction(Kind.BAN, target_type, value)

    decision = decide(new_comment())

    assert decision.status == Status.SPAM
    assert "is banned (Test case.)" in decision.reason


@pytest.mark.parametrize(
    "target_type, value",
    [
        (Target.EMAIL, "someone.else@readers.example"),
        (Target.DOMAIN, "other.example"),
        (Target.IP, "203.0.113.8"),
        (Target.NETWORK, "198.51.100.0/24"),
    ],
)
def test_a_ban_on_someone_else_changes_nothing(target_type, value):
    sanction(Kind.BAN, target_type, value)

    assert decide(new_comment()).status == Status.PENDING


def test_a_banned_domain_takes_its_subdomains_but_not_lookalikes():
    sanction(Kind.BAN, Target.DOMAIN, "spam.example")

    assert decide(new_comment(email="a@mail.spam.example")).status == Status.SPAM
    assert decide(new_comment(email="a@notspam.example")).status == Status.PENDING


def test_an_ipv6_network_ban_holds_its_addresses():
    sanction(Kind.BAN, Target.NETWORK, "2001:db8::/32")

    assert decide(new_comment(ip="2001:db8:0:1::7")).status == Status.SPAM
    assert decide(new_comment(ip="2001:db9::7")).status == Status.PENDING


def test_always_hold_holds_even_a_returning_author_that_would_be_approved():
    article = ArticleFactory()
    CommentFactory(article=article, author_name="Maria", author_email="maria@readers.example")
    comment = new_comment(article=article)
    assert decide(comment, auto_approve_returning=True).status == Status.APPROVED

    sanction(Kind.HOLD, Target.EMAIL, "maria@readers.example")

    decision = decide(new_comment(article=article), auto_approve_returning=True)
    assert decision.status == Status.PENDING
    assert "is always held (Test case.)" in decision.reason


def test_trust_approves_even_a_quick_comment_with_many_links():
    sanction(Kind.TRUST, Target.IP, "203.0.113.7")
    links = "See https://a.example, https://b.example and https://c.example"
    quick = SubmissionEvidence(timestamp_valid=True, seconds_to_submit=0.5)

    decision = decide(new_comment(body=links), quick)

    assert decision.status == Status.APPROVED
    assert "is trusted" in decision.reason


@pytest.mark.parametrize(
    "evidence, options, body",
    [
        (HUMAN.with_honeypot(True), {}, "Hello"),
        (SubmissionEvidence(timestamp_valid=False), {}, "Hello"),
        (HUMAN, {"disallowed_words": ["casino"]}, "Best casino in town"),
    ],
    ids=["honeypot", "forged-timestamp", "disallowed-word"],
)
def test_trust_never_outweighs_a_spam_sign(evidence, options, body):
    sanction(Kind.TRUST, Target.EMAIL, "maria@readers.example")

    assert decide(new_comment(body=body), evidence, **options).status == Status.SPAM


def test_trust_never_outweighs_the_spam_filters_verdict():
    sanction(Kind.TRUST, Target.EMAIL, "maria@readers.example")
    article = ArticleFactory()
    for n in range(3):
        CommentFactory(article=article, body=f"cheap pills casino bonus offer {n}")
        CommentFactory(article=article, body=f"The council meeting ran late again {n}")
    learn(Comment.objects.filter(body__startswith="cheap"), is_spam=True)
    learn(Comment.objects.filter(body__startswith="The council"), is_spam=False)
    checker = SpamFilter(threshold=0.9, min_training=3)

    decision = decide(new_comment(body="cheap pills casino bonus"), spam_checkers=[checker])

    assert decision.status == Status.SPAM
    assert decision.reason.startswith("Spam: the spam filter scored it 1.00 (")


def test_a_ban_outweighs_trust_and_hold_on_the_same_commenter():
    sanction(Kind.TRUST, Target.EMAIL, "maria@readers.example")
    sanction(Kind.HOLD, Target.IP, "203.0.113.7")
    sanction(Kind.BAN, Target.DOMAIN, "readers.example")

    assert decide(new_comment()).status == Status.SPAM


def test_always_hold_outweighs_trust():
    sanction(Kind.TRUST, Target.DOMAIN, "readers.example")
    sanction(Kind.HOLD, Target.EMAIL, "maria@readers.example")

    assert decide(new_comment()).status == Status.PENDING


def test_an_expired_sanction_no_longer_applies():
    sanction(Kind.BAN, Target.EMAIL, "maria@readers.example", expires_at=timezone.now())

    assert decide(new_comment()).status == Status.PENDING


def test_a_sanction_expiring_later_still_applies():
    later = timezone.now() + timedelta(days=1)
    sanction(Kind.BAN, Target.EMAIL, "maria@readers.example", expires_at=later)

    assert decide(new_comment()).status == Status.SPAM


def test_ending_a_sanction_stops_it_at_once():
    ban = sanction(Kind.BAN, Target.EMAIL, "maria@readers.example")

    Sanction.objects.filter(pk=ban.pk).expire()

    assert decide(new_comment()).status == Status.PENDING


def test_matching_takes_one_query_whatever_the_sanctions(django_assert_num_queries):
    for n in range(30):
        sanction(Kind.BAN, Target.EMAIL, f"spammer{n}@spam.example")
        sanction(Kind.HOLD, Target.NETWORK, f"10.{n}.0.0/16")
    comment = new_comment()

    with django_assert_num_queries(1):
        decide(comment)


def test_a_comment_without_email_or_ip_is_matched_by_networks_alone(django_assert_num_queries):
    sanction(Kind.BAN, Target.NETWORK, "203.0.113.0/24")

    assert decide(new_comment(email="", ip=None)).status == Status.PENDING


def test_a_banned_reader_posting_gets_spam_and_the_same_answer_as_anyone(post_comment):
    sanction(Kind.BAN, Target.EMAIL, "maria.okafor@readers.example")

    response = post_comment(ArticleFactory())

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Status.SPAM
    assert comment.moderation_reason.startswith("Spam: email address maria.okafor@")


@pytest.mark.parametrize(
    "target_type, value, stored",
    [
        (Target.EMAIL, "  Maria@Readers.EXAMPLE ", "maria@readers.example"),
        (Target.DOMAIN, "@Readers.Example.", "readers.example"),
        (Target.IP, "2001:DB8:0:0::1", "2001:db8::1"),
        (Target.NETWORK, "203.0.113.7/24", "203.0.113.0/24"),
    ],
)
def test_targets_are_stored_normalised(target_type, value, stored):
    assert sanction(Kind.BAN, target_type, value).value == stored


@pytest.mark.parametrize(
    "target_type, value",
    [
        (Target.EMAIL, "not an address"),
        (Target.DOMAIN, "no spaces.example com"),
        (Target.IP, "203.0.113.300"),
        (Target.NETWORK, "203.0.113.0/33"),
        (Target.NETWORK, "0.0.0.0/0"),
    ],
)
def test_a_bad_target_is_refused_with_a_clear_error(target_type, value):
    ban = Sanction(kind=Kind.BAN, target_type=target_type, value=value, reason="x")

    with pytest.raises(ValidationError) as refused:
        ban.full_clean()

    assert "value" in refused.value.message_dict
    assert not Sanction.objects.exists()
