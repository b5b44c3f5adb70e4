import json
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower, Substr
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from newsroom.db import count_rows_each, insert_from_select
from newsroom.links import public_url
from pagecache.generation import content_changed

from .rendering import render_comment_body
from .signals import comment_status_changed, tell_moderators_of_held_comment


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """What every reader may see; for_reader() adds a reader's own pending comments."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_reader(self, own_pending_ids=(), *, highlighted=None, **within):
        """What one reader sees: approved comments, plus their own still awaiting moderation.

        `own_pending_ids` must come from that reader's signed cookie, never from the URL.
        "Awaiting moderation" is what the author is told of every comment no moderator has
        turned down yet, the ones the policy filed as spam included (see held()).
        `within` (article=...) narrows every part of the OR alike, so that each can be
        read from the (article, status) index: narrowed after the OR, SQLite reads every
        comment of the article, the pending ones too, which a comment flood makes many.
        One filter() with Q objects, not querysets joined by |, which Django takes
        several times longer to build.
        `highlighted`: the id of one more comment, whatever its status, that a moderator
        asked to see in an article's staff preview (the caller checks the permission).
        """
        visible = Q(status=Comment.Status.APPROVED, **within)
        if own_pending_ids:
            own = list(own_pending_ids)
            for held in HELD:
                visible |= Q(held, pk__in=own, **within)
        if highlighted is not None:
            visible |= Q(pk=highlighted, **within)
        return self.filter(visible)

    def held(self):
        """Comments waiting for a moderator: pending ones, and those the policy filed as
        spam that no moderator has looked at yet (the Spam view, where false positives
        are rescued). Their authors see them in place, marked as awaiting moderation, so
        that a spammer learns nothing and a person loses nothing; nobody else sees them."""
        return self.filter(HELD[0] | HELD[1])

    def spam(self):
        return self.filter(status=Comment.Status.SPAM)

    def removed(self):
        return self.filter(status=Comment.Status.REMOVED)

    def status_counts(self):
        """{status: newsroom.db.RowCount} of these comments, for the moderation queue:
        exact up to 10,000 a status, estimated above on PostgreSQL (a million comments
        are not counted on every page of the queue)."""
        return count_rows_each({status: self.filter(status=status) for status in Comment.Status})

    def purgeable(self, *, days, now=None):
        """Spam and removed comments moderated more than `days` ago, like WordPress's trash.

        Counted from the last status change; comments moderated before status_changed_at
        existed (imports) count from when they were submitted.
        """
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return self.alias(moderated_at=Coalesce("status_changed_at", "submitted_at")).filter(
            status__in=[Comment.Status.SPAM, Comment.Status.REMOVED], moderated_at__lt=cutoff
        )

    def purge(self):
        """Delete these comments for good, keeping their replies in the thread.

        As WordPress does, a reply to a deleted comment moves up to the deleted comment's
        own parent (the nearest one that stays). Returns the number of comments deleted.
        """
        with transaction.atomic():
            doomed = dict(self.values_list("pk", "parent_id"))
            if not doomed:
                return 0
            survivors = Comment.objects.filter(parent_id__in=doomed).exclude(pk__in=doomed)
            new_parents = {}
            for pk, parent_id in survivors.values_list("pk", "parent_id"):
                while parent_id in doomed:
                    parent_id = doomed[parent_id]
                new_parents.setdefault(parent_id, []).append(pk)
            for parent_id, pks in new_parents.items():
                Comment.objects.filter(pk__in=pks).update(parent_id=parent_id)
            Comment.objects.filter(pk__in=doomed).delete()
        return len(doomed)

    def by_emails(self, emails):
        """Every comment written with these email addresses, whatever their case."""
        wanted = {email.strip().lower() for email in emails if email and email.strip()}
        return self.alias(email_lower=Lower("author_email")).filter(email_lower__in=wanted)

    def change_status(self, to_status, *, by=None, note=""):
        """Move every comment in this queryset to `to_status`, with an audit row each.

        Runs in a fixed number of queries whatever the number of comments, in one
        transaction: the audit rows are written by one INSERT ... SELECT, and the comments
        they name are updated by one UPDATE. With a user (`by`), each change is also in
        the admin's history (LogEntry). Comments already in `to_status` are left alone.
        Returns the number of comments changed.
        """
        now = timezone.now()
        with transaction.atomic():
            changed, batch_id = self.exclude(status=to_status)._audited_update(
                now=now,
                to_status=to_status,
                fields={"status": to_status, "status_changed_at": now},
                note=note,
                by=by,
                admin_message=f"Marked {Comment.Status(to_status).label}.",
            )
            if changed:
                comment_status_changed.send(
                    sender=Comment, to_status=to_status, batch=batch_id, changed_by=by
                )
        return changed

    def _audited_update(self, *, to_status, fields, note, by, admin_message, now=None):
        """Update these comments with `fields` and write one audit row each (from their
        status to `to_status`, which may be an F("status") for a change that is not a
        move), in a fixed number of queries and one transaction; with a user, each is in
        the admin's history too. Returns (how many changed, the audit rows' batch id).

        Called inside the caller's transaction, which also holds what follows the change.
        """
        now, batch_id = now or timezone.now(), uuid.uuid4()
        changing = self.order_by()
        if connections[self.db].features.has_select_for_update:
            # Lock first (PostgreSQL), so two moderators acting at once cannot both
            # change, and both audit, the same comment. (SQLite locks the whole file.)
            list(changing.select_for_update().values_list("pk", flat=True))
        changed = insert_from_select(
            CommentStatusChange,
            changing,
            {
                "comment": F("pk"),
                "from_status": F("status"),
                "to_status": to_status,
                "changed_by": by.pk if by is not None else None,
                "changed_at": now,
                "note": note,
                "batch": batch_id,
            },
        )
        if changed:
            batch = CommentStatusChange.objects.batch(batch_id)
            Comment.objects.filter(pk__in=batch.values("comment_id")).update(**fields)
            if by is not None:
                batch.log_to_admin_history(by, admin_message)
        return changed, batch_id

    def feature(self, *, by):
        """Make these approved comments editors' picks (others are left alone), audited.

        Like change_status(): a fixed number of queries, one audit row and, with a user,
        one admin history entry per comment featured. Returns how many were featured.
        """
        return self._set_featured(True, by=by)

    def unfeature(self, *, by):
        """No longer editors' picks, audited as feature() is. Returns how many changed."""
        return self._set_featured(False, by=by)

    def _set_featured(self, featured, *, by):
        now = timezone.now()
        if featured:
            changing = self.approved().filter(featured_at__isnull=True)
            note, fields = FEATURED_NOTE, {"featured_at": now, "featured_by": by}
        else:
            changing = self.filter(featured_at__isnull=False)
            note, fields = UNFEATURED_NOTE, {"featured_at": None, "featured_by": None}
        with transaction.atomic():
            changed, _ = changing._audited_update(
                now=now, to_status=F("status"), fields=fields, note=note, by=by, admin_message=note
            )
            if changed:
                # update() sends no signal: the badge and the picks-first order are on pages.
                content_changed()
        return changed

    def export_personal_data(self):
        """What the site holds about the commenters of these comments, as JSON-ready dicts."""
        return [
            {
                "article": comment.article.title,
                "article_url": public_url(comment.article.get_absolute_url()),
                "comment_url": public_url(comment.get_absolute_url()),
                "date": comment.submitted_at.isoformat(),
                "name": comment.author_name,
                "email": comment.author_email,
                "website": comment.author_url,
                "ip_address": comment.ip_address,
                "user_agent": comment.user_agent,
                "text": comment.body,
                "earlier_texts": [
                    {"replaced_at": edit.edited_at.isoformat(), "text": edit.previous_body}
                    for edit in comment.edits.all()
                ],
                "status": comment.status,
            }
            for comment in self.select_related("article")
            .prefetch_related("edits")
            .order_by("submitted_at", "pk")
        ]

    def erase_personal_data(self, *, by=None, remove_text=False):
        """Anonymise these comments as WordPress's eraser does; optionally drop the text.

        The name becomes "Anonymous"; email, website, IP address, user agent and the link
        to a user account are cleared, and the name leaves the comments' admin history
        entries too. Each comment gets an audit row (status unchanged, with a note) and,
        with a user, an admin history entry. Returns the number erased.
        """
        now, batch_id = timezone.now(), uuid.uuid4()
        note = "Personal data erased" + (", text removed" if remove_text else "") + "."
        fields = {
            "author_name": "Anonymous",
            "author_email": "",
            "author_url": "",
            "ip_address": None,
            "user_agent": "",
            "user": None,
        }
        if remove_text:
            fields |= {"body": ERASED_TEXT, "body_html": render_comment_body(ERASED_TEXT)}
        with transaction.atomic():
            erased = insert_from_select(
                CommentStatusChange,
                self,
                {
                    "comment": F("pk"),
                    "from_status": F("status"),
                    "to_status": F("status"),
                    "changed_by": by.pk if by is not None else None,
                    "changed_at": now,
                    "note": note,
                    "batch": batch_id,
                },
            )
            batch = CommentStatusChange.objects.batch(batch_id)
            erasing = Comment.objects.filter(pk__in=batch.values("comment_id"))
            names = set(erasing.values_list("author_name", flat=True))
            erasing.update(**fields)
            if remove_text:
                # The texts its author replaced are theirs too.
                CommentEdit.objects.filter(comment__in=erasing).delete()
            _forget_names_in_admin_history(erasing, names)
            # update() sends no signal: the erased names must leave cached pages at once.
            content_changed()
            if by is not None and erased:
                batch.log_to_admin_history(by, note)
        return erased


