from http import HTTPStatus

from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_POST

from articles.models import Article

from . import cookies, throttle
from .forms import CommentForm
from .listing import (
    comment_places,
    comments_page_query,
    render_comment_list,
    shared_comment_list,
    shared_empty_form,
)
from .models import Comment
from .moderation import moderate
from .threads import CommentThreads

COMMENTS_CLOSED = "Comments are closed on this article, so your comment was not posted."


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def comment_section(request, article, form=None, refusal=None, preview=False):
    """Context for the comments area of an article page (templates/comments/section.html).

    `form` is a bound form to show again with its errors and everything typed kept;
    `refusal` a message saying why a comment was not posted when there is no form.
    """
    # Links on the page lead back to the article, also when it is shown again after a
    # refused POST (whose URL is the posting view's).
    reading = request.method in ("GET", "HEAD")
    article_url = request.path if reading else article.get_absolute_url()
    own_pending_ids = cookies.pending_comment_ids(request)
    page_number = _positive_int(request.GET.get("cpage"))
    comments_open = article.comments_are_open()
    if form is not None and form.is_bound:
        reply_to_id = _positive_int(form.data.get(form.add_prefix("parent")))
    else:
        reply_to_id = _positive_int(request.GET.get("replytocom"))

    replying_to = None
    if reading and not (own_pending_ids or reply_to_id or preview):
        comment_list = shared_comment_list(
            article, page_number, article_url=article_url, comments_open=comments_open
        )
    else:
        threads = CommentThreads.for_article(article, own_pending_ids)
        comment_list = render_comment_list(
            threads,
            page_number,
            article_url=article_url,
            comments_open=comments_open,
            preview=preview,
        )
        replying_to = (form.parent_comment if form is not None else None) or threads.replyable(
            reply_to_id
        )

    shared_form = None
    if form is None and comments_open:
        initial = {} if request.user.is_authenticated else cookies.remembered_author(request)
        if initial:
            initial["remember"] = True
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        if initial or request.user.is_authenticated or preview:
            form = CommentForm(article, user=request.user, initial=initial)
        else:
            shared_form = shared_empty_form(request, article)

    return {
        "comment_list": comment_list.html,
        "comment_count": comment_list.approved_count,
        "comments_open": comments_open,
        "comment_form": form,
        "shared_comment_form": shared_form,
        "comment_refusal": refusal,
        "replying_to": replying_to,
        "cancel_reply_url": (
            f"{article_url}{comments_page_query(comment_list.page_number)}#respond"
        ),
        "comments_feed_url": reverse("comments:article_feed", args=[article.pk]),
    }


def _render_article(request, article, **kwargs):
    # articles.views imports this module for comment_section(): import it when used.
    from articles.views import _render_article as render_article

    return render_article(request, article, **kwargs)


@require_POST
def post_comment(request, article_id):
    """Store a valid comment, its status decided by the moderation policy; then redirect."""
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not article.comments_are_open():
        return _render_article(
            request, article, status=HTTPStatus.FORBIDDEN, refusal=COMMENTS_CLOSED
        )
    form = CommentForm(article, data=request.POST, user=request.user)
    if not form.is_valid():
        return _render_article(request, article, status=HTTPStatus.BAD_REQUEST, form=form)

    comment = form.build_comment(
        ip_address=throttle.client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    refusal = throttle.refusal_for(comment)
    if refusal is not None:
        form.add_error(None, refusal.message)
        return _render_article(request, article, status=refusal.status, form=form)

    moderate(comment, form.signals).apply_to(comment)
    with transaction.atomic():
        comment.save()

    # The same redirect whatever the policy decided: a spammer learns nothing.
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


def _comment_location(comment, own_pending_ids=()):
    """The article page (and comments page) showing this comment, at its anchor."""
    article = comment.article
    threads = CommentThreads(comment_places(article, own_pending_ids, in_hand=[comment]))
    page_number = threads.page_number_of(comment.pk) or 1
    return f"{article.get_absolute_url()}{comments_page_query(page_number)}#comment-{comment.pk}"


def comment_permalink(request, pk):
    """A comment's lasting address: redirects to wherever on its article it now is."""
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(article__in=Article.objects.published())
        .select_related("article"),
        pk=pk,
    )
    return HttpResponseRedirect(_comment_location(comment))
