"""Commenters who asked to hear back: subscribers, what they follow, and what was sent.

Double opt-in: ticking a box under the form records the wish (a Subscription) and sends
one confirmation email; nothing else goes to an address until its Subscriber is
confirmed, and a confirmed address stays confirmed for later comments.

"Notify me of follow-up comments" means the whole discussion, as WordPress's
subscribe-to-comments plugins have it: every comment approved on that article after the
subscriber's own (their own comments excepted), replies to them included; mails about a
reply to one of their comments say so. "Notify me when my comment is approved" follows
one comment.

Email addresses are matched whatever their case (as Comment.objects.by_emails does) and
are never shown publicly: only moderators see them, in the admin.
"""

from datetime import timedelta

from django.core import signing
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from articles.models import Article

from .models import EMAIL_MAX_LENGTH, Comment

CONFIRM_SALT = "comments.subscriptions.confirm"
UNSUBSCRIBE_SALT = "comments.subscriptions.unsubscribe"
# How long a confirmation link works.
CONFIRMATION_MAX_AGE = timedelta(days=7)
# One confirmation email per address per this long, however many comments ask for one:
# the form must not be a way to flood someone else's inbox.
CONFIRMATION_RESEND_AFTER = timedelta(hours=1)


class SubscriberQuerySet(models.QuerySet):
    def by_email(self, email):
        return self.alias(email_lower=Lower("email")).filter(email_lower=email.strip().lower())

    def receiving(self):
        """Those mail may go to: confirmed, and not unsubscribed from everything."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_all_at__isnull=True)


class Subscriber(models.Model):
    """An email address that asked for comment notifications."""

    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_all_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="unique_subscriber_email_lower")
        ]

    def __str__(self):
        return self.email

    @property
    def is_receiving(self):
        return self.confirmed_at is not None and self.unsubscribed_all_at is None

    def _address_check(self):
        # The link must name the address without showing it (links end up in logs):
        # a keyed hash, so a link stops working if the row ever holds another address.
        return salted_hmac(CONFIRM_SALT, self.email.lower()).hexdigest()[:20]

    def confirmation_token(self):
        return signing.dumps({"s": self.pk, "h": self._address_check()}, salt=CONFIRM_SALT)

    @classmethod
    def from_confirmation_token(cls, token):
        """The subscriber a confirmation link is for; SignatureExpired after 7 days,
        BadSignature if forged or if the address was erased since."""
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRMATION_MAX_AGE.total_seconds())
        try:
            subscriber = cls.objects.get(pk=data["s"])
            if not constant_time_compare(subscriber._address_check(), data["h"]):
                raise ValueError
        except (cls.DoesNotExist, KeyError, TypeError, ValueError):
            raise signing.BadSignature("No such subscriber.") from None
        return subscriber

    def unsubscribe_token(self, article=None):
        return signing.dumps(
            {"s": self.pk, "a": article.pk if article else None}, salt=UNSUBSCRIBE_SALT
        )

    def confirm(self):
        """Confirmed from now on (again, if they had unsubscribed from everything)."""
        Subscriber.objects.filter(pk=self.pk).update(
            confirmed_at=self.confirmed_at or timezone.now(), unsubscribed_all_at=None
        )
        self.refresh_from_db(fields=["confirmed_at", "unsubscribed_all_at"])

    def unsubscribe(self, article=None):
        """Stop the mails about one discussion (`article`), or about everything.

        Stopping everything also drops the digest entries not sent yet; ticking a box
        again afterwards asks for a new confirmation. Returns the subscriptions ended."""
        with transaction.atomic():
            subscriptions = self.subscriptions.all()
            if article is not None:
                subscriptions = subscriptions.filter(article=article)
            else:
                Subscriber.objects.filter(pk=self.pk).update(
                    unsubscribed_all_at=timezone.now(), confirmed_at=None, confirmation_sent_at=None
                )
                self.notifications.filter(status=Notification.Status.HELD).delete()
            ended, _ = subscriptions.delete()
        self.refresh_from_db(fields=["confirmed_at", "unsubscribed_all_at"])
        return ended

    def export_personal_data(self):
        return {
            "email": self.email,
            "subscribed_at": self.created_at,
            "confirmation_sent_at": self.confirmation_sent_at,
            "confirmed_at": self.confirmed_at,
            "unsubscribed_from_everything_at": self.unsubscribed_all_at,
            "subscriptions": [
                {
                    "kind": subscription.get_kind_display(),
                    "article": subscription.article.title,
                    "comment_id": subscription.comment_id,
                    "since": subscription.created_at,
                }
                for subscription in self.subscriptions.select_related("article")
            ],
            "notifications_sent": self.notifications.filter(
                status=Notification.Status.SENT
            ).count(),
        }


class Subscription(models.Model):
    class Kind(models.TextChoices):
        # The whole discussion: "Notify me of follow-up comments by email."
        DISCUSSION = "discussion", "Follow-up comments on the article"
        # "Notify me when my comment is approved."
        APPROVAL = "approval", "Approval of my comment"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The comment whose approval is awaited (APPROVAL), or that subscribed (DISCUSSION).
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "article"],
                condition=Q(kind="discussion"),
                name="one_discussion_subscription_per_article",
            ),
            models.UniqueConstraint(
                fields=["subscriber", "comment"],
                condition=Q(kind="approval"),
                name="one_approval_subscription_per_comment",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["discussion", "approval"]), name="subscription_kind_known"
            ),
        ]
        indexes = [
            # Who follows an article, asked for each approval batch.
            models.Index(fields=["article", "kind"], name="subscription_article_kind"),
            models.Index(fields=["comment"], name="subscription_comment"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"


def subscribe(comment, *, discussion=False, approval=False):
    """Record what the author of `comment` (just saved) asked to be told about.

    Returns the Subscriber, and enqueues its confirmation email after commit if the
    address is not confirmed yet (at most one per CONFIRMATION_RESEND_AFTER).
    """
    email = comment.author_email.strip()
    if not email or not (discussion or approval):
        return None
    from newsroom.outbox import enqueue

    from .tasks import send_subscription_confirmation

    wanted = []
    if discussion:
        wanted.append(Subscription.Kind.DISCUSSION)
    # A comment approved as it was posted needs no approval notice.
    if approval and not comment.is_approved:
        wanted.append(Subscription.Kind.APPROVAL)
    if not wanted:
        return None
    now = timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.by_email(email).select_for_update().first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(email=email.lower(), created_at=now)
        Subscription.objects.bulk_create(
            [
                Subscription(
                    subscriber=subscriber, article_id=comment.article_id, kind=kind, comment=comment
                )
                for kind in wanted
            ],
            ignore_conflicts=True,
        )
        due = subscriber.confirmation_sent_at is None or (
            now - subscriber.confirmation_sent_at >= CONFIRMATION_RESEND_AFTER
        )
        # Not for a comment the policy filed as spam: a bot typing someone else's
        # address must not get them mailed. (The wish is kept; their next comment asks.)
        if not subscriber.is_receiving and due and comment.status != Comment.Status.SPAM:
            Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=now)
            transaction.on_commit(
                lambda: enqueue(send_subscription_confirmation, subscriber.pk), robust=True
            )
    return subscriber


class NotificationQuerySet(models.QuerySet):
    def counted_for_digest(self, now=None):
        """Reply notifications of the last hour, sent or held: what the digest limit counts."""
        since = (now or timezone.now()) - timedelta(hours=1)
        return self.filter(kind=Notification.Kind.REPLY, created_at__gte=since)


class Notification(models.Model):
    """One notice about one comment to one subscriber: the key that makes sending
    idempotent. Claimed (SENDING) before the mail goes out, SENT after; a failed send
    gives the claim back, so that the retry sends it, once. Reply notices beyond
    COMMENTS_NOTIFY_DIGEST_AFTER in an hour wait (HELD) for the next digest."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Follow-up comment"
        APPROVAL = "approval", "Comment approved"

    class Status(models.TextChoices):
        SENDING = "sending", "Being sent"
        HELD = "held", "Held for the digest"
        SENT = "sent", "Sent"

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The run that inserted or took the row (cleared once sent): of two runs at once,
    # each sends only the notices it claimed.
    claim = models.UUIDField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "comment", "kind"], name="one_notification_per_comment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["sending", "held", "sent"]),
                name="notification_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["subscriber", "kind", "created_at"], name="notification_recent"),
            models.Index(
                fields=["created_at"],
                condition=Q(status="held"),
                name="notification_held",
            ),
            models.Index(fields=["comment"], name="notification_comment"),
            models.Index(
                fields=["claim"], condition=Q(claim__isnull=False), name="notification_claim"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"
