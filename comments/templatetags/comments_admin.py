"""The moderation queue's size, for the admin's own pages (templates/admin/)."""

from django import template

from newsroom.db import count_rows

from ..admin_queue import MODERATE_PERMISSION
from ..admin_queue import shown_count as _shown_count
from ..models import Comment

register = template.Library()

_PENDING_COUNT = "comments_admin.pending_comments_count"


@register.simple_tag(takes_context=True)
def pending_comments_count(context):
    """How many comments wait for moderation (a RowCount, to show with |shown_count), for
    a moderator to see; None for other users.

    One indexed count per page, however many places on it show the number: kept in the
    render context, which a page's whole chain of extended templates shares.
    """
    render_context = context.render_context
    if _PENDING_COUNT not in render_context:
        user = getattr(context.get("request"), "user", None)
        may_moderate = user is not None and user.is_active and user.has_perm(MODERATE_PERMISSION)
        render_context[_PENDING_COUNT] = (
            count_rows(Comment.objects.pending()) if may_moderate else None
        )
    return render_context[_PENDING_COUNT]


@register.inclusion_tag("admin/comments/comment/status_tabs.html")
def queue_status_tabs(changelist):
    """The status filter's choices as a line of links above the queue (as WordPress's
    "All | Pending | Approved | Spam"), so that a phone, where the filters go below the
    list, has them first. Counted once, by the filter itself."""
    for spec in changelist.filter_specs:
        if getattr(spec, "parameter_name", None) == "status":
            return {"tabs": list(spec.choices(changelist))}
    return {"tabs": []}


@register.filter
def shown_count(count):
    """A count as moderators read it: "1,234", or "about 52,000" for an estimate."""
    return _shown_count(count)
