"""Who is told about comments, and what the emails say. Sent by the tasks in tasks.py."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import ArticleAuthor
from newsroom.links import public_url

from .models import Comment, CommentStatusChange

MODERATORS_GROUP = "Moderators"


def moderator_addresses():
    """COMMENTS_MODERATOR_EMAILS if set; else active Moderators and superusers with an email."""
    if settings.COMMENTS_MODERATOR_EMAILS:
        return list(settings.COMMENTS_MODERATOR_EMAILS)
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def moderation_links(comment):
    """Absolute admin URLs a moderator can act from; each asks to confirm before acting."""
    links = {
        action: public_url(reverse("admin:comments_comment_moderate", args=[comment.pk, action]))
        for action in ("approve", "spam", "remove")
    }
    links["review"] = public_url(reverse("admin:comments_comment_change", args=[comment.pk]))
    return links


def _message(template, context, to):
    subject, _, body = render_to_string(template, context).strip().partition("\n")
    return EmailMessage(subject=subject.strip(), body=body.strip() + "\n", to=to)


def held_comment_message(comment):
    """The email telling moderators a comment waits for them, or None if no one to tell."""
    addresses = moderator_addresses()
    if not addresses:
        return None
    context = {
        "comment": comment,
        "article": comment.article,
        "article_url": public_url(comment.article.get_absolute_url()),
        "links": moderation_links(comment),
        "SITE_NAME": settings.SITE_NAME,
    }
    return _message("comments/email/held_comment.txt", context, addresses)


def approved_comment_messages(batch):
    """One email per approved comment per opted-in author of its article.

    The approvals are those one change_status() call (or staff reply) wrote: their audit
    rows share the `batch` id.
    """
    approvals = CommentStatusChange.objects.batch(batch).filter(to_status=Comment.Status.APPROVED)
    opted_in = ArticleAuthor.objects.filter(
        author__notify_on_approved_comment=True, author__user__is_active=True
    ).select_related("author__user")
    comments = (
        Comment.objects.filter(pk__in=approvals.values("comment_id"))
        .approved()
        .select_related("article")
        .prefetch_related(Prefetch("article__bylines", queryset=opted_in, to_attr="opted_in"))
    )
    messages = []
    for comment in comments:
        context = {
            "comment": comment,
            "article": comment.article,
            "comment_url": public_url(comment.get_absolute_url()),
            "SITE_NAME": settings.SITE_NAME,
        }
        for byline in comment.article.opted_in:
            user = byline.author.user
            # Nobody needs telling about their own reply.
            if user.email and user.pk != comment.user_id:
                messages.append(
                    _message("comments/email/approved_comment.txt", context, [user.email])
                )
    return messages


def send_messages(messages):
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages)
