"""The editorial allowlist: the one place that decides what HTML an article body may hold."""

import re

import bleach
from bleach.css_sanitizer import CSSSanitizer
from django.conf import settings

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

# srcset is a list of URLs that bleach does not check as it checks src: each candidate must
# be one of our media files (an image from the library). sizes is a list of media
# conditions and lengths: nothing in it but what those are written with.
_SIZES = re.compile(r"[a-z0-9\s().,:%+*/-]{1,500}", re.IGNORECASE)
_SRCSET_CANDIDATE = re.compile(r"^(\S+)(?:\s+\d+(?:\.\d+)?[wx])?$")


def _is_media_url(url):
    media_url = settings.MEDIA_URL
    if url.startswith("//") or not url.startswith(media_url):
        return False
    return ".." not in url and "\\" not in url


def _srcset_is_ours(value):
    candidates = [c.strip() for c in value.split(",")]
    for candidate in candidates:
        match = _SRCSET_CANDIDATE.match(candidate)
        if not match or not _is_media_url(match.group(1)):
            return False
    return bool(candidates)


ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    # srcset and sizes only with values _attribute_allowed() accepts.
    "img": [
        "src",
        "alt",
        "title",
        "width",
        "height",
        "loading",
        "decoding",
        "srcset",
        "sizes",
    ],
    "abbr": ["title"],
    "blockquote": ["cite"],
    "q": ["cite"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
    "ol": ["start", "reversed", "type"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _attribute_allowed(tag, name, value):
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "img" and name == "srcset":
        return _srcset_is_ours(value)
    if tag == "img" and name == "sizes":
        return bool(_SIZES.fullmatch(value))
    return True


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_attribute_allowed,
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
