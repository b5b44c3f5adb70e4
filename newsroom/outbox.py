"""Tasks are never lost to a queue that is down.

`enqueue(task, *args)` puts a huey task on the queue; when the queue cannot take it (Redis
unreachable, the SQLite file locked), the task is kept in the database and put on the queue
by `enqueue_deferred()`, which the consumer runs every minute (newsroom/tasks.py): the
request that asked for it (a comment posted) goes on as if it had been queued.
"""

import logging

from django.utils.module_loading import import_string

from .models import DeferredTask

logger = logging.getLogger(__name__)


def enqueue(task, *args):
    """Put `task(*args)` on the queue, or keep it for later; whether it is on the queue.

    `task` is a huey task at module level; `args` are JSON values.
    """
    try:
        task(*args)
    except Exception:
        path = f"{task.func.__module__}.{task.func.__name__}"
        DeferredTask.objects.create(task=path, args=list(args))
        logger.warning(
            "The task queue did not take %s%r; kept to be queued when it answers again.",
            path,
            tuple(args),
            exc_info=True,
        )
        return False
    return True


def enqueue_deferred():
    """Put the kept tasks on the queue, each once; how many. Stops at the first the queue
    still refuses: the rest wait for the next run."""
    queued = 0
    for deferred in DeferredTask.objects.all():
        # Taken by deleting it: of two runs at once, only one puts it on the queue.
        taken, _ = DeferredTask.objects.filter(pk=deferred.pk).delete()
        if not taken:
            continue
        try:
            import_string(deferred.task)(*deferred.args)
        except Exception:
            DeferredTask.objects.create(task=deferred.task, args=deferred.args)
            logger.warning("The task queue still does not answer.", exc_info=True)
            break
        queued += 1
    if queued:
        logger.info("Queued %s deferred task(s).", queued)
    return queued
