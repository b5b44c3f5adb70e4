"""The article on its page (headline, byline, body, attribution, and the head's metadata),
and each article's teaser on listings and search results, rendered once and shared by
every reader the page cache does not serve.

Readers with cookies (commenters, logged-in readers) get the page rendered for them, for
their own comment or saved details; the article itself, the costlier part with its bylines'
query, is the same for all of them. Shared with the content generation (pagecache): any
change to an article, author or section takes a new one, and the next reader sees it at
once. A preview is rendered for its editor alone.
"""

import hashlib
import secrets

from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe

from pagecache.fragments import shared, shared_many

from .models import Article
from .search import highlighted


def shared_article_html(request, article, *, preview=False):
    """The article's parts of its page, for this request's scheme and host: "head" (the
    canonical link, Open Graph tags and JSON-LD, or a preview's noindex), "article"
    (the <article> element, its tags included) and "sequence" (links to the previous and
    next published articles; empty in a preview). A plain dict, so that what a release
    stores in the shared cache names no class of ours that a later release might rename."""
    # Absolute (the canonical link, Open Graph, JSON-LD): the host belongs to the key.
    canonical_url = request.build_absolute_uri(article.get_absolute_url())
    if preview:
        return _render(request, article, canonical_url, preview=True)
    where = hashlib.sha256(canonical_url.encode()).hexdigest()[:16]

    def render():
        article.load_bylines()
        return _render(request, article, canonical_url, preview=False)

    return shared(f"articles:html:{article.pk}:{where}", render)


def _render(request, article, canonical_url, *, preview):
    context = {
        "article": article,
        "canonical_url": canonical_url,
        "preview": preview,
        "tags": list(article.tags.only("name", "slug")),
    }
    if preview:
        sequence = ""
    else:
        sequence = render_to_string(
            "articles/_sequence.html",
            {"previous": article.previous_published(), "next": article.next_published()},
            request=request,
        )
    return {
        "head": render_to_string("articles/_detail_head.html", context, request=request),
        "article": render_to_string("articles/_detail_article.html", context, request=request),
        "sequence": sequence,
    }


def shared_teasers(articles, *, first_leads, search=False):
    """The teasers (articles/_teaser.html) of a listing's `articles`, in order, as safe HTML,
    each rendered once per content generation and shared.

    `first_leads`: the first teaser's image is above the fold (no lead story over the list),
    so fetched first. `search`: search results, where the excerpt with the reader's words
    highlighted stands in for the standfirst: only the excerpt is made for this request,
    the teaser around it is shared.

    Nothing of a reader's own is in a teaser. Its comment count is (from the listing's
    {% comment_counts %}, which counts only when a teaser is rendered here): an approved
    comment takes a new content generation, as an edited article, author or section does.
    """
    prefix = get_script_prefix()
    kind = "search" if search else "listing"
    placed = {}
    for position, article in enumerate(articles):
        first = first_leads and position == 0
        key = f"articles:teaser:{article.pk}:{kind}:{'first' if first else 'rest'}:{prefix}"
        placed[key] = (article, first)

    def render(missing):
        # Those read with with_bylines() have theirs already: nothing is fetched twice.
        Article.load_bylines_of([placed[key][0] for key in missing])
        return {key: _render_teaser(*placed[key], search=search) for key in missing}

    teasers = shared_many(list(placed), render)
    return [_with_excerpt(teasers[key], article) for key, (article, _) in placed.items()]


def _render_teaser(article, first, *, search):
    """The teaser as a list of pieces: the whole teaser, or for a search result the parts
    before and after its excerpt. A plain list, as the article's parts are a plain dict."""
    # A slot no text can hold (new for each rendering), to cut the teaser at.
    slot = f"excerpt-{secrets.token_hex(16)}"
    excerpt = mark_safe(slot)  # noqa: S308 (hex digits)
    html = render_to_string(
        "articles/_teaser.html",
        {"article": article, "first": first, "search": search, "excerpt": excerpt},
    )
    before, found, after = html.partition(slot)
    return [before, after] if found else [html]


def _with_excerpt(pieces, article):
    if len(pieces) == 1:
        return mark_safe(pieces[0])  # noqa: S308 (rendered from our template, escaped)
    before, after = pieces
    return mark_safe(before + highlighted(article.search_excerpt) + after)  # noqa: S308
