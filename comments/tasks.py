"""Work the huey consumer (`manage.py run_huey`) does, never inside a request: email, and
the spam filter learning from moderators.

Tasks are enqueued after the transaction that created or moderated the comment commits;
a failed task is retried, then logged, and the comment and its status are kept whatever
happens.
"""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import notifications, spam_filter
from .models import Comment

logger = logging.getLogger(__name__)

RETRIES = 3
RETRY_DELAY = 60  # seconds; a mail server that is down for a minute should not lose mail.


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def notify_moderators_of_held_comment(comment_id):
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or not comment.awaiting_moderation:
        return 0  # Deleted or already moderated before the mail went out: nothing to ask.
    message = notifications.held_comment_message(comment)
    if message is None:
        logger.warning("Comment %s is held but no moderator has an email address.", comment_id)
        return 0
    try:
        return notifications.send_messages([message])
    except Exception:
        logger.exception("Could not email moderators about comment %s; will retry.", comment_id)
        raise


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def notify_authors_of_approved_comments(batch):
    messages = notifications.approved_comment_messages(batch)
    try:
        return notifications.send_messages(messages)
    except Exception:
        logger.exception("Could not email authors about approvals %s; will retry.", batch)
        raise


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def send_subscription_confirmation(subscriber_id):
    """The double opt-in email: the link that confirms an address for notifications."""
    from .mailing import confirmation_message
    from .subscriptions import Subscriber

    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or subscriber.is_receiving:
        return 0  # Erased, or confirmed from an earlier mail: nothing to ask.
    try:
        return notifications.send_messages([confirmation_message(subscriber)])
    except Exception:
        logger.exception(
            "Could not email a confirmation to subscriber %s; will retry.", subscriber_id
        )
        raise


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def notify_subscribers_of_approved_comments(batch):
    from .mailing import approved_comment_ids

    return _notify_subscribers(approved_comment_ids(batch), batch)


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def notify_subscribers_of_new_comment(comment_id):
    """A comment approved as it was posted (it has no approval batch)."""
    return _notify_subscribers([comment_id], comment_id)


def _notify_subscribers(comment_ids, what):
    from .mailing import notify_subscribers

    try:
        return notify_subscribers(comment_ids)
    except Exception:
        logger.exception("Could not email subscribers about %s; will retry.", what)
        raise


@db_task(retries=RETRIES, retry_delay=RETRY_DELAY)
def learn_from_moderation(batch, to_status):
    """The checkers learn a moderator's approve or spam (one change_status() batch): in
    the request, the tokens of 10,000 comments took a fifth of the bulk approve's second.
    Only the comments still `to_status` are learnt; learning again changes nothing."""
    try:
        spam_filter.learn_from_moderation(batch, to_status)
    except Exception:
        logger.exception(
            "The spam filter could not learn decision %s (%s); will retry.", batch, to_status
        )
        raise


@db_periodic_task(crontab(minute="*"))
def send_comment_digests():
    """Follow-up notices held back by COMMENTS_NOTIFY_DIGEST_AFTER, one digest an address."""
    from .mailing import send_due_digests

    return send_due_digests()
