"""The article on its page (headline, byline, body, attribution, and the head's metadata),
rendered once and shared by every reader the page cache does not serve.

Readers with cookies (commenters, logged-in readers) get the page rendered for them, for
their own comment or saved details; the article itself, the costlier part with its bylines'
query, is the same for all of them. Shared with the content generation (pagecache): any
change to an article, author or section takes a new one, and the next reader sees it at
once. A preview is rendered for its editor alone.
"""

import hashlib

from django.template.loader import render_to_string

from pagecache.fragments import shared


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
