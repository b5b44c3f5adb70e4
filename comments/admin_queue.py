"""The moderation queue's pieces: the moves a moderator makes, the buttons on each row of
the queue, what its columns show, its title, and where a moderator goes next.

CommentAdmin (comments/admin.py) puts them together; they live here so that the admin
module stays a list of declarations.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from .models import Comment
from .threads import excerpt

MODERATE_PERMISSION = "comments.moderate_comment"
PERSONAL_DATA_PERMISSION = "comments.view_commenter_personal_data"

# The name Django's admin gives the changelist's query string when it carries it along
# (preserved filters); a row button sends it back so the moderator lands where they were.
QUEUE_FILTERS = "_changelist_filters"

Status = Comment.Status


@dataclass(frozen=True)
class Transition:
    """A move a moderator can make, as one comment's buttons and the bulk actions offer it."""

    method: str  # the Comment method that makes the change
    status: str  # where it takes a comment
    label: str  # what the button says
    done: str  # what the message says happened
    # The statuses a queue row offers this move from: the moves that make sense there.
    offered_from: frozenset = field(default_factory=frozenset)

    def message(self, count):
        if not count:
            return f"No comments changed: the selected comments were already {self.done}."
        return ngettext("%(count)s comment %(done)s.", "%(count)s comments %(done)s.", count) % {
            "count": intcomma(count),
            "done": self.done,
        }

    def message_for(self, comment, changed):
        """What a moderator is told after moving one comment from its queue row."""
        if not changed:
            return f"Comment by {comment.author_name} was already {self.done}."
        return f"Comment by {comment.author_name} {self.done}."

    @property
    def sentence(self):
        """What was done, as a sentence of its own: "Approved.", "Marked as spam."."""
        return f"{self.done[:1].upper()}{self.done[1:]}."


# Keyed by the name in moderation URLs (admin:comments_comment_moderate), which the
# emails to moderators link to.
TRANSITIONS = {
    "approve": Transition(
        "approve", Status.APPROVED, "Approve", "approved", frozenset({Status.PENDING, Status.SPAM})
    ),
    "spam": Transition(
        "mark_spam",
        Status.SPAM,
        "Mark as spam",
        "marked as spam",
        frozenset({Status.PENDING, Status.APPROVED}),
    ),
    "remove": Transition(
        "remove",
        Status.REMOVED,
        "Remove",
        "removed",
        frozenset({Status.PENDING, Status.APPROVED, Status.SPAM}),
    ),
    "restore": Transition(
        "restore",
        Status.PENDING,
        "Restore to pending",
        "restored to pending",
        frozenset({Status.SPAM, Status.REMOVED}),
    ),
}


@dataclass(frozen=True)
class RowAction:
    """A one-click button on a queue row: a POST to an admin URL about that comment.

    The view behind `url_name` receives the row's comment (`url_args`) and, in the form
    field QUEUE_FILTERS, the queue's query string to return to (see queue_url()).
    """

    name: str
    label: str
    url_name: str
    offered: Callable[[Comment], bool]
    url_args: Callable[[Comment], list] = lambda comment: [comment.pk]
    permission: str = MODERATE_PERMISSION
    primary: bool = False
    # What a screen reader hears; {name} is the commenter's.
    spoken: str = "{label} the comment by {name}"

    def url(self, comment):
        return reverse(self.url_name, args=self.url_args(comment))

    def spoken_label(self, comment):
        return self.spoken.format(label=self.label, name=comment.author_name)


def _moderation(name, label, *, primary=False):
    transition = TRANSITIONS[name]
    return RowAction(
        name=name,
        label=label,
        url_name="admin:comments_comment_moderate",
        url_args=lambda comment: [comment.pk, name],
        offered=lambda comment: comment.status in transition.offered_from,
        primary=primary,
    )


# Every button a queue row may carry, in the order shown; a row shows those offered for
# its comment to a user holding their permission. One line adds another.
ROW_ACTIONS = [
    _moderation("approve", "Approve", primary=True),
    _moderation("spam", "Spam"),
    _moderation("remove", "Remove"),
    _moderation("restore", "Restore"),
    RowAction(
        name="ban",
        label="Ban",
        spoken="Ban the address of {name}, and send their pending comments to spam",
        url_name="admin:comments_comment_ban",
        offered=lambda comment: bool(comment.author_email),
    ),
]


def row_actions_for(request):
    """The row actions this user may use, checked once per page rather than per row."""
    return [action for action in ROW_ACTIONS if request.user.has_perm(action.permission)]


def queue_url(filters=""):
    """The queue with the filters it had (a query string), and nothing else: what comes in
    from a form is parsed and encoded again, so it can only ever be a query string."""
    query = QueryDict(filters or "").urlencode()
    changelist = reverse("admin:comments_comment_changelist")
    return f"{changelist}?{query}" if query else changelist


def next_pending(after):
    """The comment a moderator reads next: the oldest one still pending, not `after`."""
    return (
        Comment.objects.pending()
        .exclude(pk=after.pk)
        .order_by("submitted_at", "pk")
        .only("pk")
        .first()
    )


# The titles of the queue under each status filter.
QUEUE_TITLES = {
    Status.PENDING: "Comments awaiting moderation",
    Status.APPROVED: "Approved comments",
    Status.SPAM: "Spam",
    Status.REMOVED: "Removed comments",
}


def shown_count(count):
    """A count for people: "1,234", or "about 52,000" for an estimated RowCount."""
    if not getattr(count, "estimated", False):
        return intcomma(count)
    return f"about {intcomma(round(count, 2 - len(str(count))))}"


def queue_title(status, count):
    return f"{QUEUE_TITLES.get(status, 'All comments')} ({shown_count(count)})"


# A comment longer than this (in characters of text) is folded, its start showing.
FOLD_AFTER_CHARACTERS = 600
FOLDED_EXCERPT_WORDS = 40


def comment_cell(comment, *, actions, filters):
    """The queue's comment column: what it answers, the comment as readers see it (a long
    one folded), and the row's buttons and links."""
    text_length = len(html.unescape(comment.body_html))
    return render_to_string(
        "admin/comments/comment/queue_comment.html",
        {
            "comment": comment,
            "parent": comment.parent,
            "folded": text_length > FOLD_AFTER_CHARACTERS,
            "opening": excerpt(comment.body_html, FOLDED_EXCERPT_WORDS)
            if text_length > FOLD_AFTER_CHARACTERS
            else "",
            "actions": [
                (action, action.url(comment), action.spoken_label(comment))
                for action in actions
                if action.offered(comment)
            ],
            "filters": filters,
        },
    )
