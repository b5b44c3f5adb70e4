"""Reader reports (the EU Digital Services Act's notice and action).

A reader reports an approved comment with a reason and optional text; after
COMMENTS_REPORTS_TO_HOLD open reports the comment goes back to the queue as pending,
audited. The moderator's decision on a reported comment (kept or removed), who made it,
when and why, is written on each of its reports: from the comment's page (a decision
with a reason), or from any approve, spam or remove (comment_status_changed).

A report stores no IP address, email or cookie value: nothing ties it to the reporter,
so it is not personal data of theirs (personal_data has nothing to find). Flood control
counts reports per IP address in the cache only, and "one report per browser" is a signed
cookie scoped to /comments/ (see views.report_comment).
"""

from django import forms
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from .models import Comment, CommentStatusChange


class CommentReportQuerySet(models.QuerySet):
    def open(self):
        """Reports no moderator has decided on yet."""
        return self.filter(resolved_at__isnull=True)


class CommentReport(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abuse, harassment or hate"
        OFF_TOPIC = "off_topic", "Off-topic"
        PERSONAL_DATA = "personal_data", "Someone's personal data"
        ILLEGAL = "illegal", "Illegal content"

    class Decision(models.TextChoices):
        KEPT = "kept", "Kept"
        REMOVED = "removed", "Removed"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=13, choices=Reason.choices)
    text = models.TextField(
        "details", max_length=1000, blank=True, help_text="What the reader added, if anything."
    )
    reported_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(max_length=7, choices=Decision.choices, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)

    objects = CommentReportQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [
            # The "Reported" filter of the queue: open reports only, a short list.
            models.Index(
                fields=["comment"], condition=Q(resolved_at__isnull=True), name="report_open"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, decision="")
                | Q(resolved_at__isnull=False) & ~Q(decision=""),
                name="report_resolved_with_decision",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on comment {self.comment_id}"


def file_report(comment, *, reason, text=""):
    """Store a reader's report; hold the comment after COMMENTS_REPORTS_TO_HOLD open
    reports (audited, as the policy's own move). Returns the report."""
    with transaction.atomic():
        report = CommentReport.objects.create(comment=comment, reason=reason, text=text)
        limit = settings.COMMENTS_REPORTS_TO_HOLD
        if limit > 0 and comment.is_approved:
            count = CommentReport.objects.open().filter(comment=comment).count()
            if count >= limit:
                comment.restore(note=f"Held for a moderator after {count} reader reports.")
    return report


def resolve_reports(comment, *, decision, by, reason):
    """A moderator's decision on a reported comment: kept (approved) or removed, with why.

    The comment moves through its audited methods (which resolve its open reports, see
    record_decision); a comment kept that was already approved gets an audit row saying
    so. Returns the number of reports resolved."""
    with transaction.atomic():
        if decision == CommentReport.Decision.KEPT:
            moved = comment.approve(by=by, note=reason)
        else:
            moved = comment.remove(by=by, note=reason)
        resolved = _resolve(
            CommentReport.objects.open().filter(comment=comment), decision, by, Value(reason)
        )
        if not moved and resolved:
            CommentStatusChange.objects.create(
                comment=comment,
                changed_by=by,
                from_status=comment.status,
                to_status=comment.status,
                note=f"Reports resolved ({CommentReport.Decision(decision).label}): {reason}",
            )
            LogEntry.objects.log_actions(
                by.pk, [comment], CHANGE, f"Reports resolved: {reason}", single_object=True
            )
    return resolved


def _resolve(reports, decision, by, reason):
    return reports.update(
        resolved_at=timezone.now(),
        resolved_by=by,
        decision=decision,
        decision_reason=reason,
    )


DECISIONS = {
    Comment.Status.APPROVED: CommentReport.Decision.KEPT,
    Comment.Status.SPAM: CommentReport.Decision.REMOVED,
    Comment.Status.REMOVED: CommentReport.Decision.REMOVED,
}


def record_decision(sender, to_status, batch, changed_by=None, **kwargs):
    """A moderator approved, marked as spam or removed comments (a button, a bulk action,
    a ban): their open reports are resolved so, the audit rows' note as the reason. One
    UPDATE for the whole batch."""
    if changed_by is None or to_status not in DECISIONS:
        return
    rows = CommentStatusChange.objects.batch(batch)
    note = rows.filter(comment_id=OuterRef("comment_id")).values("note")[:1]
    _resolve(
        CommentReport.objects.open().filter(comment_id__in=rows.values("comment_id")),
        DECISIONS[to_status],
        changed_by,
        Coalesce(
            NullIf(Subquery(note), Value("")),
            Value(f"Marked {Comment.Status(to_status).label.lower()} by a moderator."),
        ),
    )


def with_open_reports(comments):
    """These comments, only those with open reports, each with `open_report_count`."""
    return comments.annotate(
        open_report_count=Count("reports", filter=Q(reports__resolved_at__isnull=True))
    ).filter(open_report_count__gt=0)


def open_report_summary(comment_ids):
    """{comment id: [(reason label, count), ...]} of the open reports, in one query."""
    summary = {}
    rows = (
        CommentReport.objects.open()
        .filter(comment_id__in=comment_ids)
        .order_by()
        .values_list("comment_id", "reason")
        .annotate(count=Count("pk"))
        .order_by("comment_id", "-count", "reason")
    )
    for comment_id, reason, count in rows:
        summary.setdefault(comment_id, []).append((CommentReport.Reason(reason).label, count))
    return summary


class ReportForm(forms.ModelForm):
    class Meta:
        model = CommentReport
        fields = ["reason", "text"]
        labels = {"reason": "What is wrong with this comment?", "text": "Anything to add?"}
        help_texts = {"text": "Optional. Up to 1,000 characters. Do not include your name."}
        widgets = {
            "reason": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 4, "cols": 45, "maxlength": 1000}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radio list without the empty "---------" choice of a blank select.
        self.fields["reason"].choices = CommentReport.Reason.choices
