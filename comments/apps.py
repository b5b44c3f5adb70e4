from django.apps import AppConfig
from django.db.models.signals import post_save


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
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

        from newsroom.page_cache import refresh_hidden_field

        from .forms import reissue_timestamp

        # Pages served from the page cache must still say when the form was shown.
        refresh_hidden_field("timestamp")(reissue_timestamp)
