from dataclasses import dataclass
from http import HTTPStatus

from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST, require_safe

from articles.models import Article
from articles.views import render_article
from newsroom.client_ip import client_ip

from . import cookies, throttle, unposted
from .forms import CommentForm, typed_values
from .fragments import comment_places, comments_page_query
from .models import Comment
from .moderation import moderate
from .rendering import render_comment_body
from .threads import CommentThreads
from .unposted import Unposted

COMMENTS_CLOSED = "Comments are closed on this article, so your comment was not posted."
COOKIE_MISSING = (
    "This form needs a cookie from this site, and your browser did not send it (cookies "
    "may be blocked, or were cleared while the page was open). Your comment is below: post "
    "it again. If this message comes back, allow cookies for this site."
)


@require_POST
def post_comment(request, article_id):
    """Store a valid comment, its status decided by the moderation policy; then redirect."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
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
    location = unposted.keep(
        request, article, status=status, form=comment_form, values=values, refusal=comment_refusal
    )
    if location is not None:
        return HttpResponseRedirect(location, status=HTTPStatus.SEE_OTHER)
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
    back in a ready form whose page sets the cookie (see newsroom/csrf.py)."""
    article = Article.objects.published().filter(pk=article_id).first()
    if article is None:
        return None
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
