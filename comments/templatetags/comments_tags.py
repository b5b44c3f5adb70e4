"""The comments area of an article page, and display helpers for comments: locally made
avatars, safe author links, dates."""

import zlib
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from articles.views import answer_with_status
from comments import cookies, unposted
from comments.forms import CommentForm
from comments.fragments import (
    HIGHLIGHT,
    comments_page_query,
    render_comment_list,
    shared_comment_list,
    shared_empty_form,
)
from comments.models import Comment
from comments.threads import DEFAULT_ORDER, ORDERS, CommentThreads
from pagecache.middleware import not_canonical

register = template.Library()


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """The comments area of `article`'s page: "N thoughts on …", the comments this reader
    may see, and the Leave a Reply form.

    Reads from the page's context `request`, `preview`, and what the posting view sends
    back: `comment_form` (a bound form to show again with its errors and everything typed
    kept) or `comment_refusal` (why a comment was not posted, when there is no form).
    Readers with nothing of their own on the page share the list and the empty form.
    """
    request = context["request"]
    form = context.get("comment_form")
    refusal = context.get("comment_refusal")
    notice = ""
    preview = context.get("preview", False)
    sent = _sent_back(context, article)
    if sent is not None:
        form, refusal, notice = sent.form, sent.refusal, sent.notice
        answer_with_status(request, sent.status)
    # Links on the page lead back to the article, also when it is shown again after a
    # refused POST (whose URL is the posting view's).
    reading = request.method in ("GET", "HEAD")
    article_url = request.path if reading else article.get_absolute_url()
    own_pending_ids = cookies.pending_comment_ids(request)
    page_number = _positive_int(request.GET.get("cpage"))
    order = request.GET.get("sort", DEFAULT_ORDER)
    if order not in ORDERS or "sort" in request.GET and order == DEFAULT_ORDER:
        # An order not offered is shown as the default, which has one address: without
        # ?sort=. Served, never cached under this address.
        order = DEFAULT_ORDER
        if reading:
            not_canonical(request)
    comments_open = article.comments_are_open()
    if form is not None and form.is_bound:
        reply_to_id = _positive_int(form.data.get(form.add_prefix("parent")))
    else:
        reply_to_id = _positive_int(request.GET.get("replytocom"))

    # Never on a cached page: the preview is staff-only and never cached.
    highlighted = _highlighted_comment(request) if preview else None

    replying_to = None
    threads = None
    if reading and not (own_pending_ids or reply_to_id or preview):
        comment_list = shared_comment_list(
            article, page_number, article_url=article_url, comments_open=comments_open, order=order
        )
    else:
        threads = CommentThreads.for_article(
            article, own_pending_ids, highlighted=highlighted, order=order
        )
        if highlighted is not None and page_number is None:
            page_number = threads.page_number_of(highlighted)
        replying_to = threads.replyable(reply_to_id) or (
            form.parent_comment if form is not None else None
        )
        if replying_to is not None and page_number is None:
            # A reply sent back with errors comes without the page: show the one it answers.
            page_number = threads.page_number_of(replying_to.pk)

    shared_form = None
    if form is None and comments_open:
        initial = {} if request.user.is_authenticated else cookies.remembered_author(request)
        if initial:
            initial["remember"] = True
        if replying_to is not None:
            initial["parent"] = replying_to.pk
        if preview:
            # Shown as readers will see it: the fields a visitor fills in, nothing of ours.
            form = CommentForm(article, user=AnonymousUser())
        elif initial or request.user.is_authenticated or notice:
            form = CommentForm(article, user=request.user, initial=initial)
        else:
            shared_form = shared_empty_form(request, article)

    section = {
        "request": request,
        "article": article,
        "preview": preview,
        "comments_open": comments_open,
        "comment_form": form,
        "shared_comment_form": shared_form,
        "comment_refusal": refusal,
        "comment_notice": notice,
        "replying_to": replying_to,
        "cancel_reply_url": "",
        "comments_feed_url": reverse("comments:article_feed", args=[article.pk]),
    }
    if threads is not None:
        reply_form = None
        shown_page = threads.page(page_number).number
        if (
            replying_to is not None
            and form is not None
            and not preview
            and threads.page_number_of(replying_to.pk) == shown_page
        ):
            # The form goes right under the comment it answers, as WordPress's script puts
            # it, but without a script; Cancel reply leads back to that comment.
            section["cancel_reply_url"] = (
                f"{article_url}{comments_page_query(shown_page, order=order)}"
                f"#comment-{replying_to.pk}"
            )
            html = render_to_string("comments/form.html", section, request=request)
            reply_form = (replying_to.pk, html)
        comment_list = render_comment_list(
            threads,
            page_number,
            article_url=article_url,
            comments_open=comments_open,
            preview=preview,
            reply_form=reply_form,
            highlighted=highlighted,
            own_changeable=(
                frozenset() if preview else threads.changeable_by_author(own_pending_ids)
            ),
        )
        section["form_is_in_list"] = reply_form is not None

    if reading and comment_list.page_number != (page_number or 1):
        # Asked for a page past the last: the last is shown, and is cached at its own address.
        not_canonical(request)

    if not section["cancel_reply_url"]:
        section["cancel_reply_url"] = (
            f"{article_url}{comments_page_query(comment_list.page_number, order=order)}#respond"
        )
    section["comment_list"] = comment_list.html
    section["comment_count"] = comment_list.approved_count
    return section


