from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What readers may see. The one definition of a visible comment."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_reader(self, own_pending_ids=()):
        """What one reader sees: approved comments, plus their own still awaiting moderation.

        `own_pending_ids` must come from that reader's signed cookie, never from the URL.
        """
        visible = self.approved()
        if own_pending_ids:
            visible = visible | self.pending().filter(pk__in=list(own_pending_ids))
        return visible

    def spam(self):
        return self.filter(status=Comment.Status.SPAM)

    def removed(self):
        return self.filter(status=Comment.Status.REMOVED)

    def change_status(self, to_status, *, by=None, note=""):
        """Move every comment in this queryset to `to_status`, with an audit row each.

        Runs in a fixed number of queries whatever the number of comments, in one
        transaction. Comments already in `to_status` are left alone. Returns the number
        of comments changed.
        """
        now = timezone.now()
        with transaction.atomic():
            moving = list(
                self.exclude(status=to_status).select_for_update().values_list("pk", "status")
            )
            if not moving:
                return 0
            pks = [pk for pk, _ in moving]
            Comment.objects.filter(pk__in=pks).update(status=to_status, status_changed_at=now)
            CommentStatusChange.objects.bulk_create(
                CommentStatusChange(
                    comment_id=pk,
                    changed_by=by,
                    changed_at=now,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                )
                for pk, from_status in moving
            )
        return len(moving)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    author_name = models.CharField("name", max_length=245)
    # Never shown publicly: only moderators see it.
    author_email = models.EmailField("email", max_length=100, blank=True)
    author_url = models.URLField("website", max_length=200, blank=True)
    body = models.TextField("comment", help_text="As the commenter wrote it.")
    body_html = models.TextField(
        editable=False, help_text="The sanitised HTML readers see, rendered once on save."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    moderation_reason = models.CharField(
        "why", max_length=255, blank=True, help_text="Why the moderation policy chose the status."
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "submitted_at"]),
            models.Index(fields=["status", "-submitted_at"]),
            models.Index(fields=["author_email"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "wordpress_id"],
                condition=models.Q(wordpress_id__isnull=False),
                name="unique_wordpress_comment_per_article",
            )
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}"

    def save(self, *args, **kwargs):
        from .rendering import render_comment_body

        self.body_html = render_comment_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """A stable link that redirects to the comment on whichever page of the article."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def awaiting_moderation(self):
        return self.status == self.Status.PENDING

    def _change_status(self, to_status, by=None, note=""):
        changed = Comment.objects.filter(pk=self.pk).change_status(to_status, by=by, note=note)
        if changed:
            self.refresh_from_db(fields=["status", "status_changed_at"])
        return bool(changed)

    def approve(self, by=None, note=""):
        return self._change_status(self.Status.APPROVED, by=by, note=note)

    def mark_spam(self, by=None, note=""):
        return self._change_status(self.Status.SPAM, by=by, note=note)

    def remove(self, by=None, note=""):
        return self._change_status(self.Status.REMOVED, by=by, note=note)

    def restore(self, by=None, note=""):
        """Back to the queue, as pending."""
        return self._change_status(self.Status.PENDING, by=by, note=note)


class CommentStatusChange(models.Model):
    """The audit trail: who moved a comment from which status to which, and when."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="status_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"
