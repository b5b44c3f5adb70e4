from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from articles import protection
from articles.models import Article
from articles.views import render_article
from newsroom.client_ip import client_ip
from newsroom.csrf import REASON_CROSS_SITE, origin_checked_when_anonymous

from . import cookies, throttle, unposted
from .forms import CommentEditForm, CommentForm, typed_values
from .fragments import comment_places, comments_page_query
from .models import Comment, edit_window
from .moderation import moderate, moderate_edit
from .rendering import render_comment_body
from .reports import ReportForm, file_report
from .subscriptions import subscribe
from .threads import CommentThreads
from .unposted import Unposted

COMMENTS_CLOSED = "Comments are closed on this article, so your comment was not posted."
COOKIE_MISSING = (
    "This form needs a cookie from this site, and your browser did not send it (cookies "
    "may be blocked, or were cleared while the page was open). Your comment is below: post "
    "it again. If this message comes back, allow cookies for this site."
)


# Anonymous comments are checked by their headers, not by a token (see newsroom/csrf.py):
# the form on a shared page carries nothing of any visitor.
@origin_checked_when_anonymous
@require_POST
def post_comment(request, article_id):
    """Store a valid comment, its status decided by the moderation policy; then redirect."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not protection.is_unlocked(request, article):
        # Only readers who entered the password may read, so comment on, the article:
        # anyone else is shown its password form.
        return render_article(request, article, status=HTTPStatus.FORBIDDEN)
    if not article.comments_are_open():
        return _comments_closed(request, article)
    form = CommentForm(article, data=request.POST, user=request.user)
    if not form.is_valid():
        return _refused(request, article, HTTPStatus.BAD_REQUEST, comment_form=form)
    if "preview" in request.POST:
        # Shown, never stored: no flood slot claimed, no moderation, no mail.
        form.previewed = _preview_node(form.build_comment(ip_address=None, user_agent=""))
        return render_article(request, article, comment_form=form)

    comment = form.build_comment(
        ip_address=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    refusal = throttle.refusal_for(comment)
    if refusal is not None:
        form.add_error(None, refusal.message)
        return _refused(request, article, refusal.status, comment_form=form)

    moderate(comment, form.evidence).apply_to(comment)
    with transaction.atomic():
        comment.save()
        subscribe(comment, **form.subscription_wishes())

    # The same redirect whatever the policy decided: to the comment, shown to its author
    # alone as awaiting moderation unless approved. A spammer learns nothing, and a
    # person the policy took for one loses nothing (moderators rescue it from Spam).
    own_pending = [*cookies.pending_comment_ids(request), comment.pk]
    response = HttpResponseRedirect(
        _comment_location(comment, own_pending), status=HTTPStatus.SEE_OTHER
    )
    cookies.remember_pending_comment(request, response, comment)
    if form.user is None:
        if form.cleaned_data.get("remember"):
            cookies.remember_author(request, response, form.author_details())
        else:
            cookies.forget_author(response)
    return response


def _refused(request, article, status, *, comment_form=None, values=None, comment_refusal=None):
    """A comment not posted: the browser is sent (303) to the article showing it again
    with its errors, a page it can reload without sending the form again (unposted.py);
    or, if the cache keeps nothing, that page is the answer to the POST itself."""
    redirect = unposted.keep(
        request, article, status=status, form=comment_form, values=values, refusal=comment_refusal
    )
    if redirect is not None:
        return redirect
    if values is not None:
        # Unbound: shown as typed, not judged; it is judged when posted again.
        comment_form = CommentForm(article, user=request.user, initial=values)
    return render_article(
        request,
        article,
        status=status,
        comment_form=comment_form,
        comment_refusal=comment_refusal,
    )


def _comments_closed(request, article):
    # Nowhere to post it again: the reader gets their text back to keep.
    refusal = Unposted(COMMENTS_CLOSED, request.POST.get("comment", ""))
    return _refused(request, article, HTTPStatus.FORBIDDEN, comment_refusal=refusal)


@dataclass(frozen=True)
class PreviewNode:
    """A comment not yet posted, shaped as comments/comment.html expects a thread's node."""

    comment: Comment
    depth: int = 1
    can_reply: bool = False
    replies: tuple = ()


def _preview_node(comment):
    comment.body_html = render_comment_body(comment.body)
    # Its anchor on the page; the comment is never saved.
    comment.pk = "preview"
    return PreviewNode(comment)


def _comment_csrf_failure(request, reason, article_id):
    """The comment form sent without its CSRF cookie: the article again, the text typed
    back in a ready form whose page sets the cookie (see newsroom/csrf.py). A form sent
    from another site gets the general page: nothing of it is kept or shown again."""
    if reason == REASON_CROSS_SITE:
        return None
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return None
    if not protection.is_unlocked(request, article):
        return render_article(request, article, status=HTTPStatus.FORBIDDEN)
    if not article.comments_are_open():
        return _comments_closed(request, article)
    return _refused(
        request,
        article,
        HTTPStatus.FORBIDDEN,
        values=typed_values(request.POST),
        comment_refusal=Unposted(COOKIE_MISSING),
    )


post_comment.csrf_failure = _comment_csrf_failure


