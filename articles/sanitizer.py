"""The editorial allowlist: the one place that decides what HTML an article body may hold."""

import bleach
from bleach.css_sanitizer import CSSSanitizer

ALLOWED_TAGS = frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "p", "br", "hr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "a", "img", "figure", "figcaption", "blockquote", "cite", "q",
        "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark",
        "abbr", "code", "pre", "kbd",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "img": ["src", "alt", "title", "width", "height", "loading"],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "q": ["cite"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start", "reversed", "type"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=CSSSanitizer(allowed_css_properties=[]),
)


def sanitize_article_html(html: str) -> str:
    """Return the editor's HTML with everything outside the editorial allowlist removed.

    Disallowed tags are stripped (their text kept); scripts, styles, event handlers and
    non-http(s)/mailto links never survive.
    """
    return _cleaner.clean(html or "")