def _highlighted_comment(request):
    """The comment a moderator came to see in the preview (?highlight=<id>), or None: the
    parameter means nothing to anyone who may not moderate."""
    wanted = _positive_int(request.GET.get(HIGHLIGHT))
    if wanted is None or wanted >= 2**63 or not request.user.has_perm("comments.moderate_comment"):
        return None
    return wanted


class _ListingCounts:
    """The approved comment counts of a listing's articles, read in one query for all of
    them when the first is asked for: a listing whose teasers are all shared (rendered
    before, articles/fragments.py) asks none."""

    def __init__(self, articles):
        self._article_ids = [article.pk for article in articles]
        self._counts = None

    def of(self, article):
        if self._counts is None:
            self._counts = dict(
                Comment.objects.approved()
                .filter(article__in=self._article_ids)
                .values("article")
                .annotate(count=Count("id"))
                .values_list("article", "count")
                .order_by()
            )
        return self._counts.get(article.pk, 0)


@register.simple_tag
def comment_counts(*listed):
    """Give each article of a listing its approved comment count, for comment_count_link:
    one query for all of them, made only if a count is shown.

    `listed`: articles, or lists of them (None ignored), e.g. a page's lead and its list:
    {% comment_counts lead articles %}. Outputs nothing.
    """
    articles = []
    for item in listed:
        if item is None or item == "":
            continue
        articles.extend([item] if hasattr(item, "pk") else item)
    counts = _ListingCounts(articles)
    for article in articles:
        article.listing_comment_counts = counts
    return ""


@register.simple_tag
def comment_count_link(article):
    """ "N comments", linking to the article's comments area (after {% comment_counts %});
    "" for a protected article, whose comments only those who unlocked it may read, so
    that a listing can write `{% comment_count_link article as link %}{% if link %}`."""
    counts = getattr(article, "listing_comment_counts", None)
    if article.is_protected or counts is None:
        return ""
    return render_to_string(
        "comments/_count_link.html", {"article": article, "count": counts.of(article)}
    )


def _sent_back(context, article):
    """The refused comment this page shows again (?unposted=, comments/unposted.py), unless
    the view has one in hand (the POST itself, when the cache could not keep it)."""
    if context.get("comment_form") is not None or context.get("comment_refusal") is not None:
        return None
    return unposted.sent_back(context["request"], article)


@register.simple_tag(takes_context=True)
def comment_error_title(context, article):
    """'Error: ' for the page's title when it shows a comment that was not posted."""
    if context.get("comment_refusal") or getattr(context.get("comment_form"), "errors", None):
        return "Error: "
    sent = _sent_back(context, article)
    if sent is not None and (sent.refusal or (sent.form is not None and sent.form.errors)):
        return "Error: "
    return ""


# As many hues as static/css/site.css defines .avatar-hue-N classes for.
AVATAR_HUES = 12


@register.filter
def initials(name):
    """Up to two letters for an avatar: 'Ada Lovelace' → 'AL', 'ada' → 'A'."""
    words = [word for word in str(name).split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_hue(name):
    """A stable colour class number for a name (never from the email: it is private)."""
    return zlib.crc32(str(name).strip().lower().encode()) % AVATAR_HUES


@register.filter
def safe_author_url(url):
    """The author's website if it is an http(s) address, else '' (imported data included)."""
    if url and urlsplit(url).scheme.lower() in {"http", "https"}:
        return url
    return ""


@register.filter(expects_localtime=True, is_safe=False)
def comment_date(value, arg=None):
    """Django's |date, remembered: each comment's date is shown on every view of its page.

    Formatting a date (translated month names, am/pm) costs more than everything else a
    comment shows, and a page shows a hundred of them.
    """
    if not isinstance(value, datetime):
        return date_filter(value, arg)
    return _formatted_date(value, str(value.tzinfo), arg, get_language())


@lru_cache(maxsize=8192)
def _formatted_date(value, zone, arg, language):
    # The zone and language belong to the key: aware datetimes for the same instant are
    # equal whatever their zone, and the same instant reads differently in each language.
    return date_filter(value, arg)