def _comment_location(comment, own_pending_ids=()):
    """The article page (and comments page) showing this comment, at its anchor; or, if
    this reader cannot see it there, at the comments area: never at an anchor the page
    lacks, which would leave the reader at the top of the article with no trace of it."""
    article = comment.article
    threads = CommentThreads(comment_places(article, own_pending_ids, in_hand=[comment]))
    page_number = threads.page_number_of(comment.pk)
    if page_number is None:
        return f"{article.get_absolute_url()}#comments"
    return f"{article.get_absolute_url()}{comments_page_query(page_number)}#comment-{comment.pk}"


@require_safe
def comment_permalink(request, pk):
    """A comment's lasting address: redirects to wherever on its article it now is."""
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    return HttpResponseRedirect(_comment_location(comment))


REPORT_THANKS = "Thank you for your report. A moderator will look at this comment."
ALREADY_REPORTED = "You have already reported this comment. Thank you: a moderator will look at it."


# Editing and deleting one's own comment: only from the browser that posted it (its
# signed cookie, comments/cookies.py), within COMMENTS_EDIT_WINDOW_MINUTES, and only a
# comment still shown. Each request checks all three.

NOT_YOURS = (
    "This comment can only be edited or deleted from the browser that posted it, and only "
    "for {minutes} minutes after posting."
)
TOO_LATE = (
    "The time to edit this comment has passed: comments can be edited or deleted for "
    "{minutes} minutes after posting."
)
NO_LONGER_SHOWN = "This comment is no longer shown, so it cannot be edited or deleted."


def _own_comment(request, pk):
    """The comment this browser may change, and None; or the comment and why not."""
    comment = get_object_or_404(
        Comment.objects.filter(article__in=Article.objects.published()).select_related("article"),
        pk=pk,
    )
    minutes = settings.COMMENTS_EDIT_WINDOW_MINUTES
    if pk not in cookies.own_comment_ids(request):
        return comment, NOT_YOURS.format(minutes=minutes)
    if not (comment.is_approved or comment.is_held):
        return comment, NO_LONGER_SHOWN
    if not comment.may_be_changed_by_author():
        return comment, TOO_LATE.format(minutes=minutes)
    return comment, None


def _cannot_change(request, comment, reason):
    return render(
        request,
        "comments/cannot_change.html",
        {"article": comment.article, "reason": reason},
        status=HTTPStatus.FORBIDDEN,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request, pk):
    """A reader reports an approved comment: the comment, a form of reasons, then back to
    the comment with thanks. One report per browser per comment (a signed cookie: a hash of
    IP address and browser would refuse everyone in one office or school after the first,
    and would itself be personal data), flood-controlled per IP address like posting."""
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    already = comment.pk in cookies.reported_comment_ids(request)
    form = ReportForm(data=request.POST if request.method == "POST" else None)
    status = HTTPStatus.OK
    if request.method == "POST" and not already:
        if not form.is_valid():
            status = HTTPStatus.BAD_REQUEST
        elif not throttle.claim_report_slot(client_ip(request)):
            form.add_error(None, throttle.TOO_QUICKLY_REPORTING)
            status = HTTPStatus.TOO_MANY_REQUESTS
        else:
            file_report(comment, **form.cleaned_data)
            messages.success(request, REPORT_THANKS)
            response = HttpResponseRedirect(_comment_location(comment), status=HTTPStatus.SEE_OTHER)
            report_path = reverse("comments:report", args=[comment.pk])
            cookies.remember_reported_comment(
                request, response, comment, path=report_path.rstrip("/").rsplit("/", 1)[0] + "/"
            )
            return response
    context = {
        "comment": comment,
        "form": form,
        "already": ALREADY_REPORTED if already else "",
        "comment_url": _comment_location(comment),
    }
    return render(request, "comments/report.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def edit_comment(request, pk):
    """Its author's own comment, to edit: a page with its text and Save."""
    comment, refused = _own_comment(request, pk)
    if refused:
        return _cannot_change(request, comment, refused)
    form = CommentEditForm(
        request.POST if request.method == "POST" else None, initial={"comment": comment.body}
    )
    if form.is_valid():
        body = form.cleaned_data["comment"]
        if body != comment.body:
            comment.edit_by_author(body, moderate_edit(comment, body))
        own = cookies.own_comment_ids(request)
        return HttpResponseRedirect(_comment_location(comment, own), status=HTTPStatus.SEE_OTHER)
    return render(
        request,
        "comments/edit.html",
        {"comment": comment, "article": comment.article, "form": form, **_window(comment)},
        status=HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete_comment(request, pk):
    """Its author's own comment, to delete: a page asking to confirm, then removed."""
    comment, refused = _own_comment(request, pk)
    if refused:
        return _cannot_change(request, comment, refused)
    if request.method == "POST":
        comment.delete_by_author()
        return HttpResponseRedirect(
            f"{comment.article.get_absolute_url()}#comments", status=HTTPStatus.SEE_OTHER
        )
    return render(
        request,
        "comments/delete.html",
        {"comment": comment, "article": comment.article, **_window(comment)},
    )


def _window(comment):
    return {"editable_until": comment.submitted_at + edit_window()}
