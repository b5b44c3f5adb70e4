"""The one function that turns a comment as written into the HTML readers see."""

import bleach
from bleach.linkifier import Linker
from django.utils.html import linebreaks

# The inline HTML WordPress allows commenters.
ALLOWED_TAGS = frozenset(
    {"a", "abbr", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "s", "strike",
     "strong", "p", "br"}
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "abbr": ["title"], "q": ["cite"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _nofollow_ugc(attrs, new=False):
    href_key = (None, "href")
    if href_key not in attrs:
        return attrs
    attrs[(None, "rel")] = "nofollow ugc"
    return attrs


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=False,
    strip_comments=True,
)
_linker = Linker(callbacks=[_nofollow_ugc], skip_tags={"code", "pre"})


def render_comment_body(text: str) -> str:
    """Paragraphs from line breaks, the WordPress inline allowlist, links as nofollow ugc.

    Anything outside the allowlist is escaped (shown as text, never run); bare URLs are
    linkified; every link carries rel="nofollow ugc" and an http(s) or mailto scheme.
    """
    if not text:
        return ""
    cleaned = _cleaner.clean(text)
    paragraphs = linebreaks(cleaned)
    # The cleaner has escaped what is not allowed, so linebreaks() must not escape again;
    # the second pass cleans the <p>/<br> it added along with everything else.
    return _linker.linkify(_cleaner.clean(paragraphs))
