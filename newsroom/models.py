from django.db import models


class DeferredTask(models.Model):
    """A task the queue could not take when it was due (Redis down): kept here, and put on
    the queue once it answers again (newsroom.outbox)."""

    task = models.CharField(max_length=200, help_text="The task's dotted path.")
    args = models.JSONField(default=list)
    deferred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"
