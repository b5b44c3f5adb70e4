"""The project's own periodic tasks, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import outbox


@db_periodic_task(crontab(minute="*"))
def enqueue_deferred_tasks():
    """Tasks the queue could not take while it was down are queued within a minute of its
    return."""
    return outbox.enqueue_deferred()
