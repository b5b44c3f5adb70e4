"""The emails subscribers get, and how each is sent once. Run by the tasks in tasks.py.

Every message goes to one subscriber and names no other address: a comment's author
appears by the name they gave, never by their email, in the body or the headers. Each
has a plain-text and an HTML part (escaped, no external resources), the RFC 8058
one-click unsubscribe headers, and Message-ID/In-Reply-To/References that thread the
mails about one article together in the reader's mail client.
"""

import uuid
from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count, Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from .models import Comment, CommentStatusChange, public_url
from .subscriptions import Notification, Subscriber, Subscription

EXCERPT_WORDS = 60
# A digest collects what was held for an address once the oldest held notice is this old.
DIGEST_WINDOW = timedelta(hours=1)
# A digest lists this many comments at most, and says how many more there are.
DIGEST_MAX_LISTED = 50


def _mail_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def _thread_id(article_id):
    """The Message-ID of the (never sent) first mail of an article's discussion: every mail
    about the article answers it, so that mail clients show them as one thread."""
    return f"<comments.article-{article_id}@{_mail_domain()}>"


def unsubscribe_url(subscriber, article=None):
    return public_url(reverse("comments:unsubscribe", args=[subscriber.unsubscribe_token(article)]))


def _message(name, context, subscriber, *, message_id, article_id=None, one_click=None):
    """An EmailMultiAlternatives from comments/email/<name>.txt (first line the subject)
    and <name>.html, to `subscriber` alone."""
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject, _, text = render_to_string(f"comments/email/{name}.txt", context).partition("\n")
    html = render_to_string(f"comments/email/{name}.html", {**context, "subject": subject})
    headers = {"Message-ID": f"<{message_id}@{_mail_domain()}>"}
    if article_id is not None:
        headers["In-Reply-To"] = headers["References"] = _thread_id(article_id)
    if one_click:
        # RFC 8058: a mail client's "Unsubscribe" POSTs this to the URL, which acts at once.
        headers["List-Unsubscribe"] = f"<{one_click}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject.strip(), body=text.strip() + "\n", to=[subscriber.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def confirmation_message(subscriber):
    url = public_url(
        reverse("comments:confirm_subscription", args=[subscriber.confirmation_token()])
    )
    articles = [
        subscription.article
        for subscription in subscriber.subscriptions.select_related("article").order_by(
            "-created_at"
        )[:1]
    ]
    stop_all = unsubscribe_url(subscriber)
    return _message(
        "confirm_subscription",
        {"confirm_url": url, "article": articles[0] if articles else None, "stop_all": stop_all},
        subscriber,
        message_id=f"comments.confirm-{subscriber.pk}.{uuid.uuid4().hex}",
        one_click=stop_all,
    )


def _excerpt(comment):
    return Truncator(comment.body).words(EXCERPT_WORDS)


def _comment_context(comment, subscriber):
    parent_email = comment.parent.author_email if comment.parent_id else ""
    return {
        "comment": comment,
        "author_name": comment.author_name,
        "excerpt": _excerpt(comment),
        "article": comment.article,
        "comment_url": public_url(comment.get_absolute_url()),
        "replies_to_you": bool(parent_email) and parent_email.lower() == subscriber.email.lower(),
    }


def reply_message(comment, subscriber):
    stop_discussion = unsubscribe_url(subscriber, comment.article)
    return _message(
        "followup_comment",
        {
            **_comment_context(comment, subscriber),
            "stop_discussion": stop_discussion,
            "stop_all": unsubscribe_url(subscriber),
        },
        subscriber,
        message_id=f"comments.reply-{comment.pk}.{subscriber.pk}",
        article_id=comment.article_id,
        one_click=stop_discussion,
    )


def approval_message(comment, subscriber):
    stop_all = unsubscribe_url(subscriber)
    return _message(
        "comment_approved",
        {
            **_comment_context(comment, subscriber),
            "stop_discussion": unsubscribe_url(subscriber, comment.article),
            "stop_all": stop_all,
        },
        subscriber,
        message_id=f"comments.approved-{comment.pk}.{subscriber.pk}",
        article_id=comment.article_id,
        one_click=stop_all,
    )


def digest_message(comments, subscriber, key, *, total=None):
    """A digest listing `comments` (the first DIGEST_MAX_LISTED of `total`)."""
    total = len(comments) if total is None else total
    articles = {}
    for comment in comments:
        articles.setdefault(comment.article_id, (comment.article, []))[1].append(
            _comment_context(comment, subscriber)
        )
    stop_all = unsubscribe_url(subscriber)
    only_article = next(iter(articles)) if len(articles) == 1 else None
    return _message(
        "digest",
        {
            "count": total,
            "more": total - len(comments),
            "articles": [
                {
                    "article": article,
                    "comments": items,
                    "stop_discussion": unsubscribe_url(subscriber, article),
                }
                for article, items in articles.values()
            ],
            "stop_all": stop_all,
        },
        subscriber,
        message_id=f"comments.digest-{subscriber.pk}.{key}",
        article_id=only_article,
        one_click=stop_all,
    )


def approved_comment_ids(batch):
    """The comments one change_status() call (or staff reply) approved, as a subquery:
    a bulk approval's ten thousand ids never travel as query parameters."""
    return (
        CommentStatusChange.objects.batch(batch)
        .filter(to_status=Comment.Status.APPROVED)
        .values("comment_id")
    )


