"""The parts of an article's comments area rendered once per content generation and shared
(pagecache.fragments) by every reader who sees the same.

The list: rendering a page of a hundred threaded comments costs several times more than
all the rest of an article page, and every reader without a comment of their own awaiting
moderation sees the same list. So the list (with its page links) is shared per article
and comments page: an approval, edit or removal takes a new content generation, and the
next reader sees it at once. Readers with a pending comment, writing a reply or sending
the form back get the list rendered for them alone.

The form: the empty Leave a Reply form is the same for every anonymous reader without
saved details. It carries no CSRF token (anonymous comments are checked by their headers,
newsroom/csrf.py) and its signed timestamp says when it was rendered, which is what the
moderation policy judges (comments/moderation.py).

The places: where the approved comments sit in the threads (no text), shared too. Each
page of the list is built from them, reading the text of its own comments alone; and the
redirect after posting (to the page the new comment is on) reads no comments but the
poster's own earlier pending ones.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pagecache.fragments import shared

from .forms import CommentForm
from .models import Comment
from .threads import DEFAULT_ORDER, ORDERS, PLACE_FIELDS, CommentThreads

# The query parameter of an article's staff preview naming a comment to show highlighted,
# whatever its status, to a moderator (the admin's "view on site" of a pending comment).
HIGHLIGHT = "highlight"


@dataclass(frozen=True)
class CommentList:
    html: str
    approved_count: int
    page_number: int


def comments_page_query(page_number, reply_to=None, order=DEFAULT_ORDER):
    """The query string of a comments page in an order (and a reply target): '' for page 1
    in the default order alone."""
    params = {}
    if order != DEFAULT_ORDER:
        params["sort"] = order
    if page_number and page_number > 1:
        params["cpage"] = page_number
    if reply_to is not None:
        params["replytocom"] = reply_to
    return f"?{urlencode(params)}" if params else ""


def render_comment_list(
    threads,
    page_number,
    *,
    article_url,
    comments_open,
    preview=False,
    reply_form=None,
    highlighted=None,
    own_changeable=frozenset(),
):
    """One page of `threads` (comments.threads.CommentThreads) as readers see it.

    `reply_form`: (comment id, rendered form) to show right under that comment.
    `highlighted`: the id of a comment a moderator came to look at (see HIGHLIGHT).
    `own_changeable`: ids of this reader's own comments shown with Edit and Delete (never
    in a shared list).
    """
    page = threads.page(page_number)
    order = threads.order
    reply_under, reply_form_html = reply_form or (None, "")
    context = {
        "comment_threads": page.object_list,
        "comment_page_number": page.number,
        "comment_page_count": page.paginator.num_pages,
        # What a link to this page (a reply link) starts with: "?sort=…&cpage=…" or "".
        "comment_page_query": comments_page_query(page.number, order=order),
        # Switching order goes to the first page: the page number meant other threads.
        "comment_orders": [
            (label, f"{article_url}{comments_page_query(None, order=name)}#comments", name == order)
            for name, label in ORDERS.items()
        ]
        if len(threads.threads) > 1
        else [],
        "older_comments_url": (
            f"{article_url}{comments_page_query(page.previous_page_number(), order=order)}#comments"
            if page.has_previous()
            else None
        ),
        "newer_comments_url": (
            f"{article_url}{comments_page_query(page.next_page_number(), order=order)}#comments"
            if page.has_next()
            else None
        ),
        "comments_article_url": article_url,
        "comments_open": comments_open,
        "preview": preview,
        "reply_form_under": reply_under,
        "reply_form": reply_form_html,
        "highlighted_comment": highlighted,
        "own_changeable": own_changeable,
    }
    html = render_to_string("comments/list.html", context) if page.object_list else ""
    return CommentList(html, threads.approved_count, page.number)


def shared_comment_list(article, page_number, *, article_url, comments_open, order=DEFAULT_ORDER):
    """The approved comments' list for readers with nothing of their own on the page."""
    # The address belongs to the key: reply and page links point back to it.
    where = hashlib.sha256(article_url.encode()).hexdigest()[:16]

    def key(number):
        return f"comments:list:{article.pk}:{order}:{number}:{int(comments_open)}:{where}"

    return shared(
        key(page_number or 1),
        lambda: render_comment_list(
            # The places every page of the list shares, then this page's comments alone.
            CommentThreads(comment_places(article), order=order),
            page_number,
            article_url=article_url,
            comments_open=comments_open,
        ),
        # A page past the last shows the last, and is kept as the last.
        stored_as=lambda found: key(found.page_number),
    )


def comment_places(article, own_pending_ids=(), *, in_hand=()):
    """Where each comment this reader sees on the article is (PLACE_FIELDS rows), for
    CommentThreads: to find the page a comment just posted, or linked to, is on.

    The approved comments' places are shared with the content generation; the reader's own
    held comments (CommentQuerySet.held) are read from the database, except those in hand
    (`in_hand`, such as the comment just saved), which are taken as they are.
    """
    approved = shared(
        f"comments:thread-places:{article.pk}",
        lambda: list(
            Comment.objects.filter(article=article).approved().order_by().values(*PLACE_FIELDS)
        ),
    )
    own = {c.pk: c for c in in_hand if c.pk in own_pending_ids and c.is_held}
    rows = [*approved, *({name: getattr(c, name) for name in PLACE_FIELDS} for c in own.values())]
    others = [pk for pk in own_pending_ids if pk not in own]
    if others:
        rows += Comment.objects.filter(article=article, pk__in=others).held().values(*PLACE_FIELDS)
    return rows


def shared_empty_form(request, article):
    """The empty comment form as an anonymous reader without saved details gets it."""
    context = {"article": article, "comment_form": CommentForm(article)}
    html = shared(
        f"comments:empty-form:{article.pk}",
        lambda: render_to_string("comments/form.html", context, request=request),
    )
    # Our own rendering, escaped when it was made.
    return mark_safe(html)  # noqa: S308
