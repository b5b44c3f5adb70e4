"""The project's own tasks, run by the huey consumer (`manage.py run_huey`)."""

import logging

from django.core.mail import send_mail
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from . import outbox


@db_periodic_task(crontab(minute="*"))
def enqueue_deferred_tasks():
    """Tasks the queue could not take while it was down are queued within a minute of its
    return."""
    return outbox.enqueue_deferred()


logger = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def send_email(subject, body, from_email, to_email):
    """One plain-text email, such as a password reset link; retried a minute later when
    the mail server fails."""
    try:
        return send_mail(subject, body, from_email, [to_email])
    except Exception:
        logger.exception("Could not send %r to a user; will retry.", subject)
        raise