def notify_subscribers(comment_ids, *, now=None):
    """Tell confirmed subscribers about these newly approved comments (ids, or a subquery
    of them); how many mails sent.

    In a fixed number of queries whatever the number of comments (plus one update per
    mail sent): approval notices to the comments' authors who asked, and follow-up notices
    to the articles' followers, their own comments excepted. An address told of more than
    COMMENTS_NOTIFY_DIGEST_AFTER follow-ups in the last hour gets the rest in one digest
    (send_due_digests). Each notice is claimed in the database before it is sent, so that
    a retry or a second run never sends it twice.
    """
    now = now or timezone.now()
    comments = {
        comment.pk: comment
        for comment in Comment.objects.approved()
        .filter(pk__in=comment_ids)
        .select_related("article", "parent")
        .order_by("submitted_at", "pk")
    }
    if not comments:
        return 0
    receiving = Subscriber.objects.receiving()
    approvals = Subscription.objects.filter(
        kind=Subscription.Kind.APPROVAL, comment_id__in=comment_ids, subscriber__in=receiving
    ).select_related("subscriber")
    followers = defaultdict(list)
    for subscription in Subscription.objects.filter(
        kind=Subscription.Kind.DISCUSSION,
        article_id__in={c.article_id for c in comments.values()},
        subscriber__in=receiving,
    ).select_related("subscriber"):
        followers[subscription.article_id].append(subscription.subscriber)

    wanted = [(s.subscriber, comments[s.comment_id], Notification.Kind.APPROVAL) for s in approvals]
    for comment in comments.values():
        author = comment.author_email.lower()
        for subscriber in followers[comment.article_id]:
            # Nobody is told about their own comment.
            if subscriber.email.lower() != author:
                wanted.append((subscriber, comment, Notification.Kind.REPLY))
    if not wanted:
        return 0

    subscribers = {subscriber.pk: subscriber for subscriber, _, _ in wanted}
    recent = dict(
        Notification.objects.counted_for_digest(now)
        .filter(subscriber_id__in=subscribers)
        .values("subscriber_id")
        .annotate(count=Count("pk"))
        .values_list("subscriber_id", "count")
    )
    claim = uuid.uuid4()
    rows = []
    for subscriber, comment, kind in wanted:
        status = Notification.Status.SENDING
        if kind == Notification.Kind.REPLY:
            recent[subscriber.pk] = recent.get(subscriber.pk, 0) + 1
            if recent[subscriber.pk] > settings.COMMENTS_NOTIFY_DIGEST_AFTER:
                status = Notification.Status.HELD
        rows.append(
            Notification(
                subscriber_id=subscriber.pk,
                comment_id=comment.pk,
                kind=kind,
                status=status,
                created_at=now,
                claim=claim,
            )
        )
    # Rows another run (or an earlier try of this one) holds already are left alone:
    # those notices are theirs, sent or being sent.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    ours = Notification.objects.filter(claim=claim, status=Notification.Status.SENDING)
    claimed = list(ours.values_list("pk", "subscriber_id", "comment_id", "kind"))
    messages = []
    for pk, subscriber_id, comment_id, kind in claimed:
        build = approval_message if kind == Notification.Kind.APPROVAL else reply_message
        messages.append(([pk], build(comments[comment_id], subscribers[subscriber_id])))
    return _send_claimed(messages)


def _send_claimed(messages):
    """Send each (notification ids, message), marking each SENT as soon as it went; on a
    failure, the claims not sent are given back and the error raised for the task to
    retry."""
    sent = 0
    pending = [pk for pks, _ in messages for pk in pks]
    try:
        with get_connection() as connection:
            for pks, message in messages:
                connection.send_messages([message])
                Notification.objects.filter(pk__in=pks).update(
                    status=Notification.Status.SENT, sent_at=timezone.now(), claim=None
                )
                sent += 1
                pending = pending[len(pks) :]
    except Exception:
        _give_back(pending)
        raise
    return sent


def _give_back(pks):
    # Deleted, not kept: the retry claims them afresh and sends each once.
    Notification.objects.filter(pk__in=pks, status=Notification.Status.SENDING).delete()


def send_due_digests(*, now=None):
    """One digest per address whose oldest held follow-up notice is DIGEST_WINDOW old;
    how many digests sent."""
    now = now or timezone.now()
    due = (
        Notification.objects.filter(status=Notification.Status.HELD)
        .values("subscriber_id")
        .annotate(oldest=Min("created_at"))
        .filter(oldest__lte=now - DIGEST_WINDOW)
        .values_list("subscriber_id", flat=True)
    )
    sent = 0
    for subscriber in Subscriber.objects.receiving().filter(pk__in=list(due)):
        claim = uuid.uuid4()
        Notification.objects.filter(subscriber=subscriber, status=Notification.Status.HELD).update(
            status=Notification.Status.SENDING, claim=claim
        )
        taken = Notification.objects.filter(claim=claim, status=Notification.Status.SENDING)
        pks = list(taken.values_list("pk", flat=True))
        approved = Comment.objects.approved().filter(pk__in=taken.values("comment_id"))
        total = approved.count()
        if not total:
            taken.delete()  # Removed since: nothing left to tell.
            continue
        comments = list(
            approved.select_related("article", "parent").order_by("submitted_at", "pk")[
                :DIGEST_MAX_LISTED
            ]
        )
        comments.sort(key=lambda comment: comment.article_id)  # grouped, in order within
        message = digest_message(comments, subscriber, claim.hex, total=total)
        try:
            with get_connection() as connection:
                connection.send_messages([message])
        except Exception:
            # Held again, for the next run.
            Notification.objects.filter(pk__in=pks).update(status=Notification.Status.HELD)
            raise
        Notification.objects.filter(pk__in=pks).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), claim=None
        )
        sent += 1
    return sent