FEATURED_NOTE = "Featured as an editors' pick."
UNFEATURED_NOTE = "No longer an editors' pick."
ERASED_TEXT = "[This comment was removed at its author's request.]"
# The longest address mail can deliver (RFC 5321: a 256-octet path, less its brackets).
# Anything shorter would cut real addresses, and a cut address is no longer theirs: its
# owner's export or erasure would not find it.
EMAIL_MAX_LENGTH = 254


def _forget_names_in_admin_history(comments, names):
    """Rewrite the admin history (LogEntry) of these already anonymised comments: their
    titles ("Alice Victim on …") from the comments as they are now, and each of `names`
    in their change messages as "Anonymous"."""
    titles = {str(c.pk): str(c)[:200] for c in comments.select_related("article")}
    entries = list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Comment),
            object_id__in=comments.values(as_text=Cast("pk", models.TextField())),
        )
    )
    for entry in entries:
        entry.object_repr = titles[entry.object_id]
        entry.change_message = _without_names(entry.change_message, names)
    LogEntry.objects.bulk_update(entries, ["object_repr", "change_message"], batch_size=500)


def _without_names(message, names):
    """`message` with each of `names` (whole words, any case) replaced by "Anonymous".

    The admin's own messages are JSON: only its strings are rewritten, so a name that is
    also one of its keys ("changed") cannot break it."""
    pattern = re.compile(
        "|".join(
            rf"(?<!\w){re.escape(name)}(?!\w)"
            for name in sorted(names, key=len, reverse=True)
            if name.strip() and name != "Anonymous"
        )
        or r"(?!)",
        re.IGNORECASE,
    )

    def scrub(value):
        if isinstance(value, str):
            return pattern.sub("Anonymous", value)
        if isinstance(value, list):
            return [scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: scrub(item) for key, item in value.items()}
        return value

    try:
        structured = json.loads(message)
    except ValueError:
        return scrub(message)
    if not isinstance(structured, list | dict):
        return scrub(message)
    return json.dumps(scrub(structured))


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        SPAM = "spam", "Spam"
        REMOVED = "removed", "Removed"

    # Found through the (article, status, submitted_at) index below, deletes too.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    # Both indexed for their non-empty values only (Meta.indexes): most comments answer
    # no one and are written without an account, and every index entry is written again
    # for each comment a bulk action moves.
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
    )
    author_name = models.CharField("name", max_length=245)
    # Never shown publicly: only moderators see it.
    author_email = models.EmailField("email", max_length=EMAIL_MAX_LENGTH, blank=True)
    author_url = models.URLField("website", max_length=200, blank=True)
    body = models.TextField("comment", help_text="As the commenter wrote it.")
    body_html = models.TextField(
        editable=False, help_text="The sanitised HTML readers see, rendered once on save."
    )
    # Found through the (status, -submitted_at) index below. Every index of the table is
    # rewritten for each comment a bulk action moves: none may be redundant.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moderation_reason = models.CharField(
        "why", max_length=255, blank=True, help_text="Why the moderation policy chose the status."
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # Set when its author last changed the text ("(edited)" on the page); the earlier
    # texts are in its CommentEdit rows.
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Editors' picks: set and cleared by feature()/unfeature() alone, which audit it.
    featured_at = models.DateTimeField(
        "featured",
        null=True,
        blank=True,
        editable=False,
        help_text="When it became an editors' pick.",
    )
    featured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Posted by a member of staff (their account, or the admin's reply box): the "Staff"
    # badge. Kept with the comment as its name is, so that the public list reads no users.
    by_staff = models.BooleanField("by staff", default=False, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "submitted_at"]),
            models.Index(fields=["status", "-submitted_at"]),
            # The queue's busiest articles (admin.ArticleFilter), read from this index
            # alone; only pending comments are in it, so approving costs it nothing.
            models.Index(
                fields=["article"],
                condition=Q(status="pending"),
                name="comment_pending_by_article",
            ),
            # Every lookup by address ignores its case (by_emails): duplicates, returning
            # authors, personal data requests.
            models.Index(Lower("author_email"), name="comment_author_email_lower"),
            models.Index(
                fields=["parent"], condition=Q(parent__isnull=False), name="comment_replies"
            ),
            models.Index(
                fields=["user"], condition=Q(user__isnull=False), name="comment_by_account"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "wordpress_id"],
                condition=models.Q(wordpress_id__isnull=False),
                name="unique_wordpress_comment_per_article",
            )
        ]
        permissions = [
            ("moderate_comment", "Can approve, mark as spam, remove and restore comments"),
            ("view_commenter_personal_data", "Can see commenters' emails and IP addresses"),
        ]

    def __str__(self):
        return f"{self.author_name} on {self.article}"

    def save(self, *args, **kwargs):
        self.body_html = render_comment_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """A stable link that redirects to the comment on whichever page of the article."""
        return reverse("comments:permalink", kwargs={"pk": self.pk})

    @property
    def is_approved(self):
        return self.status == self.Status.APPROVED

    @property
    def is_featured(self):
        return self.featured_at is not None

    @property
    def is_pick(self):
        """Shown as an editors' pick: featured, and still approved (a pick a moderator
        later holds or removes keeps its date, for if it comes back)."""
        return self.is_featured and self.is_approved

    def feature(self, *, by):
        """Make this approved comment an editors' pick; False if it is none to make."""
        return self._set_featured(Comment.objects.filter(pk=self.pk).feature(by=by))

    def unfeature(self, *, by):
        return self._set_featured(Comment.objects.filter(pk=self.pk).unfeature(by=by))

    def _set_featured(self, changed):
        if changed:
            self.refresh_from_db(fields=["featured_at", "featured_by"])
        return bool(changed)

    @property
    def awaiting_moderation(self):
        return self.status == self.Status.PENDING

    @property
    def is_held(self):
        """Waiting for a moderator, as CommentQuerySet.held() has it: shown to its author."""
        return self.status == self.Status.PENDING or (
            self.status == self.Status.SPAM and self.status_changed_at is None
        )

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

    def may_be_changed_by_author(self, now=None):
        """Whether its author may still edit or delete it: within
        COMMENTS_EDIT_WINDOW_MINUTES of posting it, and shown (approved, or held and so
        shown to its author). Which browser asks is the view's check (the signed cookie)."""
        if not (self.is_approved or self.is_held):
            return False
        return (now or timezone.now()) < self.submitted_at + edit_window()

    def edit_by_author(self, body, decision):
        """Its author's new text, with the previous one kept in a CommentEdit row.

        `decision`: the moderation policy's verdict on the comment with the new text
        (comments.moderation.moderate). An approved comment takes it (an edit can slip in
        what the policy would hold); a held one stays held unless the verdict is spam: an
        edit never approves what a moderator has not. A status change is audited as any.
        Returns whether the status changed.
        """
        with transaction.atomic():
            now = timezone.now()
            CommentEdit.objects.create(comment=self, edited_at=now, previous_body=self.body)
            self.body = body
            self.edited_at = now
            changed = False
            to_status = decision.status
            if self.is_held and to_status != self.Status.SPAM:
                to_status = self.status
            if to_status != self.status:
                self.moderation_reason = decision.reason[:255]
                changed = self._change_status(
                    to_status, note=f"Edited by its author. {decision.reason}"[:500]
                )
            self.save(update_fields=["body", "body_html", "edited_at", "moderation_reason"])
            if changed and self.awaiting_moderation and settings.COMMENTS_NOTIFY_MODERATORS:
                tell_moderators_of_held_comment(self.pk)
        return changed

    def delete_by_author(self):
        """Removed at its author's request (audited as such); its replies stay, shown as
        replies to a comment readers no longer see."""
        return self.remove(note="Deleted by its author.")

    def reply_as_staff(self, body, *, by):
        """Post `body` as `by`'s reply, approved at once, as WordPress's "Approve and Reply".

        A pending comment is approved first: a moderator answering it vouches for it.
        The reply gets its audit row and admin history entry like any approval.
        """
        with transaction.atomic():
            if self.awaiting_moderation:
                self.approve(by=by, note="Approved by replying to it.")
            now, batch_id = timezone.now(), uuid.uuid4()
            reply = Comment.objects.create(
                article_id=self.article_id,
                parent=self,
                user=by,
                by_staff=True,
                author_name=by.get_full_name() or by.get_username(),
                author_email=by.email,
                body=body,
                status=self.Status.APPROVED,
                status_changed_at=now,
                moderation_reason="Reply from staff.",
                submitted_at=now,
            )
            CommentStatusChange.objects.create(
                comment=reply,
                changed_by=by,
                changed_at=now,
                from_status=self.Status.PENDING,
                to_status=self.Status.APPROVED,
                note="Posted by staff from the moderation queue.",
                batch=batch_id,
            )
            LogEntry.objects.log_actions(by.pk, [reply], ADDITION, "Replied from the admin.")
            comment_status_changed.send(
                sender=Comment, to_status=self.Status.APPROVED, batch=batch_id, changed_by=by
            )
        return reply


