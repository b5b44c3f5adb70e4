"""What other code may listen for when comments arrive or are moderated."""

import django.dispatch
from django.db import transaction

from newsroom.outbox import enqueue
from pagecache.generation import content_changed

# Sent inside the transaction of every status change (one per change_status() call),
# with to_status, changed_by and batch: the id the audit rows of that call share, so a
# receiver finds the comments from them (CommentStatusChange.objects.batch(batch)).
comment_status_changed = django.dispatch.Signal()


def notify_moderators_of_held_comment(sender, instance, created, raw=False, **kwargs):
    """A new comment held for moderation: tell the moderators once the row is committed."""
    from django.conf import settings

    from .models import Comment

    if not created or raw or not settings.COMMENTS_NOTIFY_MODERATORS:
        return
    # Imported comments (WordPress) are history, not new submissions.
    if instance.status != Comment.Status.PENDING or instance.wordpress_id is not None:
        return
    tell_moderators_of_held_comment(instance.pk)


def tell_moderators_of_held_comment(comment_id):
    """Mail the moderators about a held comment once the transaction commits: a new one,
    or one its author's edit sent back to the queue (Comment.edit_by_author)."""
    from .tasks import notify_moderators_of_held_comment as task

    # A queue that is down keeps the task for later (outbox); robust: nor must anything
    # else here turn a saved comment into an error page.
    transaction.on_commit(lambda: enqueue(task, comment_id), robust=True)


def notify_authors_of_approval(sender, to_status, batch, **kwargs):
    from .models import Comment

    if to_status != Comment.Status.APPROVED:
        return
    from .tasks import notify_authors_of_approved_comments as task

    transaction.on_commit(lambda: enqueue(task, str(batch)), robust=True)


def teach_spam_filter(sender, to_status, batch, changed_by=None, **kwargs):
    """A moderator approved or marked comments as spam: the checkers learn it in a task,
    once the decision is committed. Learning that fails never undoes the decision."""
    from .spam_filter import learns_from

    if not learns_from(to_status, changed_by):
        return
    from .tasks import learn_from_moderation as task

    status = str(to_status)
    transaction.on_commit(lambda: enqueue(task, str(batch), status), robust=True)


def comment_saved(sender, instance, created=False, **kwargs):
    # A new comment that readers cannot see yet changes no public page; without this,
    # every comment posted would empty the page cache for everyone.
    if created and not instance.is_approved:
        return
    content_changed()


def comment_deleted(sender, **kwargs):
    content_changed()


def comment_statuses_changed(sender, **kwargs):
    # change_status() moves comments with one UPDATE, which sends no model signal.
    content_changed()


def notify_subscribers_of_approval(sender, to_status, batch, **kwargs):
    """Approved comments (one or in bulk): one task tells the subscribers, after commit."""
    from .models import Comment

    if to_status != Comment.Status.APPROVED:
        return
    from .tasks import notify_subscribers_of_approved_comments as task

    transaction.on_commit(lambda: enqueue(task, str(batch)), robust=True)


def notify_subscribers_of_new_comment(sender, instance, created, raw=False, **kwargs):
    """A comment approved as it was posted goes through no change_status(): tell the
    discussion's subscribers from here. (A staff reply also sends an approval batch; the
    notices are claimed once, so its followers still get one mail.)"""
    from .models import Comment

    if not created or raw or instance.wordpress_id is not None:
        return
    if instance.status != Comment.Status.APPROVED:
        return
    from .tasks import notify_subscribers_of_new_comment as task

    transaction.on_commit(lambda: enqueue(task, instance.pk), robust=True)
