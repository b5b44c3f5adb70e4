from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        from pagecache.generation import new_release

        from . import (
            checks,  # noqa: F401  (registers the system checks)
            signals,
        )
        from .models import Comment

        post_save.connect(
            signals.notify_moderators_of_held_comment,
            sender=Comment,
            dispatch_uid="comments.notify_moderators_of_held_comment",
        )
        signals.comment_status_changed.connect(
            signals.notify_authors_of_approval,
            sender=Comment,
            dispatch_uid="comments.notify_authors_of_approval",
        )
        signals.comment_status_changed.connect(
            signals.notify_subscribers_of_approval,
            sender=Comment,
            dispatch_uid="comments.notify_subscribers_of_approval",
        )
        post_save.connect(
            signals.notify_subscribers_of_new_comment,
            sender=Comment,
            dispatch_uid="comments.notify_subscribers_of_new_comment",
        )

        # What readers see changed: the page cache serves nothing stored before.
        post_save.connect(signals.comment_saved, sender=Comment, dispatch_uid="comments.saved")
        post_delete.connect(
            signals.comment_deleted, sender=Comment, dispatch_uid="comments.deleted"
        )
        signals.comment_status_changed.connect(
            signals.comment_statuses_changed, dispatch_uid="comments.statuses_changed"
        )
        # Moderators' decisions teach the spam filter and close the comments' reports.
        from . import reports

        signals.comment_status_changed.connect(
            signals.teach_spam_filter,
            sender=Comment,
            dispatch_uid="comments.spam_filter_learns",
        )
        signals.comment_status_changed.connect(
            reports.record_decision, sender=Comment, dispatch_uid="comments.reports_decided"
        )
        post_migrate.connect(new_release, sender=self, dispatch_uid="comments.new_release")