def edit_window():
    return timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)


class CommentEdit(models.Model):
    """A text its author replaced: moderators see every earlier version."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    edited_at = models.DateTimeField(default=timezone.now)
    previous_body = models.TextField("previous text")

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self):
        return f"Edit of {self.comment_id} at {self.edited_at:%Y-%m-%d %H:%M}"


# What held() and for_reader() take as held: a status a moderator set is dated
# (status_changed_at), one the policy decided when the comment was posted is not.
HELD = (
    Q(status=Comment.Status.PENDING),
    Q(status=Comment.Status.SPAM, status_changed_at__isnull=True),
)


class CommentStatusChangeQuerySet(models.QuerySet):
    def batch(self, batch_id):
        """The rows one change_status() call (or erasure, or staff reply) wrote."""
        return self.filter(batch=batch_id)

    def log_to_admin_history(self, user, message):
        """One admin LogEntry per comment in these audit rows, in one query."""
        return insert_from_select(
            LogEntry,
            self,
            {
                "action_time": F("changed_at"),
                "user": user.pk,
                "content_type": ContentType.objects.get_for_model(Comment).pk,
                "object_id": Concat(F("comment_id"), Value(""), output_field=models.TextField()),
                "object_repr": Substr(
                    Concat(
                        F("comment__author_name"),
                        Value(" on "),
                        F("comment__article__title"),
                        output_field=models.CharField(),
                    ),
                    1,
                    200,
                ),
                "action_flag": CHANGE,
                "change_message": message,
            },
        )


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
    # Shared by the rows one bulk change wrote, so the change can find its own rows again
    # (to update the comments, log them, and tell authors) in one query each.
    batch = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    objects = CommentStatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


# Models kept in their own modules, each with its rules; imported here so Django finds them.
from .reports import CommentReport  # noqa: E402, F401
from .sanctions import Sanction  # noqa: E402, F401
from .spam_filter import SpamToken, SpamTraining  # noqa: E402, F401
from .subscriptions import Notification, Subscriber, Subscription  # noqa: E402, F401  (models)
