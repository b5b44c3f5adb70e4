import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.fragments import shared_teasers
from articles.models import Category
from pagecache.fragments import shared

register = template.Library()

# As django.utils.html.json_script: inside <script>, "</script>" or "<!--" in a value must
# not end or confuse the element, so <, > and & become JSON unicode escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(value):
    """Serialise `value` as a JSON-LD script element, safe to place in an HTML page."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308


@register.simple_tag(takes_context=True)
def news_article_data(context, article, url):
    """The schema.org NewsArticle for an article page (at absolute `url`): names only,
    never an email."""
    request = context["request"]
    image = article.featured_image
    return {
        **({"image": [image.rendition_for_sharing.url]} if image else {}),
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.standfirst,
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(author.get_absolute_url()),
            }
            for author in article.byline_authors
        ],
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "url": url,
        "mainEntityOfPage": url,
    }


@register.simple_tag
def teasers(articles, lead=None, search=False):
    """The teasers of a listing's articles, each shared (articles/fragments.py): under a
    `lead` story, no teaser's image is above the fold; `search`: results, with excerpts.
    After {% comment_counts %} over the same articles: the counts are part of the teasers."""
    return shared_teasers(articles, first_leads=not lead, search=bool(search))


@register.simple_tag
def site_name():
    """The site's name without a request context (for 500.html)."""
    return settings.SITE_NAME


CATEGORY_NAV_KEY = "articles:section_links"


@register.inclusion_tag("articles/_category_nav.html", takes_context=True)
def category_nav(context):
    # On every page not served from the page cache (readers with cookies, forms sent
    # back): shared like the comment lists, so a renamed or new section shows at once,
    # and otherwise costs no query.
    # Kept as names and addresses, so a page resolves no URL for them either.
    sections = shared(
        f"{CATEGORY_NAV_KEY}:{get_script_prefix()}",
        lambda: [
            {"name": category.name, "url": category.get_absolute_url()}
            for category in Category.objects.only("name", "slug")
        ],
    )
    return {
        "sections": sections,
        "current_path": getattr(context.get("request"), "path", ""),
    }


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` as an absolute URL on the host this request came to (canonical links, og:url)."""
    return context["request"].build_absolute_uri(path)
