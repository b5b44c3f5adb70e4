"""The rendered list of an article's comments, shared by every reader who sees the same.

Rendering a page of a hundred threaded comments costs several times more than all the rest
of an article page, and every reader without a comment of their own awaiting moderation
sees the same list. So the list (with its page links) is rendered once per article,
comments page and content generation (newsroom.page_cache) and kept in the cache: an
approval, edit or removal takes a new generation, and the next reader sees it at once.

Readers with a pending comment, writing a reply or sending the form back get the list
rendered for them alone.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string

from newsroom.page_cache import get_current, set_current

from .threads import CommentThreads


@dataclass(frozen=True)
class CommentList:
    html: str
    approved_count: int
    page_number: int


def comments_page_query(page_number, reply_to=None):
    """The query string of a comments page (and a reply target): '' for page 1 alone."""
    params = {}
    if page_number and page_number > 1:
        params["cpage"] = page_number
    if reply_to is not None:
        params["replytocom"] = reply_to
    return f"?{urlencode(params)}" if params else ""


def render_comment_list(threads, page_number, *, article_url, comments_open, preview=False):
    """One page of `threads` (comments.threads.CommentThreads) as readers see it."""
    page = threads.page(page_number)
    context = {
        "comment_threads": page.object_list,
        "comment_page_number": page.number,
        "comment_page_count": page.paginator.num_pages,
        "older_comments_url": (
            f"{article_url}{comments_page_query(page.previous_page_number())}#comments"
            if page.has_previous()
            else None
        ),
        "newer_comments_url": (
            f"{article_url}{comments_page_query(page.next_page_number())}#comments"
            if page.has_next()
            else None
        ),
        "comments_article_url": article_url,
        "comments_open": comments_open,
        "preview": preview,
    }
    html = render_to_string("comments/list.html", context) if page.object_list else ""
    return CommentList(html, threads.approved_count, page.number)


def shared_comment_list(article, page_number, *, article_url, comments_open):
    """The approved comments' list for readers with nothing of their own on the page."""
    # The address belongs to the key: reply and page links point back to it.
    where = hashlib.sha256(article_url.encode()).hexdigest()[:16]
    key = f"comments:list:{article.pk}:{page_number or 1}:{int(comments_open)}:{where}"
    found, generation = get_current(key)
    if found is None:
        found = render_comment_list(
            CommentThreads.for_article(article),
            page_number,
            article_url=article_url,
            comments_open=comments_open,
        )
        set_current(key, found, generation, settings.PAGE_CACHE_SECONDS)
    return found
